"""What the benchmarks share: one collector of figures (``bench/results.md`` is written when the run ends) and one
generated world, built once per run by ``generate_data`` at ``BENCH_SCALE`` (default 1: a million leads).

The world's rows are committed and vacuumed, as a production table's would be: a transaction that is rolled back
could not VACUUM, and without the visibility map PostgreSQL plans and counts differently. So it is built outside
the tests' transactions, and removed at the end of the run with its test database. With ``BENCH_KEEP=1`` it stays,
in a test database of a fixed name that ``make bench`` keeps (``--reuse-db``): the next run finds the world there
and measures at once instead of generating it again. To remove it for good: ``SECONDCRM_TEST_DATABASE=
test_secondcrm_bench DJANGO_SETTINGS_MODULE=tests.settings manage.py generate_data --clear`` (or drop that
database). A transactional bench (the import's, whose worker must see committed rows) empties every table when it
ends, so those run last, in the world (an import into a table that already holds half a million contacts); with
``BENCH_KEEP=1`` that leaves the next run to generate the world again."""

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.template.base import Template
from django.test import override_settings
from django.test import utils as test_utils

from accounts.models import Account
from leads.models import Lead
from secondcrm.access.models import Role, SharingDefault, User
from secondcrm.benchdata.generate import Volumes, clear_data, generate_data
from secondcrm.benchdata.team import Team, build_team
from secondcrm.records.models import CustomField
from secondcrm.records.registry import registry
from tests.personas import make_user

from .results import Results

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
KEEP = os.environ.get("BENCH_KEEP") == "1"
SEED = 1
DATABASE = "test_secondcrm_bench"
ADMIN = "bench_admin"
# The custom fields an admin added before the records came: the generator gives every record a value of each.
REGIONS = [f"Region {n:02d}" for n in range(1, 21)]
CUSTOM_FIELDS = (
    {"module": "accounts", "name": "cf_region", "label": "Region", "field_type": "picklist", "choices": REGIONS},
    {"module": "accounts", "name": "cf_vip", "label": "VIP", "field_type": "checkbox"},
    {"module": "leads", "name": "cf_reference", "label": "Reference", "field_type": "text"},
)


@dataclass
class World:
    """The generated team and records, an admin, and the users the benches measure as."""

    team: Team
    admin: User
    volumes: Volumes

    @property
    def users(self) -> list[User]:
        return self.team.users

    @property
    def staff(self) -> User:
        """A Staff user: under Private sharing they see their own records and their four Junior Staff's."""
        return self.team.member("Staff")

    @property
    def staff_owners(self) -> list[int]:
        return [self.staff.pk, *(user.pk for user in self.team.members["Junior Staff"])]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional benches last: such a test empties every table when it ends."""
    items.sort(key=lambda item: any(mark.kwargs.get("transaction") for mark in item.iter_markers("django_db")))


@pytest.fixture(scope="session")
def bench_results() -> Iterator[Results]:
    results = Results()
    yield results
    results.write()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix) -> None:
    """With BENCH_KEEP=1, a test database of a fixed name, which ``--reuse-db`` finds again in the next run. Other
    runs keep a database of their own, so that two people's runs on one machine never drop each other's."""
    from django.db import connections

    if KEEP:
        connections["default"].settings_dict["TEST"]["NAME"] = DATABASE


@pytest.fixture(autouse=True)
def production_policy_cache(settings) -> None:
    """Every measured request reads its role's access policy from the shared cache, as in production (the test
    settings turn the cache off, and a page would pay a dozen queries more for it)."""
    settings.ACCESS_POLICY_CACHE = "default"


@pytest.fixture(autouse=True)
def production_template_rendering(monkeypatch) -> None:
    """Templates render as in production. The test environment instruments every render so that tests can inspect
    the contexts (it copies each template's context as it renders), which costs a list page several milliseconds
    that no user ever waits for."""
    monkeypatch.setattr(Template, "_render", test_utils._TestState.saved_data.template_render)


@pytest.fixture(scope="session")
def bench_world(request, django_db_setup, django_db_blocker) -> Iterator[World]:
    """The generated world at ``BENCH_SCALE``, with every module under Private sharing. Built with the access policy
    cache on, as the measured requests use it, so that its entries follow the rows."""
    volumes = Volumes.at_scale(SCALE)
    with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
        if Lead.all_objects.count() == volumes.leads and Account.all_objects.count() == volumes.accounts:
            print(f"\nThe generated world of the last run (scale {SCALE:g}) is still there: measuring it.")
            team = build_team(SEED)
        else:
            assert not any(module.model.all_objects.exists() for module in registry), (
                "the bench needs empty modules (or the world of a run with BENCH_KEEP=1 at the same BENCH_SCALE)"
            )
            try:
                for definition in CUSTOM_FIELDS:
                    CustomField.objects.get_or_create(
                        module=definition["module"], name=definition["name"], defaults=definition
                    )
                print(f"\nGenerating the world at scale {SCALE:g}:")
                team = generate_data(volumes, seed=SEED)
            except BaseException:
                remove_world()
                raise
        admin = User.objects.filter(username=ADMIN).first() or make_user(
            ADMIN, Role.objects.get(name="Management"), is_superuser=True, is_staff=True
        )
        for module in registry:
            SharingDefault.objects.update_or_create(
                module=module.name, defaults={"access": SharingDefault.Access.PRIVATE}
            )
    yield World(team, admin, volumes)
    # A database that is not kept is dropped when the run ends: nothing to clear then.
    if not KEEP and request.config.getoption("reuse_db"):
        with django_db_blocker.unblock(), override_settings(ACCESS_POLICY_CACHE="default"):
            remove_world()


def remove_world() -> None:
    """Leave the database as the benches found it."""
    clear_data()
    for definition in CUSTOM_FIELDS:
        CustomField.all_objects.filter(module=definition["module"], name=definition["name"]).delete()
    User.objects.filter(username=ADMIN).delete()
