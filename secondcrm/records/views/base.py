"""What every record page shares: the module from the URL and access-checked record lookup."""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.views import View

from secondcrm.access.permissions import access_for

from ..models import Record
from ..registry import Module


class ModuleMixin(View):
    """Resolves ``self.module`` from the URL (the ``module`` converter already rejected unknown names)."""

    module: Module

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.module = kwargs["module"]

    def require(self, right: str) -> None:
        """403 unless the user's profiles grant ``right`` (view, create, ...) on this module."""
        if not access_for(self.request.user).can(self.module.name, right):
            raise PermissionDenied(f"You may not {right} {self.module.label.lower()}.")

    def visible(self, action: str = "view"):
        return self.module.model.objects.visible_to(self.request.user, action)

    def get_record(self, action: str = "view", *, rights: Sequence[str] = ()) -> Record:
        """The record in the URL. Unknown and invisible records are both 404; a visible record the user
        may not ``action`` is 403. Whether the user may also do each of ``rights`` to it comes in the same
        query, as ``record.may_<right>``."""
        checked = [name for name in dict.fromkeys((action, *rights)) if name != "view"]
        queryset = self.visible("view").with_rights(self.request.user, checked)
        record = get_object_or_404(queryset, pk=self.kwargs["pk"])
        if action != "view" and not getattr(record, f"may_{action}"):
            raise PermissionDenied(f"You may not {action} this {self.module.singular.lower()}.")
        return record

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs) if hasattr(super(), "get_context_data") else kwargs
        context["module"] = self.module
        return context
