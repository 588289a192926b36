"""What every page of the import wizard shares: the rights it needs, and the import named in the URL."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from secondcrm.records.registry import registry
from secondcrm.records.views.base import ModuleMixin

from ..fields import import_refusal
from ..models import DuplicateMode, ImportJob


def mapping_changeable(job: ImportJob) -> bool:
    """Whether the mapping can still change: until the import starts (a failed preview can be tried again)."""
    return job.started_at is None and job.status in (
        ImportJob.Status.MAPPING,
        ImportJob.Status.READY,
        ImportJob.Status.FAILED,
    )


class ImportMixin(ModuleMixin):
    """A page about importing into ``self.module``: 403 unless the user may import there at all (the rights
    that overwriting or merging add are checked with the mapping)."""

    def dispatch(self, request, *args, **kwargs):
        refusal = import_refusal(self.module, request.user, DuplicateMode.CREATE)
        if refusal:
            raise PermissionDenied(refusal)
        return super().dispatch(request, *args, **kwargs)


class JobMixin(ImportMixin):
    """A page about one import, ``pk`` in the URL: only the user who started it may see it; for anyone else
    it does not exist (404), like a record they may not see."""

    job: ImportJob

    def setup(self, request, *args, **kwargs):
        self.job = get_object_or_404(ImportJob, pk=kwargs["pk"], user=request.user)
        if self.job.module not in registry:  # a module removed since the import
            raise Http404("No such import.")
        super().setup(request, *args, module=registry.get(self.job.module), **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["job"] = self.job
        return context
