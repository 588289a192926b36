"""The rows of generated records, module by module, and of their comments and Updates history.

Each maker draws from its own random generator, seeded with the run's seed and its module's name, so the same
seed gives the same rows. Picklist values are those the installation holds (an admin's values included), and
every custom field defined at the time gets a value of its type. What later rows need of a record (id, owner,
times, one value) is kept in arrays and lists, never as model instances: tens of megabytes for a million."""

import random
import re
import unicodedata
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from secondcrm.picklists.models import PicklistValue
from secondcrm.records.models import CustomField, Update
from secondcrm.records.registry import Module

from .vocabulary import (
    COMMENTS,
    COMPANY_KINDS,
    COMPANY_REGIONS,
    COMPANY_STEMS,
    CUSTOM_WORDS,
    DEPARTMENTS,
    FIRST_NAMES,
    LAST_NAMES,
    NEEDS,
    NEXT_STEPS,
    PLACE_WEIGHTS,
    PLACES,
    STREETS,
    TITLES,
    WEEKDAYS,
)

# Records were created over the last three years, and each was last modified some time after that.
HISTORY_SECONDS = 3 * 365 * 24 * 3600
PLACES_CUMULATED = list(accumulate(PLACE_WEIGHTS))
# A few surnames are everywhere, most are seen a few hundred times in a million (weight falls with rank).
SURNAMES_CUMULATED = list(accumulate(1 / (rank + 1) ** 0.9 for rank in range(len(LAST_NAMES))))
# Deal sizes are drawn in dollars; these currencies count many units to the dollar.
UNITS_PER_DOLLAR = {"IDR": 15000, "JPY": 150, "INR": 80, "CNY": 7}


@dataclass
class Written:
    """The records written for one module, as later rows need them: per record its id, its owner (an index in
    the team), its creation and last modification (seconds before the run's time) and one ``value`` other rows
    borrow: an account's name, a contact's account (index, or None), a potential's sales stage, a lead's status."""

    module: Module
    ids: list[int]
    owners: array = field(default_factory=lambda: array("H"))
    created: array = field(default_factory=lambda: array("L"))
    modified: array = field(default_factory=lambda: array("L"))
    values: list = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def picklist(module: str, field_name: str) -> list[str]:
    """The values of a picklist as the installation holds them, in the editor's order; [""] when it has none,
    so that there is always something to choose."""
    values = PicklistValue.objects.filter(module=module, field=field_name).order_by("position")
    return list(values.values_list("value", flat=True)) or [""]


@cache
def ascii_word(text: str) -> str:
    """A name as it appears in an email address or a domain: "Müller" → "muller", "O'Brien" → "obrien"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


@cache
def domain(company: str) -> str:
    """The company's domain, under a top-level domain reserved for examples: "Meridian Logistics Asia" →
    "meridian-logistics-asia.example"."""
    return "-".join(ascii_word(word) for word in company.split()) + ".example"


class RowMaker:
    """Rows of one module: the columns every record has (number, owner, times, custom values) and helpers for
    the parts of a record (a person, a company, a place, a phone number)."""

    def __init__(self, module: Module, *, seed: int, now: datetime, team: list, numbers: list[str]):
        self.module, self.now, self.numbers = module, now, numbers
        self.owner_ids = [user.pk for user in team]
        self.currencies = [user.currency for user in team]
        self.rng = random.Random(f"{seed}:{module.name}")
        self.custom_fields = list(CustomField.objects.filter(module=module.name))

    def picklist(self, field_name: str) -> list[str]:
        return picklist(self.module.name, field_name)

    def record(self, index: int, owner: int, written: Written) -> dict:
        """The columns every record has; ``owner`` is an index in the team."""
        rng = self.rng
        created = rng.randrange(3600, HISTORY_SECONDS)
        modified = rng.randrange(created)
        user_id = self.owner_ids[owner]
        written.owners.append(owner)
        written.created.append(created)
        written.modified.append(modified)
        return {
            "id": written.ids[index],
            "number": self.numbers[index],
            "assigned_user_id": user_id,
            "created_by_id": user_id,
            "modified_by_id": user_id,
            "created_at": self.now - timedelta(seconds=created),
            "modified_at": self.now - timedelta(seconds=modified),
            "custom": {definition.name: self.custom_value(definition) for definition in self.custom_fields},
        }

    def custom_value(self, definition: CustomField):
        """A value of the field's type, stored as the forms store it (dates and decimals as text)."""
        rng, kind, T = self.rng, definition.field_type, CustomField.Type
        if kind == T.CHECKBOX:
            return rng.random() < 0.1
        if kind == T.PICKLIST:
            return rng.choice(definition.choices) if definition.choices else None
        if kind == T.MULTIPICKLIST:
            return rng.sample(definition.choices, min(len(definition.choices), rng.randint(1, 2)))
        if kind == T.NUMBER:
            return rng.randrange(1000)
        if kind in (T.DECIMAL, T.CURRENCY):
            return str(Decimal(rng.randrange(10_000_000)) / 100)
        if kind == T.PERCENT:
            return str(rng.randrange(101))
        if kind == T.DATE:
            return (self.now + timedelta(days=rng.randrange(-3 * 365, 365))).date().isoformat()
        if kind == T.DATETIME:
            return (self.now - timedelta(minutes=rng.randrange(HISTORY_SECONDS // 60))).isoformat()
        if kind == T.EMAIL:
            return f"{ascii_word(rng.choice(FIRST_NAMES))}@{domain(rng.choice(COMPANY_STEMS))}"
        if kind == T.PHONE:
            return self.phone(self.place()[3])
        if kind == T.URL:
            return f"https://www.{domain(rng.choice(COMPANY_STEMS))}"
        return f"{rng.choice(CUSTOM_WORDS).title()} {rng.randrange(100, 1000)}"

    def person(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choices(LAST_NAMES, cum_weights=SURNAMES_CUMULATED)[0]

    def company(self) -> str:
        """A company name: "Meridian Logistics", one in five with a region, "Meridian Logistics Asia"."""
        rng = self.rng
        name = f"{rng.choice(COMPANY_STEMS)} {rng.choice(COMPANY_KINDS)}"
        return f"{name} {rng.choice(COMPANY_REGIONS)}" if rng.random() < 0.2 else name

    def place(self) -> tuple[str, str, str, str, int]:
        """City, state, country, telephone code and postal code digits; the region's cities most often."""
        return self.rng.choices(PLACES, cum_weights=PLACES_CUMULATED)[0]

    def phone(self, code: str, mobile: bool = False) -> str:
        first = self.rng.randrange(8000, 10000) if mobile else self.rng.randrange(2000, 8000)
        return f"{code} {first} {self.rng.randrange(10000):04d}"

    def postal_code(self, digits: int) -> str:
        return str(self.rng.randrange(10 ** (digits - 1), 10**digits)) if digits else ""

    def street(self) -> str:
        return f"{self.rng.randrange(1, 300)} {self.rng.choice(STREETS)}"

    def amount(self, currency: str) -> Decimal:
        """A deal size: most are small, a few are large (log-normal around 20,000 dollars), in round hundreds."""
        value = self.rng.lognormvariate(10, 1.1) * UNITS_PER_DOLLAR.get(currency, 1)
        return Decimal(max(1, round(value / 100)) * 100)


def accounts(maker: RowMaker, written: Written) -> Iterator[dict]:
    """Accounts in turn of their owners; one in twenty is a member of an account written before it."""
    rng, owners = maker.rng, len(maker.owner_ids)
    types, industries, ratings = maker.picklist("account_type"), maker.picklist("industry"), maker.picklist("rating")
    for i in range(len(written)):
        row = maker.record(i, i % owners, written)
        name = maker.company()
        written.values.append(name)
        city, state, country, code, digits = maker.place()
        address = {
            "street": maker.street(),
            "city": city,
            "state": state,
            "code": maker.postal_code(digits),
            "country": country,
        }
        row |= {
            "account_name": name,
            "parent_id": written.ids[rng.randrange(i)] if i and rng.random() < 0.05 else None,
            "account_type": rng.choice(types),
            "industry": rng.choice(industries),
            "rating": rng.choice(ratings),
            "website": f"https://www.{domain(name)}",
            "phone": maker.phone(code),
            "email": f"{rng.choice(('info', 'sales', 'contact', 'hello'))}@{domain(name)}",
            "employees": int(rng.lognormvariate(4, 1.5)) + 1,
            "annual_revenue": Decimal(int(rng.lognormvariate(14, 1.5))),
            **{f"bill_{part}": value for part, value in address.items()},
            **{f"ship_{part}": value for part, value in address.items()},
        }
        yield row


def contacts(maker: RowMaker, written: Written, accounts: Written) -> Iterator[dict]:
    """People at the accounts (one in twenty at none), owned by their account's owner, mailed at its domain."""
    rng, owners = maker.rng, len(maker.owner_ids)
    salutations, sources = maker.picklist("salutation"), maker.picklist("lead_source")
    for i in range(len(written)):
        at = rng.randrange(len(accounts)) if accounts.ids and rng.random() < 0.95 else None
        row = maker.record(i, accounts.owners[at] if at is not None else i % owners, written)
        written.values.append(at)
        first, last = maker.person()
        mail_domain = domain(accounts.values[at]) if at is not None else "mail.example"
        city, state, country, code, digits = maker.place()
        row |= {
            "salutation": rng.choice(salutations) if rng.random() < 0.6 else "",
            "first_name": first,
            "last_name": last,
            "account_id": accounts.ids[at] if at is not None else None,
            "title": rng.choice(TITLES),
            "department": rng.choice(DEPARTMENTS),
            "lead_source": rng.choice(sources),
            "email": f"{ascii_word(first)}.{ascii_word(last)}@{mail_domain}",
            "office_phone": maker.phone(code),
            "mobile": maker.phone(code, mobile=True),
            "birthday": (maker.now - timedelta(days=rng.randrange(22 * 365, 65 * 365))).date(),
            "mailing_street": maker.street(),
            "mailing_city": city,
            "mailing_state": state,
            "mailing_code": maker.postal_code(digits),
            "mailing_country": country,
        }
        yield row


def potentials(
    maker: RowMaker, written: Written, accounts: Written, contacts: Written, stages: dict[str, Decimal | None]
) -> Iterator[dict]:
    """Deals with the accounts, most with one of the account's contacts, owned by the account's owner and in
    their currency. ``stages`` are the sales stages in pipeline order with their probability: early stages are
    the most common; closed deals (probability 0 or 100) closed in the past, open ones close ahead."""
    rng = maker.rng
    names = list(stages)
    weights = list(accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(names))))
    sources, types = maker.picklist("lead_source"), maker.picklist("potential_type")
    for i in range(len(written)):
        contact = rng.randrange(len(contacts)) if contacts.ids and rng.random() < 0.7 else None
        if contact is not None and contacts.values[contact] is not None:
            at = contacts.values[contact]
        else:
            at, contact = rng.randrange(len(accounts)), None
        owner = accounts.owners[at]
        row = maker.record(i, owner, written)
        stage = rng.choices(names, cum_weights=weights)[0]
        written.values.append(stage)
        closed = stages[stage] in (0, 100)
        currency = maker.currencies[owner]
        row |= {
            "potential_name": f"{accounts.values[at]} - {rng.choice(NEEDS)}",
            "account_id": accounts.ids[at],
            "contact_id": contacts.ids[contact] if contact is not None else None,
            "amount": maker.amount(currency),
            "currency": currency,
            "expected_close_date": (maker.now + timedelta(days=rng.randrange(-365, 0) if closed else 270)).date(),
            "sales_stage": stage,
            "probability": stages[stage],
            "lead_source": rng.choice(sources),
            "potential_type": rng.choice(types),
            "next_step": "" if closed else rng.choice(NEXT_STEPS),
        }
        yield row


def leads(maker: RowMaker, written: Written) -> Iterator[dict]:
    """Prospects in turn of their owners, at companies that are mostly not accounts yet."""
    rng, owners = maker.rng, len(maker.owner_ids)
    salutations, sources = maker.picklist("salutation"), maker.picklist("lead_source")
    statuses, ratings, industries = maker.picklist("lead_status"), maker.picklist("rating"), maker.picklist("industry")
    for i in range(len(written)):
        row = maker.record(i, i % owners, written)
        status = rng.choice(statuses)
        written.values.append(status)
        first, last = maker.person()
        company = maker.company()
        city, state, country, code, digits = maker.place()
        row |= {
            "salutation": rng.choice(salutations) if rng.random() < 0.6 else "",
            "first_name": first,
            "last_name": last,
            "company": company,
            "designation": rng.choice(TITLES),
            "email": f"{ascii_word(first)}.{ascii_word(last)}@{domain(company)}",
            "phone": maker.phone(code),
            "mobile": maker.phone(code, mobile=True),
            "website": f"https://www.{domain(company)}" if rng.random() < 0.5 else "",
            "lead_source": rng.choice(sources),
            "lead_status": status,
            "rating": rng.choice(ratings),
            "industry": rng.choice(industries),
            "annual_revenue": Decimal(int(rng.lognormvariate(13, 1.5))),
            "employees": int(rng.lognormvariate(3.5, 1.5)) + 1,
            "street": maker.street(),
            "city": city,
            "state": state,
            "postal_code": maker.postal_code(digits),
            "country": country,
        }
        yield row


def comments(*, seed: int, now: datetime, count: int, written: list[tuple[Written, int]], owner_ids: list[int]):
    """``count`` comments over the records of ``written`` (each with its content type id), in proportion to each
    module's size, by the record's owner, some time after the record was created."""
    rng = random.Random(f"{seed}:comments")
    pools = [(records, content_type) for records, content_type in written if len(records)]
    sizes = list(accumulate(len(records) for records, _ in pools))
    for _ in range(count if pools else 0):
        records, content_type = rng.choices(pools, cum_weights=sizes)[0]
        i = rng.randrange(len(records))
        yield {
            "content_type_id": content_type,
            "object_id": records.ids[i],
            "at": now - timedelta(seconds=rng.randrange(records.created[i])),
            "author_id": owner_ids[records.owners[i]],
            "body": rng.choice(COMMENTS).format(name=rng.choice(FIRST_NAMES), day=rng.choice(WEEKDAYS)),
        }


def creations(*, now: datetime, written: list[tuple[Written, int]], owner_ids: list[int]):
    """The "created" entry of every record's Updates history, by its owner."""
    for records, content_type in written:
        for i, record_id in enumerate(records.ids):
            yield {
                "content_type_id": content_type,
                "object_id": record_id,
                "at": now - timedelta(seconds=records.created[i]),
                "user_id": owner_ids[records.owners[i]],
                "action": Update.Action.CREATED,
                "changes": [],
            }


@dataclass
class Tracked:
    """A picklist whose changes the history shows: the records holding its value in ``Written.values``."""

    records: Written
    content_type: int
    field: str
    label: str
    values: list[str]


def changes(*, seed: int, now: datetime, count: int, tracked: list[Tracked], owner_ids: list[int]):
    """``count`` "updated" entries, shared among ``tracked`` in proportion to their size, at most one a record:
    the change that gave the record its current value (from the value before it in the picklist's order), made
    by its owner when the record was last modified."""
    rng = random.Random(f"{seed}:changes")
    total = sum(len(picklist.records) for picklist in tracked)
    for picklist in tracked:
        records = picklist.records
        share = min(len(records), round(count * len(records) / total)) if total else 0
        for i in sorted(rng.sample(range(len(records)), share)):
            new = records.values[i]
            position = picklist.values.index(new)
            old = picklist.values[position - 1] if position else picklist.values[-1]
            yield {
                "content_type_id": picklist.content_type,
                "object_id": records.ids[i],
                "at": now - timedelta(seconds=records.modified[i]),
                "user_id": owner_ids[records.owners[i]],
                "action": Update.Action.UPDATED,
                "changes": [{"field": picklist.field, "label": picklist.label, "old": old, "new": new}],
            }
