from django.db import migrations

from secondcrm.records.migration_ops import custom_values_index


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_owner_indexes")]
    operations = [custom_values_index("documents", "document")]
