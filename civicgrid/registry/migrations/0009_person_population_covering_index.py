# The command screen's population panel reads living people's birth date, sex and residency
# per jurisdiction from this index alone (docs/scaling.md "City-scale run"). Building it on
# 10 M people took 13 s on the reference machine, during which person writes wait.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("registry", "0008_big_ledger_tables_vacuumed_sooner")]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("retired_on__isnull", True), ("status", "living")),
                fields=["grid_code"],
                include=("birth_date", "sex", "residency"),
                name="registry_person_population",
            ),
        ),
    ]
