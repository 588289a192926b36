"""Writes of web-to-lead: an admin saves or deletes a web form; a visitor's post becomes a lead; the owner
hears of it by email.

A web lead has no signed-in author. It is written as its owner when the owner is a user (Updates then reads
"<owner> created this record"), and as the system when the owner is a group. The notification is sent by a
background task dispatched once the lead is committed, so a slow mail server never holds up the visitor."""

import logging

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from leads.models import Lead
from secondcrm.records.changes import acting_as
from secondcrm.records.display import field_display

from .forms import WebFormForm, owner_emails
from .lead_fields import WebLeadForm, form_specs
from .models import WebForm

logger = logging.getLogger(__name__)

WEB_SITE = "Web Site"  # the Lead Source of a lead whose form does not ask for one


def _require_admin(acting_user) -> None:
    if acting_user is None or not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change web forms.")


def web_form_save(*, form: WebFormForm, acting_user) -> WebForm:
    """Create or update the web form of a validated ``WebFormForm``."""
    _require_admin(acting_user)
    data = form.cleaned_data
    with transaction.atomic():
        web_form = form.save(commit=False)
        owner = data["owner"]
        web_form.owner_group = owner if isinstance(owner, Group) else None
        web_form.owner_user = None if isinstance(owner, Group) else owner
        web_form.fields = data["fields"]
        web_form.thank_you_url = data["thank_you_url"]
        web_form.allowed_origins = data["allowed_origins"]
        if web_form.pk is None:
            web_form.created_by = acting_user
        web_form.save()
    return web_form


def web_form_delete(*, web_form: WebForm, acting_user) -> None:
    """Delete a web form; leads it brought stay. Its snippet stops working (posts answer 404)."""
    _require_admin(acting_user)
    web_form.delete()


def web_lead_create(*, web_form: WebForm, form: WebLeadForm, site_url: str) -> Lead:
    """Create the lead of a validated web form post, assigned to the form's owner, and dispatch the owner's
    notification once it is committed. ``site_url`` ("https://crm.example.com") makes the link in the email."""
    actor = web_form.owner_user  # None for a group: the system writes the lead
    with transaction.atomic(), acting_as(actor):
        lead = form.save(commit=False)
        lead.custom = form.custom_values()
        lead.assigned_user = web_form.owner_user
        lead.assigned_group = web_form.owner_group
        if "lead_source" not in form.fields:
            lead.lead_source = WEB_SITE
        lead.save()
        web_form.count_lead()
        if web_form.notify_owner:
            from .tasks import notify_owner  # late: the tasks module imports this one

            lead_url = site_url.rstrip("/") + lead.get_absolute_url()
            transaction.on_commit(lambda: notify_owner.delay(lead.pk, web_form.pk, lead_url), robust=True)
    logger.info("Web form %s created lead %s for %s", web_form.pk, lead.number, web_form.owner)
    return lead


def _one_line(text: str) -> str:
    """Header-safe: a visitor's newline in a name must not become a second mail header."""
    return " ".join(str(text).split())


def lead_notification_send(*, lead: Lead, web_form: WebForm, lead_url: str) -> int:
    """Email the owner (a group: its active members with an address) that ``lead`` arrived through
    ``web_form``, with what the visitor filled in. Returns the number of recipients (0: nobody to tell)."""
    recipients = owner_emails(web_form.owner)
    if not recipients:
        logger.warning("Web form %s: the owner %s has no email address to notify", web_form.pk, web_form.owner)
        return 0
    rows = [(spec.label, field_display(lead, name)) for name, spec in form_specs(web_form).items()]
    rows = [(label, value) for label, value in rows if value]
    subject = _one_line(f"New lead from the web form {web_form.name}: {lead}")
    body = render_to_string(
        "webforms/email/new_lead.txt", {"lead": lead, "web_form": web_form, "rows": rows, "lead_url": lead_url}
    )
    send_mail(subject[:200], body, None, recipients)
    return len(recipients)
