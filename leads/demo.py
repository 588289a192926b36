"""Demo leads for ``manage.py seed_demo``; one of them converted, so that the demo shows where a customer
came from."""

from secondcrm.records.changes import acting_as
from secondcrm.records.services import comment_add, tags_set

from .models import Lead
from .services import lead_convert

LEADS = (
    # salutation, first, last, company, designation, source, status, rating, industry, city, country, owner, tags
    (
        "Ms.",
        "Siti",
        "Rahman",
        "Kampong Coffee Roasters",
        "Founder",
        "Trade Show",
        "Hot",
        "Active",
        "Food & Beverage",
        "Singapore",
        "Singapore",
        "staff",
        "trade fair",
    ),
    (
        "Mr.",
        "Arjun",
        "Menon",
        "Bayfront Dental Group",
        "Practice Manager",
        "Web Site",
        "Contacted",
        "",
        "Healthcare",
        "Singapore",
        "Singapore",
        "staff",
        "",
    ),
    (
        "Dr.",
        "Hui Min",
        "Goh",
        "Pulau Biotech",
        "Head of Research",
        "Conference",
        "Pre Qualified",
        "Active",
        "Biotechnology",
        "Kuala Lumpur",
        "Malaysia",
        "manager",
        "biotech",
    ),
    (
        "Mr.",
        "Budi",
        "Santoso",
        "Nusantara Freight",
        "Operations Director",
        "Cold Call",
        "Attempted to Contact",
        "",
        "Transportation",
        "Jakarta",
        "Indonesia",
        "manager",
        "",
    ),
    (
        "Mrs.",
        "Linda",
        "Ong",
        "Marina Events Co",
        "Director",
        "Word of mouth",
        "Warm",
        "",
        "Entertainment",
        "Singapore",
        "Singapore",
        "staff",
        "events",
    ),
)


def load(users: dict) -> None:
    leads: dict[str, Lead] = {}
    for row in LEADS:
        salutation, first, last, company, designation, source, status, rating, industry, city, country = row[:11]
        owner, tags = users[row[11]], row[12]
        with acting_as(owner):
            lead = Lead.objects.create(
                salutation=salutation,
                first_name=first,
                last_name=last,
                company=company,
                designation=designation,
                lead_source=source,
                lead_status=status,
                rating=rating,
                industry=industry,
                city=city,
                country=country,
                email=f"{first.split()[0].lower()}@{company.split()[0].lower()}.example",
                phone="+65 6100 2000",
                assigned_user=owner,
            )
        leads[company] = lead
        if tags:
            tags_set(record=lead, add=[t.strip() for t in tags.split(",")], acting_user=owner)
    comment_add(
        record=leads["Kampong Coffee Roasters"],
        acting_user=users["staff"],
        body="Wants a quote for three outlets; decision before the end of the quarter.",
    )
    comment_add(
        record=leads["Pulau Biotech"],
        acting_user=users["manager"],
        body="Met at the BioAsia conference; interested in the enterprise plan.",
    )
    # The Kampong lead became a customer: an account and a contact that say where they came from. (No potential:
    # the potentials demo fills the pipeline with its own.)
    lead_convert(
        lead=leads["Kampong Coffee Roasters"],
        account=True,
        contact=True,
        assigned_to=users["staff"],
        acting_user=users["staff"],
    )
