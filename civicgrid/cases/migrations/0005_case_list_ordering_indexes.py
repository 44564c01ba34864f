"""Indexes that let the case lists read one page without sorting the jurisdiction
(docs/architecture.md "City scale"): the default ordering (newest first, id as tie-break) on
its own, for the command centre that sees everything and for cursor pages, and with the scope
column first, for a jurisdiction range.

Database-only (the model's Meta is unchanged): they change no behaviour, only plans."""

from django.db import migrations, models

INDEXES = [
    # The code last: a jurisdiction is tested on the index entry, before the row is read.
    models.Index(fields=["-reported_at", "-id", "grid_code"], name="cases_case_list_order"),
    models.Index(fields=["grid_code", "-reported_at", "-id"], name="cases_case_scope_order"),
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_event_index_by_action_and_time")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AddIndex("case", index) for index in INDEXES],
            state_operations=[],
        )
    ]
