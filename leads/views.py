"""Convert Lead: the dialog (a page of its own without JavaScript) that validates the user's choices and hands
them to ``lead_convert``. Everything else about leads is the record platform's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.generic import TemplateView

from .forms import ConvertLeadForm
from .models import Lead
from .services import Conversion, ConversionError, convertible, existing_account, lead_convert


class ConvertLeadView(TemplateView):
    """GET shows the dialog, prefilled from the lead through the mapping; POST converts. A lead the user
    cannot see, converted ones included, is 404; one they see but may not edit is 403."""

    def get_template_names(self) -> list[str]:
        return ["leads/convert_dialog.html" if self.request.htmx else "leads/convert.html"]

    def dispatch(self, request, *args, **kwargs):
        lead = Lead.objects.visible_to(request.user, "view").filter(pk=kwargs["pk"]).first()
        if lead is None:
            raise Http404("No lead found.")
        if not convertible(lead, request.user):
            raise PermissionDenied("You may not convert this lead: converting changes it, and you may not edit it.")
        self.lead = lead
        return super().dispatch(request, *args, **kwargs)

    def get_form(self) -> ConvertLeadForm:
        data = self.request.POST if self.request.method == "POST" else None
        # The account that "Account Name" would be linked to: as typed, or as prefilled.
        name = (data or {}).get("convert-account_name", self.lead.company)
        return ConvertLeadForm(
            data, lead=self.lead, user=self.request.user, existing_account=existing_account(name, self.request.user)
        )

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render(form, status=422)
        cleaned = form.cleaned_data
        try:
            conversion = lead_convert(
                lead=self.lead,
                account=bool(cleaned["create_account"]),
                account_values=form.values("account"),
                contact=bool(cleaned["create_contact"]),
                contact_values=form.values("contact"),
                potential=form.values("potential") if cleaned["create_potential"] else None,
                assigned_to=form.assignee(),
                acting_user=request.user,
            )
        except (ConversionError, PermissionDenied) as error:
            for message in getattr(error, "messages", None) or [str(error)]:
                form.add_error(None, message)
            return self.render(form, status=403 if isinstance(error, PermissionDenied) else 422)
        messages.success(request, success_message(conversion))
        for skipped in conversion.skipped:
            messages.warning(request, f"Not carried over: {skipped}")
        target = conversion.landing.get_absolute_url()
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return redirect(target)

    def render(self, form: ConvertLeadForm, status: int = 200):
        context = self.get_context_data(lead=self.lead, form=form, sections=form.sections())
        # htmx swaps only successful responses: the dialog shows its errors with a 200.
        return self.render_to_response(context, status=200 if self.request.htmx else status)


def success_message(conversion: Conversion) -> str:
    parts = []
    if conversion.account is not None:
        verb = "linked" if conversion.account_reused else "created"
        parts.append(f"account {conversion.account} {verb}")
    if conversion.contact is not None:
        parts.append(f"contact {conversion.contact} created")
    if conversion.potential is not None:
        parts.append(f"potential {conversion.potential} created")
    return f"Lead {conversion.lead.number} converted: {', '.join(parts)}."
