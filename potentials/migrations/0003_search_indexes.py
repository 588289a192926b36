from django.db import migrations

from secondcrm.records.migration_ops import search_indexes


class Migration(migrations.Migration):
    dependencies = [("potentials", "0002_seed")]
    operations = [search_indexes("potentials", "potential", ("potential_name", "next_step"))]
