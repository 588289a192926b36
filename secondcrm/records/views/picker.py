"""Matches for the reference picker, as the user types: visible records only."""

from django.http import JsonResponse

from secondcrm.access.permissions import access_for

from ..filters import search_condition
from .base import ModuleMixin

MATCHES = 20


class PickerView(ModuleMixin):
    http_method_names = ["get"]

    def get(self, request, *args, **kwargs):
        records = self.visible("view")
        query = request.GET.get("q", "").strip()[:100]
        if query:
            invisible = access_for(request.user).field_access(self.module).invisible
            records = records.filter(search_condition(self.module, query, invisible=invisible))
        exclude = request.GET.get("exclude", "")
        if exclude.isdigit():
            records = records.exclude(pk=int(exclude))
        records = records.order_by(self.module.title_field)[:MATCHES]
        return JsonResponse({"results": [{"id": r.pk, "text": str(r), "number": r.number} for r in records]})
