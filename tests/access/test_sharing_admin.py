"""Settings > Sharing Access: organization-wide defaults, custom sharing rules, and what they do to what
staff can open, all through HTTP."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Account
from secondcrm.access.models import SharingDefault, SharingRule
from secondcrm.records.registry import registry
from tests.accounts.test_accounts import account_form
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

SHARING = reverse("settings_admin:sharing")
ADD_RULE = reverse("settings_admin:sharing_rule_add")
Party = SharingRule.Party


def defaults(**changes) -> dict:
    """The Sharing Access form as posted: every registered module Private, but for ``changes``."""
    return {module.name: "private" for module in registry} | changes


def rule_data(from_kind, from_party, to_kind, to_party, access="read", module="accounts") -> dict:
    data = {"module": module, "from_kind": from_kind, "to_kind": to_kind, "access": access}
    data["from_group" if from_kind == Party.GROUP else "from_role"] = from_party.pk
    data["to_group" if to_kind == Party.GROUP else "to_role"] = to_party.pk
    return data


@pytest.fixture
def sales(staff) -> Group:
    group = Group.objects.create(name="Sales Team")
    staff.groups.add(group)
    return group


@pytest.mark.parametrize(
    "url",
    [
        SHARING,
        ADD_RULE,
        reverse("settings_admin:field_access"),
        reverse("settings_admin:explain"),
    ],
)
def test_only_admins_manage_sharing(client_as, manager, management, url):
    for user in (manager, management):
        assert client_as(user).get(url).status_code == 403
        assert client_as(user).post(url, {}).status_code == 403


def test_non_admins_cannot_change_or_delete_rules(client_as, manager, roles):
    rule = SharingRule.objects.create(
        module="accounts", from_kind=Party.ROLE, from_role=roles["Staff"], to_kind=Party.ROLE, to_role=roles["Manager"]
    )
    client = client_as(manager)
    assert client.post(reverse("settings_admin:sharing_rule_delete", args=[rule.pk])).status_code == 403
    data = rule_data(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"], "read_write")
    assert client.post(reverse("settings_admin:sharing_rule_edit", args=[rule.pk]), data).status_code == 403
    assert client.post(SHARING, defaults(accounts="public_read_write")).status_code == 403
    rule.refresh_from_db()
    assert rule.from_role == roles["Staff"] and not SharingDefault.objects.exists()


def test_settings_index_links_the_pages(client_as, admin):
    body = client_as(admin).get(reverse("settings_admin:index")).content.decode()
    for name in ("sharing", "field_access", "explain"):
        assert reverse(f"settings_admin:{name}") in body
    assert "Sharing Access" in body and "Field Access" in body and "Access Explainer" in body


def test_sharing_page_shows_each_module_default_and_rules(client_as, admin, roles, sales):
    SharingDefault.objects.create(module="contacts", access=SharingDefault.Access.PUBLIC_READ)
    SharingRule.objects.create(
        module="accounts",
        from_kind=Party.ROLE_AND_SUBORDINATES,
        from_role=roles["Manager"],
        to_kind=Party.GROUP,
        to_group=sales,
        access=SharingRule.Access.READ_WRITE,
    )
    response = client_as(admin).get(SHARING)
    assert response.status_code == 200
    body = response.content.decode()
    form = response.context["form"]
    assert form["accounts"].value() == "private" and form["contacts"].value() == "public_read"
    assert '<label for="id_accounts">Accounts</label>' in body
    assert "Public: Read, Create/Edit, Delete" in body
    assert "Accounts of Role and Subordinates: Manager can be accessed by Group: Sales Team — Read/Write" in body
    assert "No sharing rules for contacts." in body
    assert f"{ADD_RULE}?module=documents" in body


def test_saving_defaults_writes_a_row_per_changed_module(client_as, admin):
    client = client_as(admin)
    response = client.post(SHARING, defaults(accounts="public_read", documents="public_read_write"), follow=True)
    assert dict(SharingDefault.objects.values_list("module", "access")) == {
        "accounts": "public_read",
        "documents": "public_read_write",
    }
    body = response.content.decode()
    assert "Sharing access saved (" in body
    assert "Accounts: Public: Read Only" in body and "Documents: Public: Read, Create/Edit, Delete" in body
    assert "Contacts:" not in body
    client.post(SHARING, defaults())
    assert set(SharingDefault.objects.values_list("access", flat=True)) == {"private"}


@pytest.mark.parametrize("data", [defaults(accounts="everyone"), {"accounts": "private"}])
def test_a_bad_default_is_a_form_error(client_as, admin, data):
    response = client_as(admin).post(SHARING, data)
    assert response.status_code == 422
    assert response.context["form"].errors
    assert not SharingDefault.objects.exists()


def test_admin_adds_edits_and_deletes_a_rule(client_as, admin, roles, sales):
    client = client_as(admin)
    form_page = client.get(f"{ADD_RULE}?module=contacts")
    assert form_page.status_code == 200
    assert form_page.context["form"]["module"].value() == "contacts"
    assert form_page.context["form"]["from_kind"].value() == form_page.context["form"]["to_kind"].value() == "role"
    assert '<label class="form-label small" for="id_from_role">Role</label>' in form_page.content.decode()

    response = client.post(ADD_RULE, rule_data(Party.GROUP, sales, Party.ROLE, roles["Manager"]), follow=True)
    rule = SharingRule.objects.get()
    assert (rule.from_group, rule.to_role, rule.access) == (sales, roles["Manager"], "read")
    assert "Sharing rule saved: Accounts of Group: Sales Team can be accessed by Role: Manager — Read Only." in (
        response.content.decode()
    )

    edit = reverse("settings_admin:sharing_rule_edit", args=[rule.pk])
    assert client.get(edit).context["form"]["from_group"].value() == sales.pk
    data = rule_data(Party.ROLE, roles["Staff"], Party.ROLE, roles["Manager"], "read_write")
    data["from_group"] = sales.pk  # a stale choice of the other kind is dropped, not kept
    assert client.post(edit, data).status_code == 302
    rule.refresh_from_db()
    assert (rule.from_kind, rule.from_role, rule.from_group, rule.access) == (
        "role",
        roles["Staff"],
        None,
        "read_write",
    )

    delete = reverse("settings_admin:sharing_rule_delete", args=[rule.pk])
    assert client.get(delete).status_code == 405
    response = client.post(delete, follow=True)
    assert not SharingRule.objects.exists()
    assert "Sharing rule deleted: Accounts of Role: Staff can be accessed by Role: Manager — Read/Write." in (
        response.content.decode()
    )


def test_unknown_rules_are_404(client_as, admin):
    client = client_as(admin)
    assert client.get(reverse("settings_admin:sharing_rule_edit", args=[999999])).status_code == 404
    assert client.post(reverse("settings_admin:sharing_rule_delete", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"from_role": ""}, "from_role", "Choose a role."),
        ({"to_kind": "group", "to_role": ""}, "to_group", "Choose a group."),
        ({"module": "nothing"}, "module", "Select a valid choice."),
        ({"access": "delete"}, "access", "Select a valid choice."),
        ({"to_role": "999999"}, "to_role", "Select a valid choice."),
    ],
)
def test_an_incomplete_rule_shows_the_error_on_its_field(client_as, admin, roles, change, field, message):
    data = rule_data(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"]) | change
    response = client_as(admin).post(ADD_RULE, data)
    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors[field])
    assert message in response.content.decode()
    assert not SharingRule.objects.exists()


def test_a_rule_identical_to_another_is_refused(client_as, admin, roles):
    client = client_as(admin)
    data = rule_data(Party.ROLE, roles["Manager"], Party.ROLE_AND_SUBORDINATES, roles["Staff"])
    assert client.post(ADD_RULE, data).status_code == 302
    for access in ("read", "read_write"):
        response = client.post(ADD_RULE, data | {"access": access})
        assert response.status_code == 422
        assert "A rule for these parties already exists (Read Only); edit that rule instead." in (
            response.content.decode()
        )
    assert SharingRule.objects.count() == 1
    # The same parties on another module, or the other kind of the same role, are different rules.
    assert client.post(ADD_RULE, data | {"module": "contacts"}).status_code == 302
    assert client.post(ADD_RULE, data | {"to_kind": "role"}).status_code == 302
    # Saving a rule unchanged is not a clash with itself.
    rule = SharingRule.objects.filter(module="accounts").first()
    assert client.post(reverse("settings_admin:sharing_rule_edit", args=[rule.pk]), data).status_code == 302


@pytest.mark.parametrize("kind", [Party.ROLE, Party.ROLE_AND_SUBORDINATES, Party.GROUP])
def test_a_rule_from_a_party_to_itself_is_refused(client_as, admin, roles, sales, kind):
    party = sales if kind == Party.GROUP else roles["Staff"]
    response = client_as(admin).post(ADD_RULE, rule_data(kind, party, kind, party))
    assert response.status_code == 422
    assert "name the same party; choose two different parties." in response.content.decode()
    assert not SharingRule.objects.exists()


def test_rule_sentences_are_escaped(client_as, admin, roles):
    group = Group.objects.create(name="<script>alert(1)</script>")
    SharingRule.objects.create(
        module="accounts", from_kind=Party.GROUP, from_group=group, to_kind=Party.ROLE, to_role=roles["Staff"]
    )
    body = client_as(admin).get(SHARING).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- what the settings do to staff, through the record pages ---------------------------------------------------


@pytest.fixture
def managers_account(manager) -> Account:
    return AccountFactory(account_name="Manager Only Pte Ltd", assigned_user=manager)


def can_open(client, account) -> int:
    return client.get(account.get_absolute_url()).status_code


def edit_status(client, account, user) -> int:
    url = reverse("records:edit", args=["accounts", account.pk])
    return client.post(url, account_form(account, user, account_name="Renamed by staff")).status_code


def test_private_keeps_a_managers_account_from_staff(client_as, staff, managers_account):
    client = client_as(staff)
    assert can_open(client, managers_account) == 404
    assert "Manager Only Pte Ltd" not in client.get(reverse("records:list", args=["accounts"])).content.decode()


def test_public_read_only_lets_staff_view_but_not_edit(client_as, admin, staff, manager, managers_account):
    client_as(admin).post(SHARING, defaults(accounts="public_read"))
    client = client_as(staff)
    assert can_open(client, managers_account) == 200
    assert "Manager Only Pte Ltd" in client.get(reverse("records:list", args=["accounts"])).content.decode()
    assert edit_status(client, managers_account, manager) == 403
    managers_account.refresh_from_db()
    assert managers_account.account_name == "Manager Only Pte Ltd"
    # Contacts kept their own (private) default.
    assert can_open(client, ContactFactory(assigned_user=manager)) == 404


def test_a_read_only_rule_lets_staff_view_only(client_as, admin, staff, manager, roles, managers_account):
    client_as(admin).post(ADD_RULE, rule_data(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"]))
    client = client_as(staff)
    assert can_open(client, managers_account) == 200
    assert edit_status(client, managers_account, manager) == 403


def test_a_read_write_rule_lets_staff_edit(client_as, admin, staff, manager, roles, sales, managers_account):
    data = rule_data(Party.ROLE_AND_SUBORDINATES, roles["Manager"], Party.GROUP, sales, "read_write")
    client_as(admin).post(ADD_RULE, data)
    client = client_as(staff)
    assert can_open(client, managers_account) == 200
    assert edit_status(client, managers_account, manager) == 302
    managers_account.refresh_from_db()
    assert managers_account.account_name == "Renamed by staff"
    # Sharing never grants Delete, and Staff Profile has no Delete right anyway.
    delete_url = reverse("records:delete", args=["accounts", managers_account.pk])
    assert client.post(delete_url).status_code == 403


def test_deleting_the_rule_takes_the_access_back(client_as, admin, staff, roles, managers_account):
    admin_client = client_as(admin)
    admin_client.post(ADD_RULE, rule_data(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"]))
    client = client_as(staff)
    assert can_open(client, managers_account) == 200
    admin_client.post(reverse("settings_admin:sharing_rule_delete", args=[SharingRule.objects.get().pk]))
    assert can_open(client, managers_account) == 404


def test_a_rule_for_another_branch_shares_nothing_with_staff(
    client_as, admin, staff, staff_east, roles, managers_account
):
    client_as(admin).post(ADD_RULE, rule_data(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff East"]))
    assert can_open(client_as(staff), managers_account) == 404
    assert can_open(client_as(staff_east), managers_account) == 200
