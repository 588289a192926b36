"""The HTML snippet of a web form: a plain form a company pastes into its web site, no script needed.

Inputs are named by the Lead field names and rendered by the same form class that reads the post, so the
snippet asks exactly what the endpoint accepts. Everything in it is escaped (labels, choice values, the form's
name); the address comes from the request, so the snippet points at the host the admin reached the CRM by."""

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse

from .lead_fields import lead_form_for
from .models import WebForm

# The honeypot: hidden from people by CSS, so only robots fill it in. Its name looks worth filling.
HONEYPOT = "website_url_confirm"


def action_url(request: HttpRequest, web_form: WebForm) -> str:
    return request.build_absolute_uri(reverse("webforms:submit", kwargs={"key": web_form.key}))


def snippet_html(request: HttpRequest, web_form: WebForm) -> str:
    form = lead_form_for(web_form)()
    text = render_to_string(
        "webforms/snippet.html",
        {
            "web_form": web_form,
            "form": form,
            "action": action_url(request, web_form),
            "honeypot": HONEYPOT,
            "honeypot_id": form.auto_id % HONEYPOT,
        },
    )
    # Django's select template leaves a blank line around each option: not what anyone wants to paste.
    return "\n".join(line for line in text.strip().splitlines() if line.strip())
