from django.db import migrations, models

INDEXES = {
    "account": {
        "accounts_account_city_sort": "bill_city",
        "accounts_account_website_sort": "website",
        "accounts_account_phone_sort": "phone",
        "accounts_account_type_sort": "account_type",
    },
    "contact": {
        "accounts_contact_first_sort": "first_name",
        "accounts_contact_title_sort": "title",
        "accounts_contact_email_sort": "email",
        "accounts_contact_phone_sort": "office_phone",
    },
}


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_search_indexes")]
    operations = [
        migrations.AddIndex(model_name=model, index=models.Index(fields=[field], name=name))
        for model, indexes in INDEXES.items()
        for name, field in indexes.items()
    ]
