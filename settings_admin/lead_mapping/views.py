"""Settings > Lead Conversion Mapping: which lead field Convert Lead copies into which account, contact and
potential field, custom fields included. The rows are edited together and saved at once; "Restore Defaults"
goes back to the mapping a new installation has."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from leads.mapping import current_mapping, target_module_names
from leads.services import lead_mapping_reset, lead_mapping_save
from secondcrm.records.registry import registry

from ..mixins import AdminRequiredMixin
from .forms import MappingFormSet, all_mappable_fields, initial_rows


class LeadMappingView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/lead_mapping/mapping.html"

    def get(self, request, *args, **kwargs):
        fields = all_mappable_fields()
        initial, missing = initial_rows(current_mapping(), fields)
        formset = MappingFormSet(initial=initial, form_kwargs={"fields": fields}, prefix="rows")
        return self.render(formset, missing=missing)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "reset":
            lead_mapping_reset(acting_user=request.user)
            messages.success(request, "Lead Conversion Mapping restored to the defaults.")
            return redirect("settings_admin:lead_mapping")
        formset = MappingFormSet(request.POST, form_kwargs={"fields": all_mappable_fields()}, prefix="rows")
        if not formset.is_valid():
            return self.render(formset, status=422)
        rows = formset.rows()
        lead_mapping_save(rows=rows, acting_user=request.user)
        messages.success(request, f"Lead Conversion Mapping saved ({len(rows)} rows).")
        return redirect("settings_admin:lead_mapping")

    def render(self, formset, *, status: int = 200, missing=()):
        targets = [registry.get(name) for _, name in target_module_names()]
        context = self.get_context_data(formset=formset, targets=targets, missing=missing)
        return self.render_to_response(context, status=status)
