"""``manage.py generate_data`` at a tiny scale: the volumes asked for, valid relations, owners the access rules
apply to, numbering that continues after the generated records, the same records for the same seed, and
``--clear`` removing exactly what was generated."""

import datetime
from collections import Counter
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command

from accounts.models import Account, Contact
from leads.models import Lead
from potentials.models import Potential, SalesStageProbability
from secondcrm.access.models import Role, SharingDefault, User
from secondcrm.benchdata.generate import Volumes, clear_data, generate_data
from secondcrm.benchdata.team import TEAM, USERNAME_PREFIX
from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import Comment, CustomField, Update
from tests.factories import AccountFactory, PotentialFactory

pytestmark = pytest.mark.django_db

VOLUMES = Volumes.at_scale(0.0005)  # 100 accounts, 250 contacts, 150 potentials, 500 leads
NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
MODELS = {"accounts": Account, "contacts": Contact, "potentials": Potential, "leads": Lead}


def quiet(message: str) -> None:
    """The generator's progress report, not wanted in test output."""


def generate(seed: int = 1):
    return generate_data(VOLUMES, seed=seed, now=NOW, report=quiet)


def test_it_writes_the_volumes_of_its_scale():
    generate()

    assert Volumes(accounts=100, contacts=250, potentials=150, leads=500, comments=250, changes=350) == VOLUMES
    for name, model in MODELS.items():
        assert model.objects.count() == getattr(VOLUMES, name)
    assert Comment.objects.count() == VOLUMES.comments
    assert Update.objects.filter(action=Update.Action.CREATED).count() == VOLUMES.records
    assert Update.objects.filter(action=Update.Action.UPDATED).count() == VOLUMES.changes
    assert User.objects.filter(username__startswith=USERNAME_PREFIX).count() == sum(TEAM.values()) == 50


def test_the_records_are_related_as_in_a_real_crm():
    generate()

    team = set(User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("pk", flat=True))
    for model in MODELS.values():
        assert set(model.objects.values_list("assigned_user", flat=True)) <= team
    # A contact belongs to its account's owner, and a potential's contact works at the potential's account.
    for contact in Contact.objects.exclude(account=None).select_related("account"):
        assert contact.assigned_user_id == contact.account.assigned_user_id
    assert Contact.objects.exclude(account=None).count() > VOLUMES.contacts * 0.8
    with_contact = Potential.objects.exclude(contact=None).select_related("contact")
    assert with_contact.count() > VOLUMES.potentials / 2
    for potential in with_contact:
        assert potential.contact.account_id == potential.account_id
    probabilities = dict(SalesStageProbability.objects.values_list("stage", "probability"))
    stages = set(PicklistValue.objects.filter(module="potentials", field="sales_stage").values_list("value", flat=True))
    for potential in Potential.objects.all():
        assert potential.sales_stage in stages
        assert potential.probability == probabilities[potential.sales_stage]
    # Realistic values: an email at the account's domain, a city and a country.
    account = Account.objects.exclude(contacts=None).first()
    contact = account.contacts.first()
    assert contact.email.endswith("@" + account.website.removeprefix("https://www."))
    assert account.bill_city and account.bill_country and account.phone.startswith("+")
    # Comments and history hang off generated records, and each change leads to the record's current value.
    for update in Update.objects.filter(action=Update.Action.UPDATED):
        record = update.content_type.get_object_for_this_type(pk=update.object_id)
        change = update.changes[0]
        assert getattr(record, change["field"]) == change["new"] != change["old"]
        assert record.created_at <= update.at
    comment_types = Counter(Comment.objects.values_list("content_type", flat=True))
    assert set(comment_types) <= {ContentType.objects.get_for_model(model).pk for model in MODELS.values()}


def test_a_staff_user_sees_their_own_records_and_their_subordinates_not_their_peers():
    team = generate()
    for module in MODELS:
        SharingDefault.objects.update_or_create(module=module, defaults={"access": SharingDefault.Access.PRIVATE})
    staff = team.member("Staff")
    juniors = team.members["Junior Staff"]

    for model in MODELS.values():
        visible = set(model.objects.visible_to(staff).values_list("pk", flat=True))
        owned = model.objects.filter(assigned_user__in=[staff, *juniors])
        assert visible == set(owned.values_list("pk", flat=True))
        assert 0 < len(visible) < model.objects.count() / 5
    # Another branch of the tree sees none of them; the manager above sees them all.
    assert not Lead.objects.visible_to(team.member("Staff East")).filter(assigned_user=staff).exists()
    assert Lead.objects.visible_to(team.member("Manager")).filter(assigned_user__in=juniors).count() == 40


def test_numbers_come_from_the_module_sequence_which_continues_after_them(staff):
    before = AccountFactory(assigned_user=staff)
    generate()

    generated = sorted(int(number.removeprefix("ACC")) for number in Account.objects.values_list("number", flat=True))
    first = int(before.number.removeprefix("ACC"))
    assert generated == list(range(first, first + VOLUMES.accounts + 1))
    assert AccountFactory(assigned_user=staff).number == f"ACC{first + VOLUMES.accounts + 1}"


def test_the_same_seed_gives_the_same_records():
    def snapshot():
        return {
            "accounts": list(Account.objects.order_by("pk").values_list("account_name", "email", "bill_city")),
            "leads": list(Lead.objects.order_by("pk").values_list("last_name", "company", "lead_status", "city")),
            "potentials": list(Potential.objects.order_by("pk").values_list("potential_name", "amount")),
            "users": list(
                User.objects.filter(username__startswith=USERNAME_PREFIX).values_list("username", "last_name")
            ),
            "comments": sorted(Comment.objects.values_list("body", "at")),
        }

    generate(seed=3)
    first = snapshot()
    clear_data(report=quiet)
    generate(seed=3)
    assert snapshot() == first
    clear_data(report=quiet)
    generate(seed=4)
    assert snapshot()["leads"] != first["leads"]


def test_custom_fields_defined_before_get_values_of_their_type():
    CustomField.objects.create(
        module="accounts", name="cf_region", label="Region", field_type="picklist", choices=["North", "South"]
    )
    CustomField.objects.create(module="accounts", name="cf_vip", label="VIP", field_type="checkbox")
    generate()

    values = list(Account.objects.values_list("custom", flat=True))
    assert {value["cf_region"] for value in values} == {"North", "South"}
    assert {value["cf_vip"] for value in values} == {True, False}


def test_clear_removes_the_team_and_all_it_owns_and_nothing_else(staff, staff_east):
    kept = AccountFactory(assigned_user=staff, account_name="Not Generated Ltd")
    generate()

    call_command("generate_data", "--clear", stdout=StringIO())

    assert list(Account.objects.all()) == [kept]
    for model in (Contact, Potential, Lead, Comment):
        assert not model.objects.exists()
    assert list(Update.objects.values_list("object_id", flat=True)) == [kept.pk]
    assert not User.objects.filter(username__startswith=USERNAME_PREFIX).exists()
    # The role it added goes; the roles it shared with the personas' staff_east stay, as do the default ones.
    assert not Role.objects.filter(name="Junior Staff").exists()
    assert set(Role.objects.values_list("name", flat=True)) >= {"Staff", "Manager East", "Staff East"}


def test_clear_is_refused_while_other_records_refer_to_generated_ones(staff):
    generate()
    generated_account = Account.objects.first()
    PotentialFactory(assigned_user=staff, account=generated_account)

    with pytest.raises(CommandError, match="Nothing was removed: records that were not generated refer to"):
        call_command("generate_data", "--clear", stdout=StringIO())
    assert Account.objects.filter(pk=generated_account.pk).exists()


@pytest.mark.parametrize(
    "arguments, message",
    [
        ((), "Say how much to generate with --scale"),
        (("--scale", "0"), "The scale must be above 0."),
        (("--scale", "-1"), "The scale must be above 0."),
    ],
)
def test_the_command_explains_what_it_cannot_do(arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_data", *arguments)
    assert not Account.objects.exists()
