"""Indexes matching the person list's ordering (grid code, name, id) so one page is read in
index order from the start of the jurisdiction range (docs/architecture.md "City scale"): one
for the default filter (people living here: status first, an equality), one for "all
statuses". The single-column grid_code index is a prefix of the second and stays for the
writes that look rows up by grid.

Database-only (the model's Meta is unchanged): they change no behaviour, only plans."""

from django.db import migrations, models

INDEXES = [
    models.Index(fields=["status", "grid_code", "name", "id"], name="registry_person_status_list"),
    models.Index(fields=["grid_code", "name", "id"], name="registry_person_list_order"),
]


class Migration(migrations.Migration):
    dependencies = [("registry", "0004_validate_event_dates")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddIndex("person", index) for index in INDEXES],
            state_operations=[],
        )
    ]
