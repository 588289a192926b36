"""The Audit Trail: every action of a signed-in user is one row (refused attempts too), and Settings > Audit
Trail lists them for admins, filterable."""

import datetime

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from secondcrm.access.models import AuditEntry
from tests.factories import AccountFactory
from tests.record_suite import form_data

pytestmark = pytest.mark.django_db

AUDIT_URL = reverse("settings_admin:audit_trail")


def url(name: str, record=None, **kwargs) -> str:
    if record is not None:
        kwargs["pk"] = record.pk
    return reverse(f"records:{name}", kwargs={"module": Account.module, **kwargs})


def only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, [str(e) for e in entries]
    return entries[0]


# --- recording ----------------------------------------------------------------------------------------------


def test_it_records_a_view_with_user_ip_module_and_record(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Audited Account")
    response = client_as(staff).get(account.get_absolute_url(), REMOTE_ADDR="198.51.100.4")
    assert response.status_code == 200
    entry = only_entry()
    assert (entry.user, entry.user_name, entry.ip_address) == (staff, "staff", "198.51.100.4")
    assert (entry.action, entry.module, entry.record_id, entry.record_label) == (
        "View",
        "accounts",
        account.pk,
        "Audited Account",
    )
    assert (entry.method, entry.status_code, entry.path) == ("GET", 200, account.get_absolute_url())


def test_it_takes_the_client_ip_from_the_proxy_and_ignores_garbage(client_as, staff):
    client = client_as(staff)
    client.get(url("list"), HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1")
    client.get(url("list"), HTTP_X_FORWARDED_FOR="not-an-address")
    assert list(AuditEntry.objects.order_by("pk").values_list("ip_address", "action")) == [
        ("203.0.113.9", "View list"),
        (None, "View list"),
    ]


def test_it_records_a_create_with_the_new_record(client_as, staff):
    template = AccountFactory(assigned_user=staff)
    data = form_data(Account.module, template, staff) | {"account_name": "Created And Audited"}
    AuditEntry.objects.all().delete()
    response = client_as(staff).post(url("add"), data)
    created = Account.objects.get(account_name="Created And Audited")
    assert response.status_code == 302
    entry = only_entry()
    assert (entry.action, entry.method, entry.module, entry.record_id) == ("Create", "POST", "accounts", created.pk)
    assert entry.record_label == "Created And Audited"


def test_a_refused_create_has_no_record(client_as, staff):
    client_as(staff).post(url("add"), {})
    entry = only_entry()
    assert (entry.action, entry.status_code, entry.record_id, entry.record_label) == ("Create", 422, None, "")


def test_it_records_an_edit(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Before")
    data = form_data(Account.module, account, staff) | {"account_name": "After"}
    assert client_as(staff).post(url("edit", account), data).status_code == 302
    entry = only_entry()
    assert (entry.action, entry.record_id, entry.record_label, entry.status_code) == ("Edit", account.pk, "After", 302)


def test_it_records_a_delete(client_as, manager, staff):
    account = AccountFactory(assigned_user=staff, account_name="Going Away")
    assert client_as(manager).post(url("delete", account)).status_code == 302
    entry = only_entry()
    assert (entry.user, entry.action, entry.record_id, entry.record_label) == (
        manager,
        "Delete",
        account.pk,
        "Going Away",
    )


def test_refused_and_unknown_attempts_are_recorded_with_their_status(client_as, staff, staff_east):
    account = AccountFactory(assigned_user=staff, account_name="Not Yours")
    assert client_as(staff).post(url("delete", account)).status_code == 403  # Staff may not delete
    assert client_as(staff_east).get(account.get_absolute_url()).status_code == 404  # another branch
    refused, unknown = AuditEntry.objects.order_by("pk")
    assert (refused.user, refused.action, refused.status_code, refused.record_id) == (staff, "Delete", 403, account.pk)
    assert (unknown.user, unknown.action, unknown.status_code, unknown.record_id) == (
        staff_east,
        "View",
        404,
        account.pk,
    )


def test_opening_forms_is_recorded_with_the_record_in_the_url(client_as, staff):
    account = AccountFactory(assigned_user=staff, account_name="Copied")
    client = client_as(staff)
    client.get(url("edit", account))
    client.get(url("duplicate", account))
    client.get(url("add"))
    rows = AuditEntry.objects.order_by("pk").values_list("action", "record_id", "record_label")
    assert list(rows) == [
        ("Open edit form", account.pk, "Copied"),
        ("Open create form", account.pk, "Copied"),
        ("Open create form", None, ""),
    ]


def test_an_id_too_large_for_any_record_is_a_404_without_a_record(client_as, staff):
    assert client_as(staff).get(f"/accounts/{10**30}/").status_code == 404
    entry = only_entry()
    assert (entry.action, entry.status_code, entry.record_id, entry.module) == ("View", 404, None, "accounts")


def test_comments_inline_edits_and_mass_deletes_get_their_verbs(client_as, manager):
    first = AccountFactory(assigned_user=manager, account_name="First")
    second = AccountFactory(assigned_user=manager, account_name="Second")
    client = client_as(manager)
    client.post(url("comment_add", first), {"body": "Called them"})
    client.post(url("inline_edit", first, field="account_name"), {"account_name": "First Renamed"})
    client.post(url("mass_delete"), {"selection": [first.pk, second.pk]})
    rows = AuditEntry.objects.order_by("pk").values_list("action", "record_id", "record_label")
    assert list(rows) == [
        ("Comment", first.pk, "First"),
        ("Inline edit", first.pk, "First Renamed"),
        ("Mass delete", None, "First Renamed, Second"),
    ]


def test_the_recycle_bin_records_restore_and_purge_with_the_label(client_as, admin, staff):
    account = AccountFactory(assigned_user=staff, account_name="Binned")
    client = client_as(admin)
    client.post(url("delete", account))
    bin_url = reverse("settings_admin:recycle_bin")
    client.post(bin_url, {"module": "accounts", "action": "restore", "selection": [account.pk]})
    client.post(url("delete", account))
    client.post(bin_url, {"module": "accounts", "action": "purge", "selection": [account.pk]})
    assert not Account.all_objects.filter(pk=account.pk).exists()
    rows = AuditEntry.objects.filter(method="POST").order_by("pk").values_list("action", "module", "record_label")
    assert list(rows) == [
        ("Delete", "accounts", "Binned"),
        ("Restore", "accounts", "Binned"),
        ("Delete", "accounts", "Binned"),
        ("Purge", "accounts", "Binned"),
    ]


def test_settings_pages_and_other_pages_are_recorded_without_a_module(client_as, admin):
    client = client_as(admin)
    client.get(reverse("home"))
    client.post(reverse("settings_admin:numbering"), {})
    rows = AuditEntry.objects.order_by("pk").values_list("action", "module", "record_id")
    assert list(rows) == [("View", "", None), ("Settings change", "", None)]


def test_nothing_is_recorded_for_anonymous_requests_static_files_or_the_health_check(staff):
    account = AccountFactory(assigned_user=staff)
    anonymous = Client()
    assert anonymous.get(account.get_absolute_url()).status_code == 302  # to the sign-in page
    anonymous.post(reverse("login"), {"username": "staff", "password": "wrong"})
    Client().get("/static/vendor/htmx/htmx.min.js")
    Client().get(reverse("healthz"))
    assert not AuditEntry.objects.exists()


def test_sign_in_and_out_stay_in_login_history_only(staff):
    from tests.personas import PASSWORD

    client = Client()
    assert client.post(reverse("login"), {"username": "staff", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    assert not AuditEntry.objects.exists()


def test_the_picker_and_htmx_fragments_are_not_recorded(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    client = client_as(staff)
    htmx = {"HX-Request": "true"}
    assert client.get(url("picker"), {"q": "a"}).status_code == 200
    assert client.get(url("inline_edit", account, field="phone"), headers=htmx).status_code == 200
    assert client.get(account.get_absolute_url(), headers=htmx).status_code == 200  # the Updates tab reloading
    assert client.get(url("quick_create"), headers=htmx).status_code == 200
    assert not AuditEntry.objects.exists()
    # The same detail page opened by a boosted link is a real visit.
    client.get(account.get_absolute_url(), headers=htmx | {"HX-Boosted": "true"})
    assert only_entry().action == "View"


@override_settings(AUDIT_TRAIL_ENABLED=False)
def test_nothing_is_recorded_when_the_audit_trail_is_turned_off(client_as, manager):
    account = AccountFactory(assigned_user=manager)
    client = client_as(manager)
    client.get(account.get_absolute_url())
    client.post(url("delete", account))
    client.get(AUDIT_URL)
    assert not AuditEntry.objects.exists()


# --- Settings > Audit Trail ------------------------------------------------------------------------------------


def entry(user, action="View", module="accounts", record_id=None, days_ago=0, **fields) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user,
        user_name=user.username,
        ip_address="192.0.2.1",
        action=action,
        module=module,
        record_id=record_id,
        path="/somewhere/",
        method="GET",
        status_code=200,
        at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def listed(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return [row[0] for row in response.context["rows"]]


def test_the_page_is_for_admins_only(client_as, manager, management):
    assert client_as(manager).get(AUDIT_URL).status_code == 403
    assert client_as(management).get(AUDIT_URL).status_code == 403


def test_the_page_lists_newest_first_and_links_to_existing_records(client_as, admin, staff):
    alive = AccountFactory(assigned_user=staff, account_name="Still <Here>")
    binned = AccountFactory(assigned_user=staff, account_name="In The Bin")
    binned.deleted_at = timezone.now()
    binned.save()
    older = entry(staff, record_id=alive.pk, record_label="Still <Here>", days_ago=2)
    newer = entry(staff, action="Delete", record_id=binned.pk, record_label="In The Bin", days_ago=1)
    response = client_as(admin).get(AUDIT_URL)
    assert listed(response) == [newer, older]
    body = response.content.decode()
    assert f'<a href="{alive.get_absolute_url()}">Still &lt;Here&gt;</a>' in body
    assert binned.get_absolute_url() not in body
    assert reverse("settings_admin:login_history") in body


def test_the_filters_narrow_the_list(client_as, admin, staff, manager):
    by_staff = entry(staff, record_id=7, days_ago=10)
    by_manager_edit = entry(manager, action="Edit", record_id=8, days_ago=3)
    contact_view = entry(manager, module="contacts", record_id=7, days_ago=1)
    client = client_as(admin)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    cases = [
        ({"user": staff.pk}, [by_staff]),
        ({"module": "contacts"}, [contact_view]),
        ({"action": "Edit"}, [by_manager_edit]),
        ({"record_id": 7}, [contact_view, by_staff]),
        ({"date_from": today - 4 * day, "date_to": today - 2 * day}, [by_manager_edit]),
        ({"date_to": today - 5 * day}, [by_staff]),
        ({"user": manager.pk, "module": "accounts"}, [by_manager_edit]),
    ]
    for filters, expected in cases:
        assert listed(client.get(AUDIT_URL, filters)) == expected, filters


def test_pages_keep_the_filters(client_as, admin, staff):
    for _ in range(55):
        entry(staff, action="Edit")
    entry(staff, action="View")
    response = client_as(admin).get(AUDIT_URL, {"action": "Edit"})
    assert len(listed(response)) == 50
    assert "?page=2&amp;action=Edit" in response.content.decode()
    assert len(listed(client_as(admin).get(AUDIT_URL, {"action": "Edit", "page": 2}))) == 5


def test_bad_filters_get_clear_errors(client_as, admin, staff):
    entry(staff)
    client = client_as(admin)
    response = client.get(AUDIT_URL, {"record_id": "abc", "date_from": "2024-05-02", "date_to": "2024-05-01"})
    assert response.status_code == 422
    body = response.content.decode()
    assert "Enter a whole number." in body
    assert "The end date must not be before the start date." in body
    assert client.get(AUDIT_URL, {"date_to": "9999-12-31"}).status_code == 422
    assert client.get(AUDIT_URL, {"module": "nonsense"}).status_code == 422


def test_the_settings_index_offers_the_audit_trail(client_as, admin):
    assert AUDIT_URL in client_as(admin).get(reverse("settings_admin:index")).content.decode()
