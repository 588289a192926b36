"""Load the demo once: the four demo users, then each app's ``demo.py`` (its ``load(users)``)."""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

from secondcrm.access.models import Role, User
from secondcrm.records.changes import acting_as

DEMO_USERS = (
    # user name, first, last, role, admin
    ("admin", "Ada", "Admin", "Management", True),
    ("management", "Mona", "Gement", "Management", False),
    ("manager", "Max", "Manager", "Manager", False),
    ("staff", "Sam", "Staff", "Staff", False),
)


class Command(BaseCommand):
    help = "Create the demo users and demo records, unless they exist already."

    def handle(self, *args, **options):
        if User.objects.filter(username="admin").exists():
            self.stdout.write("Demo data already loaded.")
            return
        with transaction.atomic():
            users = {}
            for username, first, last, role, admin in DEMO_USERS:
                user = User.objects.create_user(
                    username,
                    f"{username}@example.com",
                    settings.DEMO_PASSWORD,
                    first_name=first,
                    last_name=last,
                    role=Role.objects.get(name=role),
                    is_superuser=admin,
                    is_staff=admin,
                )
                users[username] = user
            with acting_as(users["admin"]):
                autodiscover_modules("demo")
                for config in apps.get_app_configs():
                    demo = getattr(config.module, "demo", None)
                    if demo is not None and hasattr(demo, "load"):
                        demo.load(users)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
