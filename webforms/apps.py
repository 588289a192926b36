from django.apps import AppConfig


class WebformsConfig(AppConfig):
    """Web-to-lead: forms an admin designs in Settings and a company embeds in its web site; each post
    becomes a Lead assigned to the form's owner."""

    name = "webforms"
    verbose_name = "Web Forms"
