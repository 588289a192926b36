from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """The record platform: base model, module registry, generic pages, comments, updates, tags."""

    name = "secondcrm.records"
    label = "records"
    verbose_name = "Records"

    def ready(self) -> None:
        from . import panels  # noqa: F401  (comments and updates panels on every record)

        _watch_layouts(self)


def _watch_layouts(app_config: AppConfig) -> None:
    """Module layouts are cached under the access policy's generation (see ``arrangement.module_layout``): a
    change to a table they are read from starts the next generation, and so does every migrate, which every
    deploy runs, since a layout also comes from the code (declared blocks, standard labels). Same dispatch_uid
    as the access app's receivers: CustomField, which both apps watch, is connected once."""
    from django.db.models.signals import post_delete, post_migrate, post_save

    from secondcrm.access.permissions import access_changed

    from .models import CustomField, FieldPlacement, LayoutBlock

    for model in (LayoutBlock, FieldPlacement, CustomField):
        post_save.connect(access_changed, sender=model, dispatch_uid=f"access-changed-save-{model.__name__}")
        post_delete.connect(access_changed, sender=model, dispatch_uid=f"access-changed-delete-{model.__name__}")
    post_migrate.connect(access_changed, sender=app_config, dispatch_uid="access-changed-migrate")
