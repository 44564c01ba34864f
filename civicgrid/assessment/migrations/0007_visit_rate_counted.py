"""走访完成率 is counted: of the visits the visit rules made due in the period (on their due
day), those made by that day. It was seeded inactive because nothing recorded the due visits
per day; field work's visit schedule now gives them. Its seeded weights (worker 10, grid 10)
apply once it is active."""

from django.db import migrations

NEW = (
    ["visits_due_done"],
    ["visits_due"],
    "按时走访次数 ÷ 应走访次数;应走访 = 按走访规则(人群类别与风险等级、户类型的走访间隔)到期的走访,"
    "记在到期当日;到期当日或之前走访过即为按时;逾期未访的,每过一个间隔再计一次应走访",
    True,
)
OLD = (
    ["visits_done"],
    ["visits_due"],
    "走访次数 ÷ 应走访次数;应走访数尚无按日记录,暂不计分",
    False,
)


def _apply(apps, db, values):  # noqa: ANN001, ANN202
    numerator, denominator, description, active = values
    apps.get_model("assessment", "Indicator").objects.using(db).filter(code="visit_rate").update(
        numerator=numerator, denominator=denominator, description=description, active=active
    )


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, NEW)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, OLD)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0006_ledger_completeness_snapshots")]
    operations = [migrations.RunPython(forwards, backwards)]
