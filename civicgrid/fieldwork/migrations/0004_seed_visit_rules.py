"""Default visit rules (入户走访频次) for the care and special groups seeded by the registry.
They are data: the street edits them in the admin. A kind missing at migration time is skipped
(the demo creates the rules it needs)."""

from django.db import migrations

# tag kind code, minimum risk level, interval in days, note
RULES = [
    ("elderly_alone", None, 7, "独居老人每周走访一次"),
    ("left_behind_elderly", None, 14, "留守老人每两周走访一次"),
    ("empty_nest", None, 30, "空巢老人每月走访一次"),
    ("low_income", None, 30, "低保对象每月走访一次"),
    ("extreme_poverty", None, 30, "特困人员每月走访一次"),
    ("left_behind_child", None, 30, "留守儿童每月走访一次"),
    ("community_correction", None, 7, "社区矫正对象每周走访一次"),
    ("released_prisoner", None, 30, "刑满释放人员每月走访一次"),
    ("mental_disorder", None, 30, "严重精神障碍患者每月随访"),
    ("mental_disorder", 3, 14, "风险等级 3 级及以上每两周随访"),
    ("mental_disorder", 4, 7, "风险等级 4 级及以上每周随访"),
]


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    TagKind = apps.get_model("registry", "TagKind")
    VisitRule = apps.get_model("fieldwork", "VisitRule")
    kinds = {k.code: k for k in TagKind.objects.using(db).filter(code__in={r[0] for r in RULES})}
    for code, min_level, interval, note in RULES:
        kind = kinds.get(code)
        if kind is None:
            continue
        VisitRule.objects.using(db).get_or_create(
            tag_kind=kind,
            min_level=min_level,
            defaults={"interval_days": interval, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0003_visits_and_visit_rules"),
        ("registry", "0002_seed_tag_kinds_and_policy"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
