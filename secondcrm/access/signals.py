"""Login history receivers (every sign-in, sign-out and failed attempt is recorded) and the receivers that
keep cached access answers fresh."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import LoginHistory, User
from .requests import client_ip


def _record(request, status: str, user: User | None, user_name: str) -> None:
    LoginHistory.objects.create(
        user=user,
        user_name=user_name[:150],
        status=status,
        ip_address=client_ip(request) if request else None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
    )


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    _record(request, LoginHistory.Status.SIGNED_IN, user, user.username)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        _record(request, LoginHistory.Status.SIGNED_OUT, user, user.username)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    name = credentials.get("username", "")
    _record(request, LoginHistory.Status.FAILED, User.objects.filter(username=name).first(), name)


def _watch_access_tables() -> None:
    """Cached answers of ``access_for`` go stale when any table they read from changes."""
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from guardian.models import GroupObjectPermission, UserObjectPermission

    from secondcrm.records.models import CustomField

    from . import models
    from .permissions import access_changed

    def user_saved(sender, instance, update_fields=None, **kwargs) -> None:
        # A sign-in stamps last_login on every login; that changes nobody's access.
        if update_fields and set(update_fields) <= {"last_login", "password"}:
            return
        access_changed()

    post_save.connect(user_saved, sender=models.User, weak=False, dispatch_uid="access-changed-save-User")
    post_delete.connect(access_changed, sender=models.User, dispatch_uid="access-changed-delete-User")
    for model in (
        models.Role,
        Group,
        models.Profile,
        models.ModuleRight,
        models.FieldRight,
        models.SharingDefault,
        models.SharingRule,
        models.HiddenField,
        CustomField,  # a mandatory custom field can never be hidden
    ):
        post_save.connect(access_changed, sender=model, dispatch_uid=f"access-changed-save-{model.__name__}")
        post_delete.connect(access_changed, sender=model, dispatch_uid=f"access-changed-delete-{model.__name__}")
    for share in (UserObjectPermission, GroupObjectPermission):
        post_save.connect(access_changed, sender=share, dispatch_uid=f"shares-changed-save-{share.__name__}")
        post_delete.connect(access_changed, sender=share, dispatch_uid=f"shares-changed-delete-{share.__name__}")
    for through in (models.Role.profiles.through, models.User.groups.through):
        m2m_changed.connect(access_changed, sender=through, dispatch_uid=f"access-changed-m2m-{through.__name__}")


_watch_access_tables()
