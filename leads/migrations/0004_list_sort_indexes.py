from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("leads", "0003_search_indexes")]
    operations = [
        migrations.AddIndex(model_name="lead", index=models.Index(fields=[name], name=f"leads_lead_{name}_sort"))
        for name in ("first_name", "email", "phone", "lead_status")
    ]
