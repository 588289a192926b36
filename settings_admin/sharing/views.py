"""Settings > Sharing Access (organization-wide defaults and custom sharing rules), Settings > Field Access
(fields hidden for the whole organization) and "Why can this user see this record?"."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from secondcrm.access.explain import explain, rule_sentence
from secondcrm.access.models import HiddenField, SharingDefault, SharingRule
from secondcrm.records.registry import registry

from ..mixins import AdminRequiredMixin
from .forms import ExplainForm, FieldAccessForm, SharingDefaultsForm, SharingRuleForm, module_fields


class SharingAccessView(AdminRequiredMixin, TemplateView):
    """Each module's organization-wide default, and below it the module's custom sharing rules."""

    template_name = "settings_admin/sharing/sharing.html"

    def defaults_form(self, data=None) -> SharingDefaultsForm:
        return SharingDefaultsForm(data, current=dict(SharingDefault.objects.values_list("module", "access")))

    def get_context_data(self, **kwargs):
        form = kwargs.pop("form", None) or self.defaults_form()
        rules = SharingRule.objects.select_related("from_role", "from_group", "to_role", "to_group")
        by_module: dict[str, list] = {}
        for rule in rules:
            by_module.setdefault(rule.module, []).append((rule, rule_sentence(rule)))
        modules = [(m, form[m.name], by_module.get(m.name, [])) for m in registry]
        return super().get_context_data(form=form, modules=modules, **kwargs)

    def post(self, request):
        form = self.defaults_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        changed = []
        with transaction.atomic():
            for module in registry:
                access = form.cleaned_data[module.name]
                row = SharingDefault.objects.filter(module=module.name).first()
                if (row.access if row else SharingDefault.Access.PRIVATE) != access:
                    SharingDefault.objects.update_or_create(module=module.name, defaults={"access": access})
                    changed.append(f"{module.label}: {SharingDefault.Access(access).label}")
        if changed:
            messages.success(request, f"Sharing access saved ({'; '.join(changed)}).")
        else:
            messages.info(request, "Nothing changed.")
        return redirect("settings_admin:sharing")


class SharingRuleFormView(AdminRequiredMixin, TemplateView):
    """Add or edit one custom sharing rule."""

    template_name = "settings_admin/sharing/rule_form.html"

    def get_rule(self) -> SharingRule:
        pk = self.kwargs.get("pk")
        return get_object_or_404(SharingRule, pk=pk) if pk is not None else SharingRule()

    def get_form(self) -> SharingRuleForm:
        rule = self.get_rule()
        if self.request.method == "POST":
            return SharingRuleForm(self.request.POST, instance=rule)
        module = self.request.GET.get("module")
        return SharingRuleForm(instance=rule, initial={"module": module} if module in registry else {})

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.get_form()))

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        rule = form.save()
        messages.success(request, f"Sharing rule saved: {rule_sentence(rule)}.")
        return redirect("settings_admin:sharing")


class SharingRuleDeleteView(AdminRequiredMixin, View):
    """Delete one custom sharing rule (POST only; the Sharing Access page asks for confirmation)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        rule = get_object_or_404(SharingRule, pk=pk)
        sentence = rule_sentence(rule)
        rule.delete()
        messages.success(request, f"Sharing rule deleted: {sentence}.")
        return redirect("settings_admin:sharing")


class FieldAccessView(AdminRequiredMixin, TemplateView):
    """The fields of one module, each visible to the organization or hidden from everyone but admins."""

    template_name = "settings_admin/sharing/field_access.html"

    def selected_module(self):
        name = self.request.POST.get("module") or self.request.GET.get("module") or next(iter(registry)).name
        if name not in registry:
            raise Http404("Unknown module.")
        return registry.get(name)

    def get_context_data(self, **kwargs):
        module = self.selected_module()
        form = kwargs.pop("form", None) or FieldAccessForm(rows=module_fields(module))
        hidden = set(HiddenField.objects.filter(module=module.name).values_list("field", flat=True))
        if form.is_bound:  # redisplay what was posted
            hidden = {row.name for row in form.rows} - set(form.data.getlist("visible"))
        rows = [(row, row.mandatory or row.name not in hidden) for row in form.rows]
        return super().get_context_data(module=module, modules=list(registry), form=form, rows=rows, **kwargs)

    def post(self, request):
        module = self.selected_module()
        form = FieldAccessForm(request.POST, rows=module_fields(module))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        hidden = form.hidden
        with transaction.atomic():
            # Rows for fields that are gone or mandatory now are dropped too: they no longer hide anything.
            HiddenField.objects.filter(module=module.name).exclude(field__in=hidden).delete()
            kept = set(HiddenField.objects.filter(module=module.name).values_list("field", flat=True))
            HiddenField.objects.bulk_create(HiddenField(module=module.name, field=f) for f in sorted(hidden - kept))
        count = len(hidden)
        messages.success(
            request, f"Field access of {module.label} saved: {count} field{'s' if count != 1 else ''} hidden."
        )
        return redirect(f"{request.path}?module={module.name}")


class ExplainView(AdminRequiredMixin, TemplateView):
    """ "Why can this user see this record?": pick a user and a record, see each action allowed or denied
    and the rule deciding it."""

    template_name = "settings_admin/sharing/explain.html"

    def get(self, request, *args, **kwargs):
        asked = "user" in request.GET or "record" in request.GET
        form = ExplainForm(request.GET if asked else None)
        if not asked:
            return self.render_to_response(self.get_context_data(form=form))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=422)
        user, record = form.cleaned_data["user"], form.cleaned_data["found"]
        return self.render_to_response(
            self.get_context_data(form=form, subject=user, record=record, verdicts=explain(user, record))
        )
