"""Visit rules per household type (issue 9 part 4): a rule targets a tag kind or a household
type, and two defaults are seeded as data the street edits in the admin: 出租户 monthly (以房管人:
the tenants of a rented flat change without telling anyone) and 流动户 quarterly."""

import django.db.models.deletion
from django.db import migrations, models

# household type, interval in days, note (a frozen copy of visits.DEFAULT_HOUSEHOLD_RULES)
RULES = [
    ("rented", 30, "出租户每月走访一次"),
    ("floating", 90, "流动户每季度走访一次"),
]


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    VisitRule = apps.get_model("fieldwork", "VisitRule")
    for household_type, interval, note in RULES:
        VisitRule.objects.using(db).get_or_create(
            household_type=household_type,
            tag_kind=None,
            min_level=None,
            defaults={"interval_days": interval, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("fieldwork", "0007_visit_photos"),
        ("registry", "0007_person_lookup_indexes_without_like_twins"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="visitrule",
            options={
                "ordering": ["tag_kind", "household_type", "min_level"],
                "verbose_name": "走访规则",
                "verbose_name_plural": "走访规则",
            },
        ),
        migrations.AddField(
            model_name="visitrule",
            name="household_type",
            field=models.CharField(
                blank=True,
                choices=[("registered", "户籍户"), ("floating", "流动户"), ("rented", "出租户")],
                max_length=12,
                verbose_name="户类型",
            ),
        ),
        migrations.AlterField(
            model_name="visitrule",
            name="tag_kind",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.tagkind",
                verbose_name="人群类别",
            ),
        ),
        migrations.AddConstraint(
            model_name="visitrule",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("tag_kind__isnull", False), ("household_type", "")),
                    models.Q(
                        ("tag_kind__isnull", True), models.Q(("household_type", ""), _negated=True)
                    ),
                    _connector="OR",
                ),
                name="fieldwork_visitrule_one_target",
                violation_error_message="走访规则须选择人群类别或户类型之一",
            ),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
