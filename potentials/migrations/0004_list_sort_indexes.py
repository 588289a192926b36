from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("potentials", "0003_search_indexes")]
    operations = [
        migrations.AddIndex(
            model_name="potential", index=models.Index(fields=["amount"], name="potentials_amount_sort")
        ),
    ]
