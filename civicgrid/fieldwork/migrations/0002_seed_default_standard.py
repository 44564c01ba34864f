from django.db import migrations


def seed(apps, schema_editor):
    db = schema_editor.connection.alias  # a restore migrates its target, not default
    # The city-wide 一日双巡 standard: two patrols a day, one in each window, at least 30
    # minutes, mostly inside the grid. Streets may add their own rows in the admin.
    PatrolStandard = apps.get_model("fieldwork", "PatrolStandard")
    PatrolStandard.objects.using(db).get_or_create(region_prefix="")


class Migration(migrations.Migration):
    dependencies = [("fieldwork", "0001_patrols_tracks_compliance")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
