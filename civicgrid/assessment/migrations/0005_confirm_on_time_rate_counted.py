"""按时核实率 is counted: of the cases sent to verification (each handling feedback), the ones
the grid's worker verified by the verification deadline. It was seeded inactive; the
supervisor formula of the standard gives it 20 % for the grid worker, and the grid (the
worker's work seen by place) weighs it the same."""

from django.db import migrations

NEW = (
    ["confirmed_on_time"],
    ["sent_to_verify"],
    "按时核实数 ÷ 送核实数;送核实 = 处置反馈后进入待核实,按时核实 = 本网格网格员在核实时限内"
    "核实(通过或返工);记在送核实当日",
    True,
)
OLD = (
    ["verified_on_time"],
    ["verified"],
    "本系统的工作流没有单独的核实环节(公众诉求由社区受理),暂不计分",
    False,
)
GRID_WEIGHT = 20


def _apply(apps, db, values, grid_weight):  # noqa: ANN001, ANN202
    Indicator = apps.get_model("assessment", "Indicator")
    Weight = apps.get_model("assessment", "IndicatorWeight")
    numerator, denominator, description, active = values
    indicator = Indicator.objects.using(db).filter(code="confirm_on_time_rate").first()
    if indicator is None:
        return
    indicator.numerator, indicator.denominator = numerator, denominator
    indicator.description, indicator.active = description, active
    indicator.save()
    if grid_weight is None:
        Weight.objects.using(db).filter(level="grid", indicator=indicator).delete()
    else:
        Weight.objects.using(db).get_or_create(
            level="grid", indicator=indicator, defaults={"weight": grid_weight}
        )


def forwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, NEW, GRID_WEIGHT)


def backwards(apps, schema_editor):  # noqa: ANN001, ANN201
    _apply(apps, schema_editor.connection.alias, OLD, None)


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_monthly_reports_kept_per_region")]
    operations = [migrations.RunPython(forwards, backwards)]
