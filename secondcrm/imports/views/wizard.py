"""Steps 1 and 2 of an import: upload the file, then map its columns to fields and choose what to do with
duplicates. Submitting the mapping starts the preview (a dry run in the background) and goes to the import's
page, which shows it."""

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from ..fields import auto_mapping, duplicate_field_choices, importable_fields
from ..forms import MappingForm, UploadForm
from ..models import SavedImportMapping
from ..reading import UnreadableFile, sample_rows
from ..services import preview_start
from .base import ImportMixin, JobMixin, mapping_changeable

SAMPLE_ROWS = 3  # values shown under each column's header, so the user recognises it


class UploadView(ImportMixin, TemplateView):
    """Step 1, the list's Actions → Import: the file and how to read it. A file that cannot be read is refused
    with the reason (422) and nothing is stored; a readable one becomes an import waiting for its mapping."""

    template_name = "imports/upload.html"

    def build_form(self, data=None, files=None) -> UploadForm:
        return UploadForm(data, files, module=self.module, user=self.request.user)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.build_form()))

    def post(self, request, *args, **kwargs):
        form = self.build_form(request.POST, request.FILES)
        job = form.save() if form.is_valid() else None
        if job is None:
            return self.render_to_response(self.get_context_data(form=form), status=422)
        return redirect("imports:mapping", pk=job.pk)


class MappingView(JobMixin, TemplateView):
    """Step 2: one row per column of the file with its first values and the field it fills, preselected by
    header name or by a saved mapping (``?mapping=<pk>``); duplicate handling; "Save as Custom Mapping".
    The mapping can change until the import starts ("Change mapping" on the preview comes back here)."""

    template_name = "imports/mapping.html"

    @cached_property
    def fields(self):
        return importable_fields(self.module, self.request.user)

    def get(self, request, *args, **kwargs):
        if not mapping_changeable(self.job):
            return self.started()
        saved = self.chosen_mapping()
        if saved is not None:
            mapping = self.apply(saved)
            messages.info(
                request, f"Mapping “{saved.name}” applied to {len(mapping)} of {len(self.job.columns)} columns."
            )
        else:
            mapping = self.job.mapping or auto_mapping(self.job.columns, self.fields)
        form = self.build_form(initial=MappingForm.initial_for(self.job, mapping))
        return self.render_page(form, chosen=saved)

    def post(self, request, *args, **kwargs):
        job = self.job
        if not mapping_changeable(job):
            return self.started()
        form = self.build_form(data=request.POST)
        if not form.is_valid():
            return self.render_page(form, status=422)
        data = form.cleaned_data
        job.mapping = data["mapping"]
        job.duplicate_mode = data["duplicate_mode"]
        job.duplicate_fields = data["duplicate_fields"]
        job.create_missing_accounts = data.get("create_missing_accounts", False)
        try:
            with transaction.atomic():
                if (saved := form.saved_mapping()) is not None:
                    saved.save()
                job.save(update_fields=["mapping", "duplicate_mode", "duplicate_fields", "create_missing_accounts"])
        except IntegrityError:  # the same name saved meanwhile, from another tab
            form.add_error("mapping_name", "You already have a mapping with this name: choose another name.")
            return self.render_page(form, status=422)
        if saved is not None:
            messages.success(request, f"Mapping saved as “{saved.name}”.")
        try:
            preview_start(job)
        except ValueError:  # "Import now" pressed in another tab meanwhile
            return self.started()
        return redirect("imports:job", pk=job.pk)

    def started(self):
        messages.info(self.request, "This import has started: its mapping can no longer change.")
        return redirect("imports:job", pk=self.job.pk)

    def saved_mappings(self):
        return SavedImportMapping.objects.filter(user=self.request.user, module=self.module.name)

    def chosen_mapping(self) -> SavedImportMapping | None:
        """The saved mapping chosen under "Use Saved Mapping": one of the user's own for this module, else 404."""
        chosen = self.request.GET.get("mapping", "")
        return get_object_or_404(self.saved_mappings(), pk=chosen) if chosen.isdigit() else None

    def apply(self, saved: SavedImportMapping) -> dict[str, str]:
        """The saved mapping on this file, by header name: the columns may come in another order, and fields the
        user may no longer write are left out."""
        return {
            str(index): saved.fields[header]
            for index, header in enumerate(self.job.columns)
            if saved.fields.get(header) in self.fields
        }

    def build_form(self, data=None, initial=None) -> MappingForm:
        return MappingForm(
            data,
            initial=initial,
            job=self.job,
            module=self.module,
            user=self.request.user,
            fields=self.fields,
            duplicate_choices=duplicate_field_choices(self.module, self.request.user),
        )

    def render_page(self, form: MappingForm, chosen: SavedImportMapping | None = None, status: int = 200):
        try:
            samples, unreadable = sample_rows(self.job, count=SAMPLE_ROWS), ""
        except UnreadableFile as error:  # shown on the page; the preview will say which row
            samples, unreadable = [], str(error)
        columns = [
            (select, [row[index] for row in samples if index < len(row)]) for index, select in enumerate(form.columns())
        ]
        context = self.get_context_data(
            form=form,
            columns=columns,
            unreadable=unreadable,
            saved_mappings=self.saved_mappings(),
            chosen_mapping=chosen,
        )
        return self.render_to_response(context, status=status)
