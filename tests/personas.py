"""The people every test talks about, one fixture each, on the default role tree:

Organization
└── Management          management (read-only everything), admin (the Admin flag)
    ├── Manager         manager
    │   └── Staff       staff
    └── Manager East    (a second branch)
        └── Staff East  staff_east

Each role holds the predefined profile of its name (Manager East: Manager, Staff East: Staff).
"""

import pytest
from django.test import Client

from secondcrm.access.models import Profile, Role, User

PASSWORD = "persona-password"


def make_user(username: str, role: Role, **extra) -> User:
    return User.objects.create_user(
        username,
        f"{username}@example.com",
        PASSWORD,
        first_name=username.title(),
        last_name="Persona",
        role=role,
        **extra,
    )


@pytest.fixture
def roles(db) -> dict[str, Role]:
    found = {role.name: role for role in Role.objects.all()}
    east = Role.objects.create(name="Manager East", parent=found["Management"])
    east.profiles.add(Profile.objects.get(preset=Profile.Preset.MANAGER))
    found["Manager East"] = east
    found["Staff East"] = Role.objects.create(name="Staff East", parent=east)
    found["Staff East"].profiles.add(Profile.objects.get(preset=Profile.Preset.STAFF))
    return found


@pytest.fixture
def admin(roles) -> User:
    return make_user("admin", roles["Management"], is_superuser=True, is_staff=True)


@pytest.fixture
def management(roles) -> User:
    return make_user("management", roles["Management"])


@pytest.fixture
def manager(roles) -> User:
    return make_user("manager", roles["Manager"])


@pytest.fixture
def staff(roles) -> User:
    return make_user("staff", roles["Staff"])


@pytest.fixture
def staff_east(roles) -> User:
    return make_user("staff_east", roles["Staff East"])


@pytest.fixture
def client_as():
    """``client_as(user)``: a test client signed in as ``user``."""

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in
