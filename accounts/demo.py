"""Demo accounts and contacts for ``manage.py seed_demo``."""

from secondcrm.records.services import comment_add, tags_set

from .models import Account, Contact

ACCOUNTS = (
    # name, parent, type, industry, city, country, phone, website, owner, tags
    (
        "Harbour Logistics Pte Ltd",
        None,
        "Customer",
        "Shipping",
        "Singapore",
        "Singapore",
        "+65 6221 0001",
        "https://harbour-logistics.example",
        "manager",
        "key account",
    ),
    (
        "Harbour Logistics Malaysia",
        "Harbour Logistics Pte Ltd",
        "Customer",
        "Shipping",
        "Kuala Lumpur",
        "Malaysia",
        "+60 3 2100 2002",
        "",
        "staff",
        "key account",
    ),
    (
        "Lion City Bakery",
        None,
        "Prospect",
        "Food & Beverage",
        "Singapore",
        "Singapore",
        "+65 6333 1234",
        "",
        "staff",
        "retail",
    ),
    (
        "Merlion Engineering",
        None,
        "Partner",
        "Engineering",
        "Singapore",
        "Singapore",
        "+65 6555 7788",
        "https://merlion-eng.example",
        "manager",
        "partner",
    ),
    (
        "Orchid Health Clinics",
        None,
        "Customer",
        "Healthcare",
        "Singapore",
        "Singapore",
        "+65 6777 9911",
        "",
        "staff",
        "key account, healthcare",
    ),
    ("Straits Media Group", None, "Prospect", "Media", "Jakarta", "Indonesia", "+62 21 555 0101", "", "management", ""),
    ("Tanjong Retail", None, "Reseller", "Retail", "Johor Bahru", "Malaysia", "+60 7 222 3344", "", "staff", "retail"),
)

CONTACTS = (
    # account, salutation, first, last, title, email, reports to
    ("Harbour Logistics Pte Ltd", "Ms.", "Mei Ling", "Tan", "CEO", "meiling.tan@harbour-logistics.example", None),
    (
        "Harbour Logistics Pte Ltd",
        "Mr.",
        "Rajesh",
        "Kumar",
        "Head of Procurement",
        "rajesh.kumar@harbour-logistics.example",
        "Tan",
    ),
    (
        "Harbour Logistics Malaysia",
        "Mr.",
        "Ahmad",
        "Ismail",
        "Country Manager",
        "ahmad@harbour-logistics.example",
        "Tan",
    ),
    ("Lion City Bakery", "Mrs.", "Grace", "Lim", "Owner", "grace@lioncitybakery.example", None),
    ("Merlion Engineering", "Dr.", "Wei", "Chen", "CTO", "wei.chen@merlion-eng.example", None),
    ("Orchid Health Clinics", "Ms.", "Priya", "Nair", "Operations Director", "priya@orchidhealth.example", None),
    ("Tanjong Retail", "Mr.", "Daniel", "Wong", "Buyer", "daniel@tanjong.example", None),
)


def load(users: dict) -> None:
    accounts: dict[str, Account] = {}
    for name, parent, kind, industry, city, country, phone, website, owner, tags in ACCOUNTS:
        account = Account.objects.create(
            account_name=name,
            parent=accounts.get(parent),
            account_type=kind,
            industry=industry,
            bill_city=city,
            bill_country=country,
            ship_city=city,
            ship_country=country,
            phone=phone,
            website=website,
            assigned_user=users[owner],
        )
        accounts[name] = account
        if tags:
            tags_set(record=account, add=[t.strip() for t in tags.split(",")], acting_user=users[owner])
    contacts: dict[str, Contact] = {}
    for account, salutation, first, last, title, email, reports_to in CONTACTS:
        owner = accounts[account].assigned_user
        contacts[last] = Contact.objects.create(
            account=accounts[account],
            salutation=salutation,
            first_name=first,
            last_name=last,
            title=title,
            email=email,
            reports_to=contacts.get(reports_to),
            assigned_user=owner,
            mailing_city=accounts[account].bill_city,
            mailing_country=accounts[account].bill_country,
        )
    comment_add(
        record=accounts["Harbour Logistics Pte Ltd"],
        acting_user=users["manager"],
        body="Renewal meeting set for next month; they want a volume discount.",
    )
    comment_add(
        record=accounts["Lion City Bakery"],
        acting_user=users["staff"],
        body="Met the owner at the trade fair. Interested in the starter plan.",
    )
