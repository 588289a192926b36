"""factory-boy factories for every module; ``factory_for(model)`` finds the one a generic test needs."""

import datetime
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType

from accounts.models import Account, Contact
from potentials.models import Potential
from secondcrm.documents.models import Document, DocumentLink


class RecordFactory(factory.django.DjangoModelFactory):
    """Records need an owner: pass ``assigned_user=`` (the generic tests always do)."""

    class Meta:
        abstract = True


class AccountFactory(RecordFactory):
    class Meta:
        model = Account

    account_name = factory.Sequence(lambda n: f"Account {n:04d}")
    account_type = Account.Type.CUSTOMER
    industry = "Technology"
    phone = factory.Sequence(lambda n: f"+65 6000 {n:04d}")
    website = factory.Sequence(lambda n: f"https://account{n}.example")
    email = factory.Sequence(lambda n: f"info{n}@account.example")
    bill_street = "1 Raffles Place"
    bill_city = "Singapore"
    bill_country = "Singapore"


class ContactFactory(RecordFactory):
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Contact {n:04d}")
    title = "Buyer"
    email = factory.Sequence(lambda n: f"contact{n}@example.com")
    office_phone = "+65 6123 4567"
    birthday = factory.Faker("date_of_birth", minimum_age=20, maximum_age=70)
    account = factory.SubFactory(AccountFactory, assigned_user=factory.SelfAttribute("..assigned_user"))


class DocumentFactory(RecordFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Document {n:04d}")
    location = Document.Location.EXTERNAL
    url = factory.Sequence(lambda n: f"https://files.example/doc{n}.pdf")


def attach(document: Document, record) -> DocumentLink:
    return DocumentLink.objects.create(
        document=document, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


FACTORIES = {Account: AccountFactory, Contact: ContactFactory, Document: DocumentFactory}


class PotentialFactory(RecordFactory):
    class Meta:
        model = Potential

    potential_name = factory.Sequence(lambda n: f"Potential {n:04d}")
    account = factory.SubFactory(AccountFactory, assigned_user=factory.SelfAttribute("..assigned_user"))
    amount = factory.Sequence(lambda n: Decimal(1000 + n))
    currency = "SGD"
    expected_close_date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n % 365))
    sales_stage = "Prospecting"
    lead_source = "Cold Call"
    potential_type = "New Business"


FACTORIES[Potential] = PotentialFactory


class LeadFactory(RecordFactory):
    class Meta:
        model = "leads.Lead"

    salutation = "Ms."
    first_name = factory.Sequence(lambda n: f"Lead{n}")
    last_name = factory.Sequence(lambda n: f"Lead {n:04d}")
    company = factory.Sequence(lambda n: f"Lead Company {n:04d}")
    designation = "Purchasing Manager"
    email = factory.Sequence(lambda n: f"lead{n}@prospect.example")
    phone = "+65 6200 3000"
    lead_source = "Trade Show"
    lead_status = "Hot"
    rating = "Active"
    industry = "Technology"
    city = "Singapore"
    country = "Singapore"


FACTORIES[LeadFactory._meta.get_model_class()] = LeadFactory


def factory_for(model) -> type[RecordFactory]:
    return FACTORIES[model]
