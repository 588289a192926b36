from django.apps import AppConfig


class SettingsAdminConfig(AppConfig):
    """The Settings pages: admin-only screens over models that live where they are used."""

    name = "settings_admin"
    verbose_name = "Settings"
