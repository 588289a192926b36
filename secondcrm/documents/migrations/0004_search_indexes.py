from django.db import migrations

from secondcrm.records.migration_ops import search_indexes


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_custom_values_index")]
    operations = [search_indexes("documents", "document", ("title", "file_name", "url"))]
