"""Web-to-lead pages. Settings > Web Forms (admins only): list, add, edit, delete, Get HTML. And the public
endpoint a company's web site posts to, which anyone may reach: no session, no CSRF token (the form lives on
another site), so it trusts nothing it is sent and answers every case with a status a browser shows:

- 405 for anything but POST (and a CORS preflight), 404 for an unknown or inactive form,
- 403 when the form lists its web sites and a browser posts from another one,
- 429 past the rate limit, 400 with the list of problems for unknown fields or invalid values,
- 303 to the thank-you page when the lead is created, and also when the honeypot caught a robot (which must
  not learn that it was caught)."""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import ListView, TemplateView

from secondcrm.access.requests import client_ip
from settings_admin.mixins import AdminRequiredMixin

from .forms import WebFormForm
from .lead_fields import lead_form_for
from .models import WebForm
from .services import web_form_delete, web_form_save, web_lead_create
from .snippet import HONEYPOT, action_url, snippet_html
from .throttle import allow_post, window_seconds

logger = logging.getLogger(__name__)

# An error page lists this many problems at most: a post may carry a thousand invented names.
MAX_PROBLEMS = 20


# --- Settings > Web Forms -------------------------------------------------------------------------------


class WebFormListView(AdminRequiredMixin, ListView):
    model = WebForm
    template_name = "webforms/list.html"
    context_object_name = "web_forms"

    def get_queryset(self):
        return WebForm.objects.select_related("owner_user", "owner_group")


class WebFormObjectMixin(AdminRequiredMixin):
    """Loads the web form named in the URL; the admin check runs first, so others learn nothing."""

    def dispatch(self, request, *args, **kwargs):
        if not self.test_func():
            return self.handle_no_permission()
        self.web_form = get_object_or_404(WebForm, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)


class WebFormAddView(AdminRequiredMixin, TemplateView):
    template_name = "webforms/form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", WebFormForm(user=self.request.user))
        return super().get_context_data(title="Add Web Form", **kwargs)

    def post(self, request):
        form = WebFormForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        web_form = web_form_save(form=form, acting_user=request.user)
        messages.success(request, f"Web form {web_form.name} created. Copy its HTML into your web site.")
        return redirect("webforms:html", pk=web_form.pk)


class WebFormEditView(WebFormObjectMixin, TemplateView):
    template_name = "webforms/form.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", WebFormForm(instance=self.web_form, user=self.request.user))
        return super().get_context_data(title=f"Edit Web Form {self.web_form.name}", web_form=self.web_form, **kwargs)

    def post(self, request, pk):
        form = WebFormForm(request.POST, instance=self.web_form, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        web_form_save(form=form, acting_user=request.user)
        messages.success(request, f"Web form {self.web_form.name} saved.")
        return redirect("webforms:list")


class WebFormDeleteView(WebFormObjectMixin, TemplateView):
    template_name = "webforms/delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(web_form=self.web_form, **kwargs)

    def post(self, request, pk):
        web_form_delete(web_form=self.web_form, acting_user=request.user)
        messages.success(request, f"Web form {self.web_form.name} deleted.")
        return redirect("webforms:list")


class WebFormHtmlView(WebFormObjectMixin, TemplateView):
    """Get HTML: the snippet to paste into the web site, shown as text to copy."""

    template_name = "webforms/html.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            web_form=self.web_form,
            snippet=snippet_html(self.request, self.web_form),
            action=action_url(self.request, self.web_form),
            **kwargs,
        )


# --- The public endpoint ------------------------------------------------------------------------------


def _answer(request, web_form, status: int, heading: str, message: str, problems=(), **headers) -> HttpResponse:
    response = render(
        request,
        "webforms/public/answer.html",
        {"web_form": web_form, "heading": heading, "message": message, "problems": problems},
        status=status,
    )
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _cors(request: HttpRequest, web_form: WebForm, response: HttpResponse) -> HttpResponse:
    """Let the listed web sites read the answer (a script posting the form with fetch needs it)."""
    origin = request.headers.get("Origin")
    if web_form.allowed_origins and origin and web_form.accepts_origin(origin):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST"
        response["Access-Control-Allow-Headers"] = "Content-Type"
    patch_vary_headers(response, ["Origin"])  # a cache must not hand one site's answer to another
    return response


def _problems(form, unknown: list[str]) -> list[str]:
    problems = [f"“{name[:100]}” is not a field of this form." for name in unknown]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "Form"
        problems.extend(f"{label}: {error}" for error in errors)
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more."]
    return problems


@csrf_exempt  # the form is on the company's site; a post carries no session, so there is nothing to forge
@login_not_required
def submit(request: HttpRequest, key) -> HttpResponse:
    """A visitor's post of a web form: creates a lead for the form's owner, then sends them on."""
    if request.method not in ("POST", "OPTIONS"):
        return _answer(
            request,
            None,
            405,
            "Send the form instead",
            "This address receives a web form. Open the page of the web site that shows the form.",
            Allow="POST, OPTIONS",
        )
    web_form = WebForm.objects.filter(key=key, active=True).select_related("owner_user", "owner_group").first()
    if web_form is None:
        return _answer(request, None, 404, "Form not available", "This form does not exist or is closed.")
    if request.method == "OPTIONS":  # a CORS preflight
        return _cors(request, web_form, HttpResponse(status=204))
    origin = request.headers.get("Origin")
    if not web_form.accepts_origin(origin):
        message = "This form does not accept posts from the web site it was sent from."
        return _answer(request, web_form, 403, "Not allowed from this web site", message)
    if not allow_post(web_form, client_ip(request)):
        minutes = max(1, window_seconds() // 60)
        message = f"Too many forms were sent from here. Please try again in {minutes} minutes."
        response = _answer(request, web_form, 429, "Please wait", message, Retry_After=str(window_seconds()))
        return _cors(request, web_form, response)
    if request.POST.get(HONEYPOT):
        logger.info("Web form %s: post from %s caught by the honeypot", web_form.pk, client_ip(request))
        return _cors(request, web_form, _thank(web_form))

    form = lead_form_for(web_form)(request.POST)
    unknown = form.unknown_names(request.POST, besides=(HONEYPOT,)) + list(request.FILES)
    if not form.is_valid() or unknown:
        message = "Nothing was saved. Go back, correct these and send the form again:"
        response = _answer(request, web_form, 400, "Please check the form", message, _problems(form, unknown))
        return _cors(request, web_form, response)
    try:
        site_url = request.build_absolute_uri("/")
        web_lead_create(web_form=web_form, form=form, site_url=site_url)
    except ValidationError as error:  # a model rule the form could not check: still the visitor's to fix
        message = "Nothing was saved. Go back, correct these and send the form again:"
        return _answer(request, web_form, 400, "Please check the form", message, error.messages)
    return _cors(request, web_form, _thank(web_form))


def _thank(web_form: WebForm) -> HttpResponse:
    """303: the browser follows with a GET, so reloading the thank-you page does not send the form again."""
    target = web_form.thank_you_url or reverse("webforms:thanks", kwargs={"key": web_form.key})
    return HttpResponseRedirect(target, status=303)


@login_not_required
def thanks(request: HttpRequest, key) -> HttpResponse:
    """The CRM's own thank-you page, for a form without a thank-you page of the company's site."""
    web_form = WebForm.objects.filter(key=key).first()
    if web_form is None:
        return _answer(request, None, 404, "Form not available", "This form does not exist or is closed.")
    message = "Thank you. We have received your details and will be in touch."
    return _answer(request, web_form, 200, "Thank you", message)
