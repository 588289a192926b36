"""The authorization matrix's world and its expected answers, written from the manual ("Who may see and do
what" in SEMANTICS.md) and deliberately NOT from ``secondcrm.access.permissions``: if the expectation were
computed by the code under test, a wrong rule would agree with itself.

The world (test_matrix.py builds it in the database from these tables):

Organization                    ceo
└── Management                  management, management_peer, admin (the Admin flag)
    ├── Manager                 manager, manager_peer
    │   └── Staff               staff, staff_peer
    │       └── Trainee         trainee
    ├── Manager East            (a second branch)
    │   ├── Staff East          staff_east
    │   └── Support East        support_east
    └── Auditor                 auditor, auditor_peer   (custom "Auditor Profile")
        └── Audit Clerk         audit_clerk

For every actor, module and category below there is one record, owned by:
self → the actor; peer → another user in the actor's role; subordinate → a user in a role below; superior →
a user in a role above; group → the actor's own team group; shared_read → staff_east, whose records a
read-only sharing rule gives to the actors; shared_read_write → support_east, likewise with a read/write rule.
The east branch is unrelated to Manager, Staff and Auditor; for Management and the admin it lies below, which
changes nothing: the one reads everything and changes nothing, the other may do anything.
"""

from dataclasses import dataclass

MODULES = ("accounts", "contacts")
MODES = ("private", "public_read", "public_read_write")
ACTIONS = ("view", "edit", "delete", "export")
CATEGORIES = ("self", "peer", "subordinate", "superior", "group", "shared_read", "shared_read_write")
READING = ("view", "export")

# role → parent role; the order is the order of creation (a parent before its children).
ROLE_PARENTS = {
    "Organization": None,
    "Management": "Organization",
    "Manager": "Management",
    "Staff": "Manager",
    "Trainee": "Staff",
    "Manager East": "Management",
    "Staff East": "Manager East",
    "Support East": "Manager East",
    "Auditor": "Management",
    "Audit Clerk": "Auditor",
}
# The roles the default migrations create; the others the matrix adds.
DEFAULT_ROLES = ("Organization", "Management", "Manager", "Staff")

EVERYTHING = frozenset({"view", "create", "edit", "delete", "import", "export", "merge"})
AUDITOR_PROFILE = "Auditor Profile"
# Each profile's module rights, as the manual describes the predefined ones. The custom Auditor Profile reads
# and exports Accounts but changes none; it may correct Contacts (edit) but not delete them.
PROFILE_RIGHTS = {
    "management": {module: frozenset({"view", "export"}) for module in MODULES},
    "manager": dict.fromkeys(MODULES, EVERYTHING),
    "staff": {module: frozenset({"view", "create", "edit", "import"}) for module in MODULES},
    AUDITOR_PROFILE: {
        "accounts": frozenset({"view", "export"}),
        "contacts": frozenset({"view", "edit", "export"}),
    },
}
# Profiles with "View all records" (Management reads everything it may view).
VIEW_ALL_PROFILES = frozenset({"management"})
# The profile each role holds: a preset name, or the custom profile's name.
ROLE_PROFILE = {
    "Organization": "manager",
    "Management": "management",
    "Manager": "manager",
    "Staff": "staff",
    "Trainee": "staff",
    "Manager East": "manager",
    "Staff East": "staff",
    "Support East": "staff",
    "Auditor": AUDITOR_PROFILE,
    "Audit Clerk": AUDITOR_PROFILE,
}

REVIEWERS = "Reviewers"


@dataclass(frozen=True)
class Actor:
    """A user whose rights the matrix checks, with the users who own their peer/subordinate/superior records."""

    username: str
    role: str
    peer: str
    subordinate: str
    superior: str
    is_admin: bool = False

    @property
    def team(self) -> str:
        """The group only this actor belongs to; "group" records are assigned to it."""
        return f"Team {self.username}"


ACTORS = {
    actor.username: actor
    for actor in (
        Actor("admin", "Management", peer="management_peer", subordinate="manager", superior="ceo", is_admin=True),
        Actor("management", "Management", peer="management_peer", subordinate="manager", superior="ceo"),
        Actor("manager", "Manager", peer="manager_peer", subordinate="staff", superior="management"),
        Actor("staff", "Staff", peer="staff_peer", subordinate="trainee", superior="manager"),
        Actor("auditor", "Auditor", peer="auditor_peer", subordinate="audit_clerk", superior="management"),
    )
}

# Every user of the world and their role.
USER_ROLES = {
    "ceo": "Organization",
    "admin": "Management",
    "management": "Management",
    "management_peer": "Management",
    "manager": "Manager",
    "manager_peer": "Manager",
    "staff": "Staff",
    "staff_peer": "Staff",
    "trainee": "Trainee",
    "staff_east": "Staff East",
    "support_east": "Support East",
    "auditor": "Auditor",
    "auditor_peer": "Auditor",
    "audit_clerk": "Audit Clerk",
}

# group → members. Every actor has a team of their own; all actors are Reviewers (a sharing rule's target).
GROUP_MEMBERS = {actor.team: frozenset({name}) for name, actor in ACTORS.items()} | {REVIEWERS: frozenset(ACTORS)}


@dataclass(frozen=True)
class Rule:
    """A sharing rule: records owned on the ``source`` side are shared with users on the ``target`` side.
    A side is (kind, role or group name), kind one of role / role_and_subordinates / group."""

    module: str
    source: tuple[str, str]
    target: tuple[str, str]
    access: str  # "read" or "read_write"


# The party kinds differ per module so that every kind is exercised on both sides of some rule.
RULES = (
    Rule("accounts", ("role", "Staff East"), ("role_and_subordinates", "Management"), "read"),
    Rule("accounts", ("role_and_subordinates", "Support East"), ("group", REVIEWERS), "read_write"),
    Rule("contacts", ("role_and_subordinates", "Staff East"), ("group", REVIEWERS), "read"),
    Rule("contacts", ("role", "Support East"), ("role_and_subordinates", "Management"), "read_write"),
)


def ancestors(role: str) -> list[str]:
    """The roles above ``role``, nearest first."""
    found = []
    parent = ROLE_PARENTS[role]
    while parent is not None:
        found.append(parent)
        parent = ROLE_PARENTS[parent]
    return found


def owner(actor: Actor, category: str) -> tuple[str, str]:
    """Who owns the actor's record of ``category``: ("user", username) or ("group", group name)."""
    if category == "group":
        return ("group", actor.team)
    users = {
        "self": actor.username,
        "peer": actor.peer,
        "subordinate": actor.subordinate,
        "superior": actor.superior,
        "shared_read": "staff_east",
        "shared_read_write": "support_east",
    }
    return ("user", users[category])


def on_side(side: tuple[str, str], username: str) -> bool:
    """Is the user on this side of a sharing rule?"""
    kind, party = side
    if kind == "group":
        return username in GROUP_MEMBERS[party]
    role = USER_ROLES[username]
    return role == party or (kind == "role_and_subordinates" and party in ancestors(role))


def owns(username: str, record_owner: tuple[str, str]) -> bool:
    """The manual's step 5: the owner is the user, a user in a role *below* theirs (never a peer or a
    superior), or a group they belong to."""
    kind, name = record_owner
    if kind == "group":
        return username in GROUP_MEMBERS[name]
    return name == username or USER_ROLES[username] in ancestors(USER_ROLES[name])


def rule_access(module: str, username: str, record_owner: tuple[str, str]) -> str | None:
    """The widest access the module's sharing rules give ``username`` on a record, or None."""
    kind, name = record_owner
    granted = {
        rule.access
        for rule in RULES
        if rule.module == module and kind == "user" and on_side(rule.source, name) and on_side(rule.target, username)
    }
    return "read_write" if "read_write" in granted else ("read" if granted else None)


def rights(actor: Actor, module: str) -> frozenset[str]:
    return PROFILE_RIGHTS[ROLE_PROFILE[actor.role]].get(module, frozenset())


def expected(actor: Actor, category: str, module: str, mode: str, action: str) -> bool:
    """May ``actor`` perform ``action`` on their record of ``category`` under sharing default ``mode``?"""
    if actor.is_admin:  # 1. Admins bypass everything.
        return True
    granted = rights(actor, module)  # 3. The profile's right for the action (export needs view too).
    if action not in granted or (action == "export" and "view" not in granted):
        return False
    if action in READING and ROLE_PROFILE[actor.role] in VIEW_ALL_PROFILES:  # 2. "View all records".
        return True
    if mode == "public_read_write":  # 6. Everyone with the module right may do everything.
        return True
    if mode == "public_read" and action in READING:
        return True
    record_owner = owner(actor, category)
    if owns(actor.username, record_owner):  # 5. Own, below me, or my group.
        return True
    shared = rule_access(module, actor.username, record_owner)  # 6. Sharing rules; never delete.
    return (shared is not None and action in READING) or (shared == "read_write" and action == "edit")
