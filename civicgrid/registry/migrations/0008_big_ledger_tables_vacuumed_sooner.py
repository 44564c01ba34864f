from django.db import migrations

from civicgrid.core.tuning import big_table_autovacuum


class Migration(migrations.Migration):
    dependencies = [("registry", "0007_person_lookup_indexes_without_like_twins")]

    operations = [
        big_table_autovacuum(
            "registry_person",
            "registry_historicalperson",
            "registry_household",
            "registry_historicalhousehold",
            "registry_dwelling",
            "registry_historicaldwelling",
            "registry_historicalpersontag",
            "registry_persontag",
        )
    ]
