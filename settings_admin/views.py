"""Settings pages: the index, the Recycle Bin, login history and record numbering."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from secondcrm.access.models import LoginHistory
from secondcrm.records.numbering import sequence_for
from secondcrm.records.registry import registry
from secondcrm.records.services import StillReferenced, record_purge, record_restore

from .forms import ModuleNumberingForm
from .mixins import AdminRequiredMixin

PAGE_SIZE = 50


class SettingsIndexView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/index.html"


class RecycleBinView(AdminRequiredMixin, TemplateView):
    """Deleted records of one module at a time; restore or purge the selected ones."""

    template_name = "settings_admin/recycle_bin.html"

    def selected_module(self):
        name = self.request.GET.get("module") or self.request.POST.get("module") or next(iter(registry)).name
        if name not in registry:
            raise Http404("Unknown module.")
        return registry.get(name)

    def get_context_data(self, **kwargs):
        module = self.selected_module()
        deleted = module.model.all_objects.in_recycle_bin().select_related("deleted_by").order_by("-deleted_at")
        page = Paginator(deleted, PAGE_SIZE).get_page(self.request.GET.get("page"))
        counts = {m.name: m.model.all_objects.in_recycle_bin().count() for m in registry}
        return super().get_context_data(
            module=module, page=page, modules=[(m, counts[m.name]) for m in registry], **kwargs
        )

    def post(self, request):
        module = self.selected_module()
        ids = [int(pk) for pk in request.POST.getlist("selection") if pk.isdigit()]
        records = list(module.model.all_objects.in_recycle_bin().filter(pk__in=ids))
        action = request.POST.get("action")
        if not records:
            messages.warning(request, "Select at least one record first.")
        elif action == "restore":
            for record in records:
                record_restore(record=record, acting_user=request.user)
            messages.success(request, f"Restored {len(records)} {module.label.lower()}.")
        elif action == "purge":
            purged = 0
            for record in records:
                try:
                    record_purge(record=record, acting_user=request.user)
                    purged += 1
                except StillReferenced as refused:
                    messages.error(request, str(refused))
            if purged:
                messages.success(request, f"Deleted {purged} {module.label.lower()} for good.")
        else:
            messages.error(request, "Choose Restore or Delete Permanently.")
        return redirect(f"{request.path}?module={module.name}")


class LoginHistoryView(AdminRequiredMixin, TemplateView):
    template_name = "settings_admin/login_history.html"

    def get_context_data(self, **kwargs):
        rows = LoginHistory.objects.all()
        user_name = self.request.GET.get("user", "").strip()
        if user_name:
            rows = rows.filter(user_name__icontains=user_name)
        page = Paginator(rows, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(page=page, user_filter=user_name, **kwargs)


class ModuleNumberingView(AdminRequiredMixin, TemplateView):
    """Record numbering per module: the prefix and the next number."""

    template_name = "settings_admin/numbering.html"

    def forms(self, data=None):
        result = []
        for module in registry:
            sequence = sequence_for(module)
            posted = data if data and data.get("module") == module.name else None
            result.append(ModuleNumberingForm(posted, instance=sequence, module=module, prefix=module.name))
        return result

    def get_context_data(self, **kwargs):
        return super().get_context_data(forms=kwargs.pop("forms", None) or self.forms(), **kwargs)

    def post(self, request):
        forms = self.forms(request.POST)
        for form in forms:
            if form.is_bound:
                if form.is_valid():
                    form.save()
                    messages.success(request, f"Numbering of {form.module.label} saved.")
                    return redirect("settings_admin:numbering")
                return self.render_to_response(self.get_context_data(forms=forms), status=422)
        messages.error(request, "Choose a module to change.")
        return redirect("settings_admin:numbering")
