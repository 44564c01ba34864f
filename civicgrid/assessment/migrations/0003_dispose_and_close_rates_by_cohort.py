"""处置率 and 结案率 compare one cohort: the handling stretches whose deadline fell in the
period (应处置/应结案), and of those the ones handled / closed. Counting this month's feedback
over this month's dispatches mixed cases of different months and could pass 100 %."""

from django.db import migrations

CHANGES = {
    "dispose_rate": (
        ["disposed_due"],
        ["due_to_close"],
        "应处置中已处置数 ÷ 应处置数(处置时限在本期的案件)",
    ),
    "close_rate": (
        ["closed_due"],
        ["due_to_close"],
        "应结案中已结案数 ÷ 应结案数(处置时限在本期的案件)",
    ),
}
OLD = {
    "dispose_rate": (["disposed"], ["dispatched"], "处置数 ÷ 派遣数(应处置数)"),
    "close_rate": (["closed"], ["due_to_close"], "结案数 ÷ 应结案数"),
}


def _apply(apps, db, changes):  # noqa: ANN001, ANN202
    Indicator = apps.get_model("assessment", "Indicator")
    for code, (num, den, description) in changes.items():
        Indicator.objects.using(db).filter(code=code).update(
            numerator=num, denominator=den, description=description
        )


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, CHANGES)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, OLD)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0002_seed_indicators_weights_grades")]
    operations = [migrations.RunPython(forwards, backwards)]
