# Initials search reads people in this index's order and stops at its limit; with the grid
# code in the key, a community's search filters other communities out inside the index
# (docs/scaling.md "City-scale run"). Rebuilding it on 10 M people takes about half a minute.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0009_person_population_covering_index")]

    operations = [
        migrations.RemoveIndex(model_name="person", name="registry_person_initials"),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                fields=["name_initials", "grid_code", "id"], name="registry_person_initials"
            ),
        ),
    ]
