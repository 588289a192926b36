""" "Why can this user see this record?": explain() agrees with visible_to for every persona, default and rule,
names the deciding rule, and the Settings page finds records by Record No or id."""

import itertools

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Account
from secondcrm.access.explain import explain
from secondcrm.access.models import ModuleRight, Profile, SharingDefault, SharingRule, User
from secondcrm.records.querysets import ACTIONS
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("admin", "management", "manager", "staff", "staff_east")
Party = SharingRule.Party


@pytest.fixture
def people(request, admin, management, manager, staff, staff_east) -> dict:
    return {name: request.getfixturevalue(name) for name in PERSONAS}


@pytest.fixture
def sales(staff_east, manager) -> Group:
    """A group with members in two branches of the role tree."""
    group = Group.objects.create(name="Sales Team")
    staff_east.groups.add(group)
    manager.groups.add(group)
    return group


def is_denial(reason: str) -> bool:
    return reason.startswith("No rule grants it") or " no " in reason


def verdicts(user, record) -> dict:
    return {v.action: v for v in explain(user, record)}


def set_default(access: str, module: str = "accounts") -> None:
    SharingDefault.objects.update_or_create(module=module, defaults={"access": access})


def rule(from_kind, from_party, to_kind, to_party, access=SharingRule.Access.READ, module="accounts") -> SharingRule:
    def side(name, kind, party):
        return {f"{name}_group" if kind == Party.GROUP else f"{name}_role": party}

    return SharingRule.objects.create(
        module=module,
        from_kind=from_kind,
        to_kind=to_kind,
        access=access,
        **side("from", from_kind, from_party),
        **side("to", to_kind, to_party),
    )


RULE_SETS = {
    "none": lambda roles, group: [],
    "manager to staff, read": lambda roles, group: [rule(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"])],
    "manager branch to east branch, read/write": lambda roles, group: [
        rule(
            Party.ROLE_AND_SUBORDINATES,
            roles["Manager"],
            Party.ROLE_AND_SUBORDINATES,
            roles["Manager East"],
            SharingRule.Access.READ_WRITE,
        )
    ],
    "group to staff, read/write; east to group, read": lambda roles, group: [
        rule(Party.GROUP, group, Party.ROLE, roles["Staff"], SharingRule.Access.READ_WRITE),
        rule(Party.ROLE, roles["Staff East"], Party.GROUP, group),
    ],
}


@pytest.mark.parametrize(("default", "rule_set"), list(itertools.product(SharingDefault.Access.values, RULE_SETS)))
def test_every_answer_equals_visible_to(people, roles, sales, default, rule_set):
    set_default(default)
    RULE_SETS[rule_set](roles, sales)
    records = [AccountFactory(assigned_user=owner) for owner in people.values()]
    records.append(AccountFactory(assigned_user=None, assigned_group=sales))
    shared = AccountFactory(assigned_user=people["manager"])
    assign_perm("view_account", people["staff_east"], shared)
    assign_perm("change_account", people["staff"], shared)
    records.append(shared)
    for user, record in itertools.product(people.values(), records):
        for verdict in explain(user, record):
            expected = Account.objects.visible_to(user, verdict.action).filter(pk=record.pk).exists()
            assert verdict.allowed == expected, (user.username, record.assigned_to, verdict)
            # A denial names what is missing; a grant names what grants it, never a missing piece.
            assert verdict.reasons and is_denial(verdict.reasons[0]) != verdict.allowed, (user.username, verdict)


def test_admin_is_allowed_everything(admin, staff):
    answers = explain(admin, AccountFactory(assigned_user=staff))
    assert [(v.action, v.allowed, v.reasons) for v in answers] == [(a, True, ["Admin"]) for a in ACTIONS]


def test_profile_rights_decide_first(staff, management, manager):
    account = AccountFactory(assigned_user=staff)
    staff_answers = verdicts(staff, account)
    assert staff_answers["delete"].reasons == ["Profile Staff Profile has no Delete right on Accounts"]
    assert staff_answers["export"].reasons == ["Profile Staff Profile has no Export right on Accounts"]
    assert not staff_answers["delete"].allowed and not staff_answers["export"].allowed

    boss = verdicts(management, account)
    assert boss["view"].allowed and boss["view"].reasons == ["Profile Management Profile has View all"]
    assert boss["export"].allowed
    assert not boss["edit"].allowed
    assert boss["edit"].reasons == ["Profile Management Profile has no Edit right on Accounts"]


def test_edit_all_and_a_user_without_a_role(staff, manager, roles):
    supervisors = Profile.objects.create(name="Supervisors", edit_all=True)
    ModuleRight.objects.create(profile=supervisors, module="accounts", can_view=True, can_edit=True)
    roles["Staff"].profiles.add(supervisors)
    answers = verdicts(staff, AccountFactory(assigned_user=manager))
    assert answers["edit"].allowed and answers["edit"].reasons == ["Profile Supervisors has Edit all"]
    assert answers["view"].reasons == ["Profile Supervisors has Edit all"]
    assert not answers["delete"].allowed
    assert answers["delete"].reasons == ["Profiles Staff Profile, Supervisors have no Delete right on Accounts"]

    nobody = User.objects.create_user("nobody", "nobody@example.com", "x", first_name="No", last_name="Role")
    answers = verdicts(nobody, AccountFactory(assigned_user=nobody))
    assert not answers["view"].allowed
    assert answers["view"].reasons == ["No Role has no role, so no profile grants View on Accounts"]


def test_owner_and_the_roles_above_the_owner(staff, manager, management):
    account = AccountFactory(assigned_user=staff)
    assert verdicts(staff, account)["edit"].reasons == ["Owner"]
    manager_answers = verdicts(manager, account)
    assert all(manager_answers[a].allowed for a in ACTIONS)
    assert manager_answers["delete"].reasons == ["Owner's role Staff is below Manager"]


def test_peers_and_other_branches_see_nothing_under_private(staff, staff_east, manager, roles):
    # A second user in the same role is a peer: peers do not see each other's records.
    from tests.personas import make_user

    peer = make_user("staff_peer", roles["Staff"])
    for user, owner in ((staff_east, staff), (peer, staff), (staff, manager)):
        answers = verdicts(user, AccountFactory(assigned_user=owner))
        assert not any(v.allowed for v in answers.values())
        assert answers["view"].reasons == ["No rule grants it (Private sharing)"]


def test_owning_group(staff_east, sales):
    account = AccountFactory(assigned_user=None, assigned_group=sales)
    answer = verdicts(staff_east, account)["edit"]
    assert answer.allowed
    assert answer.reasons == ["Owned by group Sales Team which the user belongs to"]


def test_public_read_only_lets_everyone_read_but_not_edit(staff, manager):
    set_default(SharingDefault.Access.PUBLIC_READ)
    answers = verdicts(staff, AccountFactory(assigned_user=manager))
    assert answers["view"].allowed
    assert answers["view"].reasons == ["Public Read Only sharing on Accounts"]
    assert not answers["edit"].allowed
    assert answers["edit"].reasons[0] == "No rule grants it (Public Read Only sharing)"


def test_public_read_write_lets_edit_and_the_profile_still_decides_delete(staff, staff_east, manager):
    set_default(SharingDefault.Access.PUBLIC_READ_WRITE)
    account = AccountFactory(assigned_user=staff)
    answers = verdicts(staff_east, account)
    assert answers["edit"].allowed and answers["edit"].reasons == ["Public Read/Write sharing on Accounts"]
    assert not answers["delete"].allowed
    manager_answers = verdicts(manager, AccountFactory(assigned_user=staff_east))
    assert manager_answers["delete"].allowed
    assert manager_answers["delete"].reasons == ["Public Read/Write sharing on Accounts"]


def test_a_read_only_rule_shares_for_reading_only(staff, manager, roles):
    rule(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"])
    answers = verdicts(staff, AccountFactory(assigned_user=manager))
    sentence = "Accounts of Role: Manager can be accessed by Role: Staff — Read Only"
    assert answers["view"].allowed and answers["view"].reasons == [f"Sharing rule: {sentence}"]
    assert not answers["edit"].allowed
    assert answers["edit"].reasons == [
        "No rule grants it (Private sharing)",
        f"Sharing rule gives read only: {sentence}",
    ]


def test_a_read_write_rule_from_a_group_lets_edit_but_never_delete(manager, staff, sales, roles):
    rule(Party.GROUP, sales, Party.ROLE_AND_SUBORDINATES, roles["Manager"], SharingRule.Access.READ_WRITE)
    account = AccountFactory(assigned_user=None, assigned_group=sales)
    answers = verdicts(staff, account)
    sentence = "Accounts of Group: Sales Team can be accessed by Role and Subordinates: Manager — Read/Write"
    assert answers["edit"].allowed and answers["edit"].reasons == [f"Sharing rule: {sentence}"]
    assert not answers["delete"].allowed


def test_rules_of_other_receivers_or_modules_do_not_count(staff, manager, roles):
    rule(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff East"])
    rule(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"], module="contacts")
    assert not verdicts(staff, AccountFactory(assigned_user=manager))["view"].allowed


def test_explicit_shares_name_their_access(staff, staff_east, manager, sales):
    account = AccountFactory(assigned_user=manager)
    assign_perm("change_account", staff, account)
    assign_perm("view_account", sales, account)
    staff_answers = verdicts(staff, account)
    assert staff_answers["edit"].reasons == ["Shared explicitly with the user (read/write)"]
    east_answers = verdicts(staff_east, account)
    assert east_answers["view"].reasons == [
        "Shared explicitly with group Sales Team which the user belongs to (read only)"
    ]
    assert not east_answers["edit"].allowed
    assert (
        "Shared explicitly with group Sales Team which the user belongs to (read only)" in east_answers["edit"].reasons
    )


def test_several_grants_are_all_named(manager, staff, roles):
    rule(Party.ROLE, roles["Staff"], Party.ROLE, roles["Manager"])
    answers = verdicts(manager, AccountFactory(assigned_user=staff))
    assert answers["view"].reasons == [
        "Owner's role Staff is below Manager",
        "Sharing rule: Accounts of Role: Staff can be accessed by Role: Manager — Read Only",
    ]


def test_records_in_the_recycle_bin_and_inactive_users_are_denied(staff, manager):
    deleted = AccountFactory(assigned_user=staff, deleted_at=timezone.now())
    assert not any(v.allowed for v in explain(staff, deleted))
    assert "Recycle Bin" in explain(staff, deleted)[0].reasons[0]
    staff.is_active = False
    staff.save()
    answers = explain(staff, AccountFactory(assigned_user=staff))
    assert not any(v.allowed for v in answers)
    assert answers[0].reasons == ["Staff Persona is inactive"]


# --- the Settings page --------------------------------------------------------------------------------------


def explain_url(**query) -> str:
    from urllib.parse import urlencode

    return f"{reverse('settings_admin:explain')}?{urlencode(query)}"


def test_only_admins_open_the_explainer(client_as, manager, staff):
    account = AccountFactory(assigned_user=staff)
    url = explain_url(user=staff.pk, module="accounts", record=account.number)
    assert client_as(manager).get(url).status_code == 403
    assert client_as(manager).get(reverse("settings_admin:explain")).status_code == 403


def test_explainer_shows_each_action_by_record_number(client_as, admin, staff, manager, roles):
    rule(Party.ROLE, roles["Manager"], Party.ROLE, roles["Staff"])
    account = AccountFactory(account_name="Tan & <Sons>", assigned_user=manager)
    response = client_as(admin).get(explain_url(user=staff.pk, module="accounts", record=account.number.lower()))
    assert response.status_code == 200
    body = response.content.decode()
    assert [(v.action, v.allowed) for v in response.context["verdicts"]] == [
        ("view", True),
        ("edit", False),
        ("delete", False),
        ("export", False),
    ]
    assert "Sharing rule: Accounts of Role: Manager can be accessed by Role: Staff — Read Only" in body
    assert "Profile Staff Profile has no Delete right on Accounts" in body
    assert "Tan &amp; &lt;Sons&gt;" in body and "<Sons>" not in body
    assert body.count("Allowed") == 1 and body.count("Denied") == 3


def test_explainer_finds_a_record_by_id(client_as, admin, staff):
    account = AccountFactory(assigned_user=staff)
    response = client_as(admin).get(explain_url(user=staff.pk, module="accounts", record=str(account.pk)))
    assert response.status_code == 200
    assert response.context["record"] == account
    assert response.context["verdicts"][0].reasons == ["Owner"]


@pytest.mark.parametrize("key", ["ACC999999", "999999", "\uff11\uff12", "9" * 40, "<b>x</b>"])
def test_explainer_reports_an_unknown_record(client_as, admin, staff, key):
    response = client_as(admin).get(explain_url(user=staff.pk, module="accounts", record=key))
    assert response.status_code == 422
    assert "No account has the Record No or ID" in response.content.decode()
    assert "<b>x</b>" not in response.content.decode()


def test_explainer_reports_a_record_in_the_recycle_bin(client_as, admin, staff):
    account = AccountFactory(assigned_user=staff, deleted_at=timezone.now())
    response = client_as(admin).get(explain_url(user=staff.pk, module="accounts", record=account.number))
    assert response.status_code == 422
    assert f"Account {account.number} ({account}) is in the Recycle Bin" in response.content.decode()
    assert "verdicts" not in response.context


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"user": "0", "module": "accounts", "record": "1"}, "user", "Select a valid choice."),
        ({"user": "x", "module": "accounts", "record": "1"}, "user", "Select a valid choice."),
        ({"module": "nope", "record": "1"}, "module", "Select a valid choice."),
        ({"module": "accounts", "record": " "}, "record", "This field is required."),
    ],
)
def test_explainer_reports_bad_input(client_as, admin, query, field, message):
    response = client_as(admin).get(explain_url(**query))
    assert response.status_code == 422
    assert any(message in error for error in response.context["form"].errors[field])


def test_explainer_offers_users_modules_and_an_empty_form(client_as, admin, staff):
    response = client_as(admin).get(reverse("settings_admin:explain"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Staff Persona (staff; Staff)" in body
    assert '<label class="form-label" for="id_record">Record No or ID</label>' in body
    assert "Allowed" not in body
