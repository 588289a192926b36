"""The authorization matrix (issue 3): every actor, sharing default, action and owner, for Accounts
and Contacts, asserted through real HTTP requests and compared with the manual's answer from matrix.py.

Actors: the Admin, the Management, Manager and Staff users of the default roles, and an Auditor with a custom
profile. One test id per cell, e.g. ``test_edit[contacts-public_read-staff-shared_read_write]``.

- view: GET the detail page → 200, offering Edit and Delete exactly when they are allowed, or 404 when the
  record must stay unknown;
- edit: GET the edit page → 200, 403 on a visible record the user may not edit, 404 on an invisible one;
- delete: POST the delete page → the record is in the Recycle Bin, or 403/404 and it is not;
- list: the record is among the list's search results exactly when it is viewable;
- export: there is no export page yet (it arrives with issue 6), so the cell asks the queryset every export
  will read through, ``visible_to(user, "export")``; when issue 6 lands, this cell should GET the export.

The world (roles, users, groups, sharing rules, one record per cell) is built once per test module and worker
inside a transaction rolled back at the end, like ``TestCase.setUpTestData``; each cell runs in its own
savepoint, so a deleted record is back for the next cell.
"""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import reverse

from secondcrm.access.models import ModuleRight, Profile, Role, SharingDefault, SharingRule, User
from secondcrm.records.registry import registry
from tests.factories import AccountFactory, ContactFactory
from tests.personas import make_user

from . import matrix
from .matrix import ACTORS, CATEGORIES, MODES, MODULES

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Cell:
    """One row of the matrix: whose record (category) of which module, seen by whom, under which default."""

    module: str
    mode: str
    actor: str
    category: str

    def __str__(self) -> str:
        return f"{self.module}-{self.mode}-{self.actor}-{self.category}"

    def expects(self, action: str) -> bool:
        return matrix.expected(ACTORS[self.actor], self.category, self.module, self.mode, action)

    def says(self, action: str) -> str:
        verdict = "may" if self.expects(action) else "may not"
        return f"{self.actor} {verdict} {action} the {self.category} record in {self.module} under {self.mode}"


CELLS = [
    Cell(module, mode, actor, category)
    for module in MODULES
    for mode in MODES
    for actor in ACTORS
    for category in CATEGORIES
]
each_cell = pytest.mark.parametrize("cell", CELLS, ids=str)


@dataclass
class World:
    """What the cells need from the database: record ids and a signed-in session per actor."""

    records: dict[tuple[str, str, str], int]
    sessions: dict[str, str]

    def record_id(self, cell: Cell) -> int:
        return self.records[cell.module, cell.actor, cell.category]

    def client(self, cell: Cell) -> Client:
        """A client signed in as the cell's actor (the session was created with the world)."""
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[cell.actor]
        return client

    def url(self, cell: Cell, name: str) -> str:
        return reverse(f"records:{name}", kwargs={"module": cell.module, "pk": self.record_id(cell)})

    def enter(self, cell: Cell) -> Client:
        """Put the cell's sharing default in place and hand back the actor's client."""
        SharingDefault.objects.update_or_create(module=cell.module, defaults={"access": cell.mode})
        return self.client(cell)


def record_name(module: str, actor: str, category: str) -> str:
    # No name is a substring of another ("shared_read" vs "shared_read_write"), so a search finds one record.
    return f"Matrix {module} record [{category}] of <{actor}>"


def is_admin(username: str) -> bool:
    return username in ACTORS and ACTORS[username].is_admin


def build_world() -> World:
    """Roles, profiles, users, groups, sharing rules and records exactly as matrix.py describes them."""
    profiles = {p.preset: p for p in Profile.objects.exclude(preset="")}
    auditor = Profile.objects.create(name=matrix.AUDITOR_PROFILE, description="Reads and exports; corrects contacts")
    for module, granted in matrix.PROFILE_RIGHTS[matrix.AUDITOR_PROFILE].items():
        ModuleRight.objects.create(profile=auditor, module=module, **{f"can_{right}": True for right in granted})
    profiles[matrix.AUDITOR_PROFILE] = auditor

    roles = {role.name: role for role in Role.objects.filter(name__in=matrix.DEFAULT_ROLES)}
    for name, parent in matrix.ROLE_PARENTS.items():
        if name in roles:
            # The default roles come from the migrations: make sure they hold what the model assumes.
            held = {p.preset or p.name for p in roles[name].profiles.all()}
            assert held == {matrix.ROLE_PROFILE[name]}, f"{name} holds {held}"
            continue
        roles[name] = Role.objects.create(name=name, parent=roles[parent])
        roles[name].profiles.add(profiles[matrix.ROLE_PROFILE[name]])

    admin_flag = {"is_superuser": True, "is_staff": True}
    users = {
        username: make_user(username, roles[role], **(admin_flag if is_admin(username) else {}))
        for username, role in matrix.USER_ROLES.items()
    }
    groups = {}
    for name, members in matrix.GROUP_MEMBERS.items():
        groups[name] = Group.objects.create(name=name)
        groups[name].user_set.add(*(users[member] for member in members))

    for rule in matrix.RULES:
        sharing = SharingRule(module=rule.module, access=rule.access)
        for side, (kind, party) in (("from", rule.source), ("to", rule.target)):
            setattr(sharing, f"{side}_kind", kind)
            setattr(
                sharing,
                f"{side}_{'group' if kind == 'group' else 'role'}",
                (groups if kind == "group" else roles)[party],
            )
        sharing.full_clean()
        sharing.save()

    factories = {"accounts": (AccountFactory, "account_name"), "contacts": (ContactFactory, "last_name")}
    extra = {"contacts": {"account": None}}
    records = {}
    for module in MODULES:
        factory, title = factories[module]
        for username, actor in ACTORS.items():
            for category in CATEGORIES:
                kind, owner = matrix.owner(actor, category)
                assigned = {"assigned_group": groups[owner]} if kind == "group" else {"assigned_user": users[owner]}
                record = factory(
                    **{title: record_name(module, username, category)}, **assigned, **extra.get(module, {})
                )
                records[module, username, category] = record.pk

    sessions = {}
    for username in ACTORS:
        client = Client()
        client.force_login(users[username])
        sessions[username] = client.session.session_key
    return World(records=records, sessions=sessions)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, committed to nobody: built in an outer transaction that is rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@each_cell
def test_view(world, cell):
    response = world.enter(cell).get(world.url(cell, "detail"))
    assert response.status_code == (200 if cell.expects("view") else 404), cell.says("view")
    if cell.expects("view"):
        assert response.context["can_edit"] == cell.expects("edit"), cell.says("edit")
        assert response.context["can_delete"] == cell.expects("delete"), cell.says("delete")


@each_cell
def test_edit(world, cell):
    response = world.enter(cell).get(world.url(cell, "edit"))
    wanted = 404 if not cell.expects("view") else 200 if cell.expects("edit") else 403
    assert response.status_code == wanted, cell.says("edit")


@each_cell
def test_delete(world, cell):
    response = world.enter(cell).post(world.url(cell, "delete"))
    model = registry.get(cell.module).model
    in_bin = model.all_objects.in_recycle_bin().filter(pk=world.record_id(cell)).exists()
    if cell.expects("delete"):
        assert response.status_code == 302, cell.says("delete")
        assert response.url == reverse("records:list", kwargs={"module": cell.module})
        assert in_bin, "the record was not moved to the Recycle Bin"
    else:
        assert response.status_code == (403 if cell.expects("view") else 404), cell.says("delete")
        assert not in_bin, "a refused delete still moved the record to the Recycle Bin"


@each_cell
def test_export(world, cell):
    # No export page before issue 6: assert the queryset the export will read through.
    world.enter(cell)
    model = registry.get(cell.module).model
    user = User.objects.get(username=cell.actor)
    exportable = model.objects.visible_to(user, "export").filter(pk=world.record_id(cell)).exists()
    assert exportable == cell.expects("export"), cell.says("export")


@each_cell
def test_list(world, cell):
    module = registry.get(cell.module)
    query = {"search_value": record_name(cell.module, cell.actor, cell.category), "search_in": module.title_field}
    response = world.enter(cell).get(reverse("records:list", kwargs={"module": cell.module}), query)
    assert response.status_code == 200
    listed = f'href="{world.url(cell, "detail")}"' in response.text
    assert listed == cell.expects("view"), cell.says("view") + " (in the list)"
