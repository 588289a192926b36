"""The sales team generated records belong to: 50 users across a role tree of two branches.

Organization
└── Management            2 users
    ├── Manager           4
    │   └── Staff         16
    │       └── Junior Staff   4
    └── Manager East      4
        └── Staff East    20

Management, Manager and Staff are the installation's default roles; the three others are added below them
(each holding the predefined profile of its kind) unless a role of that name is already there. Under Private
sharing a Staff user sees their own records and the four Junior Staff users', never their 15 peers': a tenth of
what the team owns. Generated users are known by their user name, ``gen_<role>_<nn>``; they get realistic
names but no password (an admin can set one in User Management to sign in as one of them)."""

import random
from dataclasses import dataclass

from django.db import transaction

from secondcrm.access.models import Profile, Role, User

from .vocabulary import FIRST_NAMES, LAST_NAMES

USERNAME_PREFIX = "gen_"
# Users per role, in the order records are handed out.
TEAM = {"Management": 2, "Manager": 4, "Staff": 16, "Junior Staff": 4, "Manager East": 4, "Staff East": 20}
# The roles added to the default tree: name → (parent role, preset of the profile it holds).
ADDED_ROLES = {
    "Junior Staff": ("Staff", Profile.Preset.STAFF),
    "Manager East": ("Management", Profile.Preset.MANAGER),
    "Staff East": ("Manager East", Profile.Preset.STAFF),
}
CURRENCIES = ("SGD", "SGD", "SGD", "USD", "MYR", "AUD")


@dataclass
class Team:
    """The generated users by role, in ``TEAM``'s order."""

    members: dict[str, list[User]]

    @property
    def users(self) -> list[User]:
        return [user for role in TEAM for user in self.members[role]]

    def member(self, role: str, n: int = 1) -> User:
        """The ``n``-th user (from 1) of ``role``."""
        return self.members[role][n - 1]


def username(role: str, n: int) -> str:
    return f"{USERNAME_PREFIX}{role.lower().replace(' ', '_')}_{n:02d}"


def build_team(seed: int) -> Team:
    """The team's roles and users, created where missing: generating again reuses the team already there."""
    rng = random.Random(f"{seed}:team")
    with transaction.atomic():
        roles = _roles()
        members = {}
        for role, count in TEAM.items():
            members[role] = []
            for n in range(1, count + 1):
                first, last, currency = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES), rng.choice(CURRENCIES)
                name = username(role, n)
                user = User.objects.filter(username=name).first()
                if user is None:
                    user = User(
                        username=name,
                        first_name=first,
                        last_name=last,
                        email=f"{name}@team.example",
                        role=roles[role],
                        currency=currency,
                    )
                    user.set_unusable_password()
                    user.save()
                members[role].append(user)
    return Team(members)


def _roles() -> dict[str, Role]:
    """The team's roles by name: the default ones as they are, the added ones found or created."""
    roles = {}
    for name in TEAM:
        if name in ADDED_ROLES:
            parent_name, preset = ADDED_ROLES[name]
            role = Role.objects.filter(name=name, parent=roles[parent_name]).first()
            if role is None:
                role = Role.objects.create(name=name, parent=roles[parent_name])
                role.profiles.add(Profile.objects.get(preset=preset))
        else:
            role = Role.objects.filter(name=name).order_by("path").first()
            if role is None:
                raise ValueError(f"The role tree has no role named {name!r}: generated users would have no place.")
        roles[name] = role
    return roles


def generated_users():
    return User.objects.filter(username__startswith=USERNAME_PREFIX)


def remove_team() -> None:
    """Delete the generated users, then the added roles nobody is left in (deepest first)."""
    generated_users().delete()
    for name, (parent_name, _preset) in reversed(ADDED_ROLES.items()):
        for role in Role.objects.filter(name=name, parent__name=parent_name):
            if not role.users.exists() and not role.children.exists():
                role.delete()
