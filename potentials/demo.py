"""Demo potentials for ``manage.py seed_demo``, spread over the pipeline (runs after the accounts' demo).

Lion City Bakery gets none (a prospect still being qualified), so the demo can show an account purged from
the Recycle Bin: an account with potentials stays there until they are gone."""

import datetime
from decimal import Decimal

from accounts.models import Account, Contact

from .models import Potential, PotentialContactRole

POTENTIALS = (
    # name, account, stage, amount, currency, days to close, lead source, type, next step
    (
        "Fleet tracking rollout",
        "Harbour Logistics Pte Ltd",
        "Negotiation/Review",
        "120000",
        "SGD",
        20,
        "Existing Customer",
        "Existing Business",
        "Send revised volume pricing",
    ),
    (
        "Warehouse scanners",
        "Harbour Logistics Malaysia",
        "Proposal/Price Quote",
        "45000",
        "MYR",
        35,
        "Partner",
        "Existing Business",
        "Demo at the Port Klang site",
    ),
    (
        "Point of sale upgrade",
        "Tanjong Retail",
        "Qualification",
        "8000",
        "SGD",
        60,
        "Trade Show",
        "New Business",
        "Confirm number of stores",
    ),
    (
        "Plant maintenance portal",
        "Merlion Engineering",
        "Needs Analysis",
        "60000",
        "USD",
        90,
        "Partner",
        "New Business",
        "Workshop with the CTO",
    ),
    (
        "Clinic appointment system",
        "Orchid Health Clinics",
        "Closed Won",
        "30000",
        "SGD",
        -10,
        "Web Site",
        "New Business",
        "",
    ),
    (
        "Regional ad inventory",
        "Straits Media Group",
        "Prospecting",
        "15000",
        "IDR",
        120,
        "Cold Call",
        "New Business",
        "Find the decision maker",
    ),
    (
        "Store loyalty programme",
        "Tanjong Retail",
        "Closed Lost",
        "12000",
        "MYR",
        -30,
        "Word of mouth",
        "New Business",
        "",
    ),
)
CONTACT_ROLES = (
    # potential, contact last name, role
    ("Fleet tracking rollout", "Tan", PotentialContactRole.Role.DECISION_MAKER),
    ("Point of sale upgrade", "Wong", PotentialContactRole.Role.DECISION_MAKER),
    ("Plant maintenance portal", "Chen", PotentialContactRole.Role.TECHNICAL_BUYER),
)


def load(users: dict) -> None:
    today = datetime.date.today()
    accounts = {a.account_name: a for a in Account.objects.all()}
    potentials = {}
    for name, account, stage, amount, currency, days, source, kind, next_step in POTENTIALS:
        if account not in accounts:
            continue
        potentials[name] = Potential.objects.create(
            potential_name=name,
            account=accounts[account],
            contact=Contact.objects.filter(account=accounts[account]).first(),
            amount=Decimal(amount),
            currency=currency,
            expected_close_date=today + datetime.timedelta(days=days),
            sales_stage=stage,
            lead_source=source,
            potential_type=kind,
            next_step=next_step,
            assigned_user=accounts[account].assigned_user,
        )
    for name, last_name, role in CONTACT_ROLES:
        contact = Contact.objects.filter(last_name=last_name).first()
        if name in potentials and contact is not None:
            PotentialContactRole.objects.create(potential=potentials[name], contact=contact, role=role)
