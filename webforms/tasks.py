"""Background jobs of web-to-lead."""

from celery import shared_task

from leads.models import Lead

from .models import WebForm
from .services import lead_notification_send


@shared_task(acks_late=True)
def notify_owner(lead_id: int, web_form_id: int, lead_url: str) -> int:
    """Email a web form's owner about a new lead. A lead or form deleted (or a lead converted) in the
    meantime is nobody's news any more: nothing is sent. Returns the number of recipients."""
    lead = Lead.objects.filter(pk=lead_id).first()
    web_form = WebForm.objects.filter(pk=web_form_id).first()
    if lead is None or web_form is None:
        return 0
    return lead_notification_send(lead=lead, web_form=web_form, lead_url=lead_url)
