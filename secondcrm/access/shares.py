"""Explicit per-record shares: one record shared with one user or one group, Read Only or Read/Write.

The manual's Private sharing lets a user see "records shared to them"; we keep those shares as
django-guardian object permissions, because ``permissions.shared_condition`` already reads them into the one
SQL condition of ``visible_to``: Read Only is ``view_<model>``, Read/Write is ``change_<model>``. A party holds
at most one of the two on a record, so changing the access of a share replaces the permission.

Every share and unshare is written to the record's Updates as a change of its "Shared With" list, so the
history shows who opened the record to whom. Guardian's rows point at the record by content type and id,
not by foreign key: ``shares_purge`` removes them when a record is deleted for good.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from guardian.models import GroupObjectPermission, UserObjectPermission

from secondcrm.records.history import log_update
from secondcrm.records.models import Record, Update

from .models import SharingRule, User

# The access of a share reuses the sharing rules' vocabulary: "Read Only" and "Read/Write".
ShareAccess = SharingRule.Access
VERBS = {ShareAccess.READ: "view", ShareAccess.READ_WRITE: "change"}


@dataclass(frozen=True)
class Share:
    """One party a record is shared with: a user or a group, and the access they were given."""

    party: User | Group
    access: str

    @property
    def kind(self) -> str:
        return "group" if isinstance(self.party, Group) else "user"

    @property
    def key(self) -> str:
        """The party as a form value: "user:<id>" or "group:<id>"."""
        return f"{self.kind}:{self.party.pk}"

    @property
    def is_read_write(self) -> bool:
        return self.access == ShareAccess.READ_WRITE

    def get_access_display(self) -> str:
        return ShareAccess(self.access).label

    def __str__(self) -> str:
        return f"{self.party} ({self.get_access_display()})"


def _codenames(record: Record) -> dict[str, str]:
    """The guardian permission codename of each access on this record's model."""
    return {access: f"{verb}_{record._meta.model_name}" for access, verb in VERBS.items()}


def _rows(model, record: Record):
    """Guardian rows of ``model`` (user or group object permissions) on this one record."""
    return model.objects.filter(content_type=ContentType.objects.get_for_model(record), object_pk=str(record.pk))


def shares_of(record: Record) -> list[Share]:
    """Who the record is shared with: users first, then groups, each by name."""
    access_of = {codename: access for access, codename in _codenames(record).items()}
    found: dict[tuple[str, int], Share] = {}
    for model, party in ((UserObjectPermission, "user"), (GroupObjectPermission, "group")):
        rows = _rows(model, record).filter(permission__codename__in=access_of).select_related(party, "permission")
        for row in rows:
            share = Share(party=getattr(row, party), access=access_of[row.permission.codename])
            key = (share.kind, share.party.pk)
            # Should both permissions be present (granted outside this page), the wider one is what counts.
            if key not in found or share.is_read_write:
                found[key] = share
    return sorted(found.values(), key=lambda s: (s.kind != "user", str(s.party).lower()))


def _shared_with(record: Record) -> str:
    """The "Shared With" value as the Updates history shows it."""
    return ", ".join(str(share) for share in shares_of(record))


def _party(user: User | None, group: Group | None) -> tuple[type, dict]:
    if (user is None) == (group is None):
        raise ValueError("Share a record with exactly one user or one group.")
    return (UserObjectPermission, {"user": user}) if user is not None else (GroupObjectPermission, {"group": group})


def _log(record: Record, before: str, acting_user) -> None:
    after = _shared_with(record)
    if after != before:
        change = {"field": "shared_with", "label": "Shared With", "old": before, "new": after}
        log_update(record, action=Update.Action.UPDATED, actor=acting_user, changes=[change])


def record_share(
    *, record: Record, user: User | None = None, group: Group | None = None, access: str, acting_user
) -> Share:
    """Share ``record`` with a user or a group, Read Only or Read/Write; an existing share of that party
    gets the new access instead. Raises ValidationError for an inactive user: they could never use it.
    Who may share (those who may edit the record) is the view's check."""
    if access not in VERBS:
        raise ValueError(f"Unknown access {access!r}; expected one of {list(VERBS)}.")
    model, party = _party(user, group)
    if user is not None and not user.is_active:
        raise ValidationError(f"{user} is inactive; a record cannot be shared with an inactive user.")
    codenames = _codenames(record)
    permission = Permission.objects.get(
        content_type=ContentType.objects.get_for_model(record), codename=codenames[access]
    )
    with transaction.atomic():
        before = _shared_with(record)
        _rows(model, record).filter(permission__codename__in=codenames.values(), **party).exclude(
            permission=permission
        ).delete()
        model.objects.get_or_create(
            permission=permission,
            content_type=permission.content_type,
            object_pk=str(record.pk),
            **party,
        )
        _log(record, before, acting_user)
    return Share(party=user or group, access=access)


def record_unshare(*, record: Record, user: User | None = None, group: Group | None = None, acting_user) -> bool:
    """Take back the share of ``record`` with a user or a group. Returns False if there was none."""
    model, party = _party(user, group)
    with transaction.atomic():
        before = _shared_with(record)
        deleted, _ = _rows(model, record).filter(permission__codename__in=_codenames(record).values(), **party).delete()
        _log(record, before, acting_user)
    return bool(deleted)


def shares_purge(record: Record) -> None:
    """Remove every object permission on a record about to be deleted for good. Guardian's rows have no
    foreign key to the record, so no cascade removes them: they would stay behind pointing at nothing."""
    _rows(UserObjectPermission, record).delete()
    _rows(GroupObjectPermission, record).delete()
