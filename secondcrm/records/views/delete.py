"""Delete one record: a confirmation page, then the record goes to the Recycle Bin."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from ..services import record_delete
from .base import ModuleMixin


class RecordDeleteView(ModuleMixin, TemplateView):
    template_name = "generic/delete.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(record=self.get_record("delete")))

    def post(self, request, *args, **kwargs):
        record = self.get_record("delete")
        record_delete(record=record, acting_user=request.user)
        messages.success(request, f"{self.module.singular} {record} was moved to the Recycle Bin.")
        return redirect("records:list", module=self.module.name)
