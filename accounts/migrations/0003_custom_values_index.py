from django.db import migrations

from secondcrm.records.migration_ops import custom_values_index


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_owner_indexes")]
    operations = [custom_values_index("accounts", "account"), custom_values_index("accounts", "contact")]
