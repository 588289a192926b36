""" "Why can this user see this record?": for each record action, Allowed or Denied and the rule(s) deciding it.

The answer is never worked out a second time: ``Allowed`` is the very condition ``visible_to`` applies
(``Access.condition``), evaluated on the one record, so the explainer cannot disagree with what the user gets.
The reasons come from the same pieces that condition is built of (the profile rights, "View all"/"Edit all",
the organization-wide default, ``owned_condition``, ``owned_by(rule)`` per sharing rule, ``shared_condition``),
each evaluated on its own against the record, in the order ``Access.condition`` checks them.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from secondcrm.records.models import Record
from secondcrm.records.querysets import ACTIONS
from secondcrm.records.registry import registry

from .models import SharingDefault, SharingRule
from .permissions import ACTION_RIGHTS, READING, SHARE_CODENAMES, Access, access_for, owned_by
from .shares import shares_of

# How the explainer names an organization-wide default ("Public Read Only sharing on Accounts").
DEFAULT_NAMES = {
    SharingDefault.Access.PRIVATE: "Private",
    SharingDefault.Access.PUBLIC_READ: "Public Read Only",
    SharingDefault.Access.PUBLIC_READ_WRITE: "Public Read/Write",
}


@dataclass(frozen=True)
class Verdict:
    """Whether the user may do ``action`` on the record, and the rules that decide it."""

    action: str
    allowed: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.action.title()


def module_label(module_name: str) -> str:
    """The module's name as the menu shows it; a rule left behind by a removed module keeps its key."""
    return registry.get(module_name).label if module_name in registry else module_name.title()


def rule_sentence(rule: SharingRule) -> str:
    """A sharing rule as one sentence: "Accounts of Role: Staff can be accessed by Group: Sales — Read Only"."""
    return (
        f"{module_label(rule.module)} of {_party(rule, 'from')} can be accessed by {_party(rule, 'to')}"
        f" — {rule.get_access_display()}"
    )


def _party(rule: SharingRule, side: str) -> str:
    kind = getattr(rule, f"{side}_kind")
    party = getattr(rule, f"{side}_group" if kind == SharingRule.Party.GROUP else f"{side}_role")
    return f"{SharingRule.Party(kind).label}: {party}"


def explain(user, record: Record) -> list[Verdict]:
    """One Verdict per record action (view, edit, delete, export) of ``user`` on ``record``."""
    return [_verdict(user, record, action) for action in ACTIONS]


def _verdict(user, record: Record, action: str) -> Verdict:
    model = type(record)
    if record.is_deleted:
        return Verdict(action, False, ["The record is in the Recycle Bin: nobody can open it until it is restored"])
    if not user.is_active:
        return Verdict(action, False, [f"{user} is inactive"])
    access = access_for(user)
    condition = access.condition(model, action)
    allowed = condition is None or _matches(record, condition)
    return Verdict(action, allowed, _reasons(access, record, action, allowed))


def _matches(record: Record, condition: Q) -> bool:
    return type(record).objects.filter(condition).filter(pk=record.pk).exists()


def _reasons(access: Access, record: Record, action: str, allowed: bool) -> list[str]:
    """The deciding rule(s), checked in the order of ``Access.condition``."""
    module = record.module
    if access.is_admin:
        return ["Admin"]
    for right in (ACTION_RIGHTS[action], "view") if action == "export" else (ACTION_RIGHTS[action],):
        if not access.can(module.name, right):
            return [_missing_right(access, right, module.label)]
    if access.edit_all:
        return [f"{_profiles_with(access, 'edit_all')} Edit all"]
    if action in READING and access.view_all:
        return [f"{_profiles_with(access, 'view_all')} View all"]
    default = access.sharing_default(module.name)
    if default == SharingDefault.Access.PUBLIC_READ_WRITE or (
        default == SharingDefault.Access.PUBLIC_READ and action in READING
    ):
        return [f"{DEFAULT_NAMES[default]} sharing on {module.label}"]
    granting = (
        _owner_reasons(access, record) + _rule_reasons(access, record, action) + _share_reasons(access, record, action)
    )
    if allowed:
        return granting
    return [f"No rule grants it ({DEFAULT_NAMES[default]} sharing)", *_why_not(access, record, action, default)]


def _missing_right(access: Access, right: str, module_label: str) -> str:
    if not access.profiles:
        return f"{access.user} has no role, so no profile grants {right.title()} on {module_label}"
    names = _names(access.profiles)
    verb = "has" if len(access.profiles) == 1 else "have"
    return f"{names} {verb} no {right.title()} right on {module_label}"


def _profiles_with(access: Access, flag: str) -> str:
    """The profile(s) that set ``flag`` ("View all"/"Edit all"), as in: Profile Management Profile has."""
    profiles = [p for p in access.profiles if getattr(p, flag) or (flag == "view_all" and p.edit_all)]
    return f"{_names(profiles)} {'has' if len(profiles) == 1 else 'have'}"


def _names(profiles) -> str:
    if len(profiles) == 1:
        return f"Profile {profiles[0]}"
    return "Profiles " + ", ".join(str(p) for p in profiles)


def _owner_reasons(access: Access, record: Record) -> list[str]:
    if not _matches(record, access.owned_condition()):
        return []
    if record.assigned_user_id == access.user.pk:
        return ["Owner"]
    if record.assigned_group_id is not None:
        return [f"Owned by group {record.assigned_group} which the user belongs to"]
    owner = record.assigned_user
    return [f"Owner's role {owner.role} is below {access.user.role}"]


def _rule_reasons(access: Access, record: Record, action: str) -> list[str]:
    return [
        f"Sharing rule: {rule_sentence(rule)}"
        for rule in access.rules(record.module.name)
        if _rule_grants(rule, action) and _matches(record, owned_by(rule))
    ]


def _rule_grants(rule: SharingRule, action: str) -> bool:
    """Rules share for reading; only a Read/Write rule also lets the user edit; no rule lets them delete."""
    return action in READING or (action == "edit" and rule.access == SharingRule.Access.READ_WRITE)


def _share_reasons(access: Access, record: Record, action: str) -> list[str]:
    if action not in SHARE_CODENAMES or not _matches(
        record, access.shared_condition(type(record), SHARE_CODENAMES[action])
    ):
        return []
    reasons = []
    for share in shares_of(record):
        if action == "edit" and not share.is_read_write:
            continue
        access_name = share.get_access_display().lower()
        if share.kind == "user" and share.party.pk == access.user.pk:
            reasons.append(f"Shared explicitly with the user ({access_name})")
        elif share.kind == "group" and share.party.pk in access.group_ids:
            reasons.append(f"Shared explicitly with group {share.party} which the user belongs to ({access_name})")
    return reasons


def _why_not(access: Access, record: Record, action: str, default: str) -> list[str]:
    """What came close: read-only grants when editing, and why sharing never deletes."""
    if action == "delete":
        if default == SharingDefault.Access.PUBLIC_READ:
            return ["Public Read Only sharing never allows Delete; only the owner's side may delete"]
        return ["Sharing rules and explicit shares never allow Delete; only the owner's side may delete"]
    if action == "edit":
        read_only = [
            f"Sharing rule gives read only: {rule_sentence(rule)}"
            for rule in access.rules(record.module.name)
            if rule.access == SharingRule.Access.READ and _matches(record, owned_by(rule))
        ]
        return read_only + _share_reasons(access, record, "view")
    return []
