from django.db import migrations

from civicgrid.core.tuning import big_table_autovacuum


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_case_list_ordering_indexes")]

    operations = [big_table_autovacuum("cases_case", "cases_caseevent")]
