"""The role policy cache (Redis), with each user's groups and the modules they hold shares in: pages stop querying
the access tables, and a committed change to them is seen by the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import HiddenField, ModuleRight, Profile, SharingRule
from secondcrm.access.permissions import GENERATION_KEY
from secondcrm.access.shares import record_share, record_unshare
from tests.factories import AccountFactory

# Committed transactions: the cache is invalidated on commit, which a rolled-back test never reaches.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ACCESS_TABLES = ("access_profile", "access_moduleright", "access_fieldright", "access_sharingrule")


@pytest.fixture
def policy_cache(roles):
    cache = caches["default"]
    cache.delete_many([GENERATION_KEY, *(f"secondcrm:access:role:{role.pk}" for role in roles.values())])
    with override_settings(ACCESS_POLICY_CACHE="default"):
        yield cache


def access_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if any(table in q["sql"] for table in ACCESS_TABLES)]


def test_a_cached_policy_needs_no_access_queries(policy_cache, client_as, staff):
    AccountFactory(assigned_user=staff)
    client = client_as(staff)
    url = reverse("records:list", kwargs={"module": Account.module})
    assert access_queries(client, url)  # the first request builds the policy
    assert access_queries(client, url) == []


def test_a_committed_change_reaches_the_next_request(policy_cache, client_as, staff):
    account = AccountFactory(assigned_user=staff, ticker_symbol="ZQXT")
    client = client_as(staff)
    list_url = reverse("records:list", kwargs={"module": Account.module})
    assert client.get(list_url).status_code == 200
    assert "ZQXT" in client.get(account.get_absolute_url()).text

    HiddenField.objects.create(module="accounts", field="ticker_symbol")
    assert "ZQXT" not in client.get(account.get_absolute_url()).text

    staff_profile = Profile.objects.get(preset=Profile.Preset.STAFF)
    ModuleRight.objects.create(profile=staff_profile, module="accounts", can_view=False)
    assert client.get(list_url).status_code == 403


def test_a_share_or_a_group_membership_reaches_the_next_request(policy_cache, client_as, staff, staff_east):
    """A user's groups and the modules they hold shares in are cached with the policy; the shared ids are not."""
    caches["default"].delete(f"secondcrm:access:user:{staff.pk}")
    account = AccountFactory(assigned_user=staff_east)
    client = client_as(staff)
    assert client.get(account.get_absolute_url()).status_code == 404  # caches that staff holds no shares

    record_share(record=account, user=staff, access=SharingRule.Access.READ, acting_user=staff_east)
    assert client.get(account.get_absolute_url()).status_code == 200
    record_unshare(record=account, user=staff, acting_user=staff_east)
    assert client.get(account.get_absolute_url()).status_code == 404

    group = Group.objects.create(name="Key accounts")
    account.assigned_user, account.assigned_group = None, group
    account.save()
    assert client.get(account.get_absolute_url()).status_code == 404
    staff.groups.add(group)
    assert client.get(account.get_absolute_url()).status_code == 200


def test_a_cached_user_needs_no_group_or_share_queries(policy_cache, client_as, staff):
    caches["default"].delete(f"secondcrm:access:user:{staff.pk}")
    AccountFactory(assigned_user=staff)
    client = client_as(staff)
    url = reverse("records:list", kwargs={"module": Account.module})
    tables = ("access_user_groups", "guardian_userobjectpermission", "guardian_groupobjectpermission")

    def membership_queries() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in queries if any(table in q["sql"] for table in tables)]

    assert membership_queries()  # the first request reads them
    assert membership_queries() == []
