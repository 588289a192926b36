from django.db import migrations, models
from django.db.models.functions import Lower

from secondcrm.records.migration_ops import search_indexes


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_picklists_in_the_database")]
    operations = [
        migrations.AddIndex(
            model_name="contact", index=models.Index(Lower("email"), name="accounts_contact_email_lower")
        ),
        search_indexes(
            "accounts", "account", ("account_name", "website", "phone", "email", "bill_city", "bill_country")
        ),
        search_indexes("accounts", "contact", ("first_name", "last_name", "email", "office_phone", "mobile", "title")),
    ]
