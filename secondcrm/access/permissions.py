"""What one user may do, read from the access tables once and kept on the user object for the request.

``access_for(user)`` answers three questions the rest of the CRM asks:

- ``can(module, right)``: may the user's profiles view/create/edit/delete/import/export/merge in a module?
- ``field_access(module)``: which fields are invisible or read-only to them?
- ``condition(model, action)``: the one SQL condition on a module's records that ``visible_to`` applies.

Order of the checks (the manual's, see SEMANTICS.md): admin → module right → profile "view all"/"edit all"
→ the module's organization-wide default → owner, role above the owner, owning group, sharing rules and
explicit shares OR-ed together. "Below my role" is a prefix match on the materialized role path, so the
whole condition stays one indexed query however deep the tree is.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import transaction
from django.db.models import BigIntegerField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from guardian.models import GroupObjectPermission, UserObjectPermission

from .models import FieldRight, HiddenField, Profile, Role, SharingDefault, SharingRule, User
from .models.profiles import PRESET_RIGHTS

# The module right each record action needs.
ACTION_RIGHTS = {"view": "view", "edit": "edit", "delete": "delete", "export": "export"}
READING = ("view", "export")
# Most permissive wins when a role has several profiles.
FIELD_RANK = {FieldRight.Access.INVISIBLE: 0, FieldRight.Access.READ_ONLY: 1, FieldRight.Access.READ_WRITE: 2}
NOTHING = Q(pk__in=[])
# Explicit shares up to this many are inlined into the visibility condition as literal ids.
SHARED_IDS_INLINE = 1000
# django-guardian permission codenames that share a record explicitly, per action.
SHARE_CODENAMES = {"view": ("view", "change"), "export": ("view", "change"), "edit": ("change",)}

_version = 0
GENERATION_KEY = "secondcrm:access:generation"
# How long the cache keeps an entry of ``cached_until_changed``, changed or not.
CACHED_FOR = 24 * 60 * 60
T = TypeVar("T")


def access_changed(**kwargs) -> None:
    """Signal receiver: any change to roles, profiles, groups, sharing (explicit shares included), custom fields
    or module layouts makes cached answers stale: at once in this process, and in every process once the change
    is committed (a policy cached from uncommitted data could otherwise outlive a rollback)."""
    global _version
    _version += 1
    if settings.ACCESS_POLICY_CACHE:
        transaction.on_commit(_next_generation)


def _next_generation() -> None:
    cache = caches[settings.ACCESS_POLICY_CACHE]
    cache.add(GENERATION_KEY, 0, timeout=None)
    cache.incr(GENERATION_KEY)


def _changed_in_this_transaction() -> bool:
    """Whether the open transaction changed a table ``access_changed`` watches: its next generation starts
    only on commit, so until then the cache describes the rows as they were. Django keeps the pending
    ``on_commit`` callbacks in ``run_on_commit`` and drops those of a rolled-back savepoint, which is exactly
    how long such a change lasts."""
    return any(callback is _next_generation for _, callback, _ in transaction.get_connection().run_on_commit)


def cached_until_changed(key: str, build: Callable[[], T]) -> T:
    """``build()``, kept under ``key`` in the cache ``ACCESS_POLICY_CACHE`` until a table ``access_changed``
    watches changes: one round trip when cached. Built every time when the cache is off, and inside a
    transaction that changed such a table, which must read its own changes. Every call returns new objects (the
    cache hands out unpickled copies), so a caller may change what it gets."""
    alias = settings.ACCESS_POLICY_CACHE
    if not alias or _changed_in_this_transaction():
        return build()
    cache = caches[alias]
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY, 0)
    cached = found.get(key)
    if cached is not None and cached[0] == generation:
        return cached[1]
    value = build()
    cache.set(key, (generation, value), timeout=CACHED_FOR)
    return value


@dataclass(frozen=True)
class FieldAccess:
    """The fields of one module a user may not see, and those they may see but not change."""

    invisible: frozenset[str] = frozenset()
    read_only: frozenset[str] = frozenset()

    def visible(self, name: str) -> bool:
        return name not in self.invisible

    def writable(self, name: str) -> bool:
        return name not in self.invisible and name not in self.read_only


@dataclass
class RolePolicy:
    """What every user of one role shares: profiles, module rights, field access, sharing defaults and rules.
    It is the part that costs queries, so it is built once and kept in the cache ``ACCESS_POLICY_CACHE``
    (Redis in production) until an access table changes."""

    role_path: str = ""
    # Every user in a role below this one (not peers): their records are this role's users' too. A literal
    # list, so that PostgreSQL can answer "owned by one of them" from the assigned-user index.
    users_below: tuple[int, ...] = ()
    profiles: list[Profile] = field(default_factory=list)
    sharing_defaults: dict[str, str] = field(default_factory=dict)
    rules: list[SharingRule] = field(default_factory=list)
    # Filled per module on first use; the cached copy holds what was filled before it was stored.
    rights: dict[str, frozenset[str]] = field(default_factory=dict)
    fields: dict[str, FieldAccess] = field(default_factory=dict)

    @classmethod
    def build(cls, role_id: int | None) -> "RolePolicy":
        from secondcrm.records.registry import registry

        if role_id is None:
            return cls()
        role_path = Role.objects.values_list("path", flat=True).get(pk=role_id)
        below = User.objects.filter(role__path__startswith=role_path).exclude(role_id=role_id)
        policy = cls(
            role_path=role_path,
            users_below=tuple(below.values_list("pk", flat=True)),
            profiles=list(Profile.objects.filter(roles=role_id).prefetch_related("module_rights")),
            sharing_defaults=dict(SharingDefault.objects.values_list("module", "access")),
            rules=list(SharingRule.objects.select_related("from_role", "to_role")),
        )
        for module in registry:
            policy.rights[module.name] = policy.module_rights(module.name)
        policy.fields = field_access_by_module(policy.profiles, list(registry))
        return policy

    def module_rights(self, module: str) -> frozenset[str]:
        """The union of the rights the role's profiles grant on ``module``."""
        if module not in self.rights:
            granted: set[str] = set()
            for profile in self.profiles:
                row = next((r for r in profile.module_rights.all() if r.module == module), None)
                granted |= row.granted() if row else PRESET_RIGHTS.get(profile.preset, set())
            self.rights[module] = frozenset(granted)
        return self.rights[module]


def role_policy(role_id: int | None) -> RolePolicy:
    """The role's policy from the shared cache (one round trip), built and stored on a miss."""
    if role_id is None:
        return RolePolicy.build(role_id)
    return cached_until_changed(f"secondcrm:access:role:{role_id}", lambda: RolePolicy.build(role_id))


class Access:
    def __init__(self, user) -> None:
        self.user = user
        self.version = _version
        self._rules: dict[str, list[SharingRule]] = {}
        self._shared: dict[tuple, Q] = {}

    @cached_property
    def is_admin(self) -> bool:
        return self.user.is_superuser

    @cached_property
    def policy(self) -> RolePolicy:
        return role_policy(self.user.role_id)

    @property
    def profiles(self) -> list[Profile]:
        return self.policy.profiles

    @property
    def group_ids(self) -> list[int]:
        return self._memberships[0]

    @property
    def shared_codenames(self) -> frozenset[str]:
        """The codename of each permission of a module that the user holds on some record, directly or through a
        group: a model without any needs no query for its shared ids, so a page reading every module (the global
        search) does not pay one query per module. A codename names its model (``view_account``), unless another
        app has a model of that name: then the ids are read, and say whether any are of this one."""
        return self._memberships[1]

    @cached_property
    def _memberships(self) -> tuple[list[int], frozenset[str]]:
        """The user's groups and ``shared_codenames``, from the shared cache until a group's members or a share
        change (one round trip instead of two queries). Only whether a module holds shares is cached: the shared
        records' ids are read on every request that needs them."""
        return cached_until_changed(f"secondcrm:access:user:{self.user.pk}", self._read_memberships)

    def _read_memberships(self) -> tuple[list[int], frozenset[str]]:
        """Two queries; each share permission is answered by an index probe however many records it shares."""
        from secondcrm.records.registry import registry

        group_ids = list(self.user.groups.values_list("pk", flat=True))
        verbs = dict.fromkeys(verb for action_verbs in SHARE_CODENAMES.values() for verb in action_verbs)
        codenames = [f"{verb}_{module.model._meta.model_name}" for module in registry for verb in verbs]
        held = Exists(UserObjectPermission.objects.filter(user_id=self.user.pk, permission=OuterRef("pk")))
        if group_ids:
            by_group = GroupObjectPermission.objects.filter(group_id__in=group_ids, permission=OuterRef("pk"))
            held |= Exists(by_group)
        found = Permission.objects.filter(held, codename__in=codenames).order_by()
        return group_ids, frozenset(found.values_list("codename", flat=True))

    @property
    def role_path(self) -> str:
        return self.policy.role_path

    # --- Profiles ------------------------------------------------------------------------------------------
    def rights(self, module: str) -> frozenset[str]:
        """The union of the rights the user's profiles grant on ``module``."""
        return self.policy.module_rights(module)

    def can(self, module: str, right: str) -> bool:
        return self.is_admin or right in self.rights(module)

    @cached_property
    def view_all(self) -> bool:
        return any(p.view_all or p.edit_all for p in self.profiles)

    @cached_property
    def edit_all(self) -> bool:
        return any(p.edit_all for p in self.profiles)

    def field_access(self, module) -> FieldAccess:
        """Invisible and read-only fields of ``module`` (a registry Module); admins see and write all."""
        if self.is_admin:
            return FieldAccess()
        if module.name not in self.policy.fields:
            self.policy.fields.update(field_access_by_module(self.profiles, [module]))
        return self.policy.fields[module.name]

    # --- Records -------------------------------------------------------------------------------------------
    def sharing_default(self, module: str) -> str:
        return self.policy.sharing_defaults.get(module, SharingDefault.Access.PRIVATE)

    def rules(self, module: str) -> list[SharingRule]:
        """The module's sharing rules whose receiving side includes this user."""
        if module not in self._rules:
            self._rules[module] = [r for r in self.policy.rules if r.module == module and self._receives(r)]
        return self._rules[module]

    def _receives(self, rule: SharingRule) -> bool:
        kind = rule.to_kind
        if kind == SharingRule.Party.GROUP:
            return rule.to_group_id in self.group_ids
        if kind == SharingRule.Party.ROLE:
            return rule.to_role_id == self.user.role_id
        return bool(self.role_path) and self.role_path.startswith(rule.to_role.path)

    def condition(self, model, action: str) -> Q | None:
        """The records of ``model`` this user may ``action``: a Q, or None for "all of them"."""
        module = model.module.name
        if self.is_admin:
            return None
        if not self.can(module, ACTION_RIGHTS[action]) or (action == "export" and not self.can(module, "view")):
            return NOTHING
        if self.edit_all or (action in READING and self.view_all):
            return None
        default = self.sharing_default(module)
        if default == SharingDefault.Access.PUBLIC_READ_WRITE:
            return None
        if default == SharingDefault.Access.PUBLIC_READ and action in READING:
            return None
        condition = self.owned_condition()
        for rule in self.rules(module):
            if action in READING or (action == "edit" and rule.access == SharingRule.Access.READ_WRITE):
                condition |= owned_by(rule)
        if action in SHARE_CODENAMES:
            condition |= self.shared_condition(model, SHARE_CODENAMES[action])
        return condition

    def owned_condition(self) -> Q:
        """Owned by the user, by a user in a role below theirs (not a peer), or by one of their groups."""
        condition = Q(assigned_user_id__in=[self.user.pk, *self.policy.users_below])
        if self.group_ids:
            condition |= Q(assigned_group_id__in=self.group_ids)
        return condition

    def shared_condition(self, model, verbs: tuple[str, ...]) -> Q:
        """Records shared with the user, or with one of their groups, one by one (django-guardian).

        The ids are read first (one query per model and action in a request, none for a model that no codename of
        ``shared_codenames`` names) and passed as a literal list: a subquery inside the OR would keep PostgreSQL
        from combining the indexes of the other conditions and make it scan the whole table. Past
        ``SHARED_IDS_INLINE`` shares the subquery is the better plan."""
        key = (model, verbs)
        if key not in self._shared:
            if not self._holds_shares(model, verbs):
                self._shared[key] = NOTHING
            else:
                shared = self._shared_ids(model, verbs)
                ids = [int(pk) for pk in shared[: SHARED_IDS_INLINE + 1].values_list("record_id", flat=True)]
                if len(ids) > SHARED_IDS_INLINE:
                    self._shared[key] = Q(pk__in=shared.values("record_id"))
                else:
                    self._shared[key] = Q(pk__in=ids) if ids else NOTHING
        return self._shared[key]

    def _holds_shares(self, model, verbs: tuple[str, ...]) -> bool:
        return any(f"{verb}_{model._meta.model_name}" in self.shared_codenames for verb in verbs)

    def _shared_ids(self, model, verbs: tuple[str, ...]):
        content_type = ContentType.objects.get_for_model(model)
        codenames = [f"{verb}_{model._meta.model_name}" for verb in verbs]
        by_user = UserObjectPermission.objects.filter(
            user_id=self.user.pk, content_type=content_type, permission__codename__in=codenames
        )
        by_group = GroupObjectPermission.objects.filter(
            group_id__in=self.group_ids, content_type=content_type, permission__codename__in=codenames
        )
        as_ids = [by_user] + ([by_group] if self.group_ids else [])
        queries = [q.annotate(record_id=Cast("object_pk", BigIntegerField())).values("record_id") for q in as_ids]
        return queries[0].union(*queries[1:]) if len(queries) > 1 else queries[0]


def owned_by(rule: SharingRule) -> Q:
    """Records whose owner is on the sharing side of ``rule``."""
    if rule.from_kind == SharingRule.Party.GROUP:
        members = User.objects.filter(groups=rule.from_group_id).values("pk")
        return Q(assigned_group_id=rule.from_group_id) | Q(assigned_user_id__in=members)
    if rule.from_kind == SharingRule.Party.ROLE:
        return Q(assigned_user_id__in=User.objects.filter(role_id=rule.from_role_id).values("pk"))
    return Q(assigned_user_id__in=User.objects.filter(role__path__startswith=rule.from_role.path).values("pk"))


def field_access_by_module(profiles: list[Profile], modules: list) -> dict[str, FieldAccess]:
    """Field access of each of ``modules`` for a role holding ``profiles``. Organization-wide hidden fields
    override profiles; a field stays writable if any of the profiles lets it be written; mandatory fields are
    never restricted, or nobody could create a record."""
    names = [module.name for module in modules]
    rows = FieldRight.objects.filter(module__in=names, profile__in=[p.pk for p in profiles])
    levels: dict[tuple[str, str], str] = {}
    counts: dict[tuple[str, str], int] = {}
    for module, name, access in rows.values_list("module", "field", "access"):
        key = (module, name)
        counts[key] = counts.get(key, 0) + 1
        best = levels.get(key, FieldRight.Access.INVISIBLE)
        levels[key] = access if FIELD_RANK[access] >= FIELD_RANK[best] else best
    # A field restricted by only some of the profiles is read/write through the others.
    levels = {key: level for key, level in levels.items() if counts[key] == len(profiles)}
    for key in HiddenField.objects.filter(module__in=names).values_list("module", "field"):
        levels[key] = FieldRight.Access.INVISIBLE
    result = {}
    for module in modules:
        mandatory = mandatory_fields(module)
        mine = {name: level for (m, name), level in levels.items() if m == module.name and name not in mandatory}
        result[module.name] = FieldAccess(
            invisible=frozenset(name for name, level in mine.items() if level == FieldRight.Access.INVISIBLE),
            read_only=frozenset(name for name, level in mine.items() if level == FieldRight.Access.READ_ONLY),
        )
    return result


def mandatory_fields(module) -> set[str]:
    """Fields a record of ``module`` cannot be saved without; no profile or field access can hide them."""
    from secondcrm.records.models import CustomField

    names = {
        f.name
        for f in module.model._meta.concrete_fields
        if f.editable and not f.blank and not f.has_default() and not f.primary_key
    }
    names |= set(CustomField.objects.filter(module=module.name, mandatory=True).values_list("name", flat=True))
    return names | {"assigned_to"}


def access_for(user) -> Access:
    """The user's Access, computed once per user object and recomputed after any access change."""
    access = getattr(user, "_secondcrm_access", None)
    if access is None or access.version != _version:
        access = Access(user)
        user._secondcrm_access = access
    return access
