from django.db import migrations, models
from django.db.models.functions import Lower

from secondcrm.records.migration_ops import search_indexes


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_picklists_and_mapping")]
    operations = [
        migrations.AddIndex(model_name="lead", index=models.Index(Lower("email"), name="leads_lead_email_lower")),
        search_indexes("leads", "lead", ("first_name", "last_name", "company", "email", "phone", "mobile", "city")),
    ]
