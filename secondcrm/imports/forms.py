"""The forms of the import wizard: step 1 (the file and how to read it) and step 2 (the mapping and what to do
with duplicates). Both only check and describe; the views save the job and the engine does the work."""

import os

from django import forms
from django.core.exceptions import ValidationError

from secondcrm.records.registry import Module

from .fields import ImportField, import_refusal, links_accounts, mapping_errors
from .models import DuplicateMode, ImportJob, SavedImportMapping
from .reading import UnreadableFile, file_columns, sniff
from .services import IMPORT_MAX_BYTES

AUTO = ""  # the encoding or delimiter the file's content suggests
DO_NOT_IMPORT = ""


class UploadForm(forms.Form):
    """Step 1: the file, whether its first row names the columns, and how its text is encoded and separated.
    A file that cannot be read is refused, with the reason, and nothing is kept."""

    file = forms.FileField(
        label="File",
        max_length=ImportJob._meta.get_field("file_name").max_length,
        help_text="A CSV file (UTF-8 or ISO-8859-1, comma or semicolon separated) or an Excel workbook (.xlsx).",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )
    has_header = forms.BooleanField(
        label="Has header",
        required=False,
        initial=True,
        help_text="The first row holds the column names.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
    )
    encoding = forms.ChoiceField(
        label="Character encoding",
        required=False,
        choices=[(AUTO, "Auto-detect"), ("utf-8", "UTF-8"), ("iso-8859-1", "ISO-8859-1")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    delimiter = forms.ChoiceField(
        label="Delimiter",
        required=False,
        choices=[(AUTO, "Auto"), (",", "Comma ( , )"), (";", "Semicolon ( ; )")],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, module: Module, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.module, self.user = module, user

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            limit = IMPORT_MAX_BYTES // (1024 * 1024)
            raise ValidationError(f"The file is larger than {limit} MB: split it and import the parts one by one.")
        try:
            self.facts = sniff(upload, upload.name)
        except UnreadableFile as error:
            raise ValidationError(str(error)) from error
        finally:
            upload.seek(0)
        return upload

    def save(self) -> ImportJob | None:
        """Stores the file as a new import waiting for its mapping, and reads its columns with the chosen settings
        (an encoding chosen by hand may not fit the file). A file whose columns cannot be read is removed again
        and the reason added to the form's errors: then it returns None."""
        data, facts = self.cleaned_data, self.facts
        upload = data["file"]
        job = ImportJob.objects.create(
            module=self.module.name,
            user=self.user,
            file=upload,
            file_name=os.path.basename(upload.name),
            file_kind=facts.kind,
            encoding=data["encoding"] or facts.encoding,
            delimiter=data["delimiter"] or facts.delimiter,
            has_header=data["has_header"],
        )
        try:
            job.columns = file_columns(job)
        except UnreadableFile as error:
            self.add_error("file", str(error))
        else:
            if job.columns:
                job.save(update_fields=["columns"])
                return job
            self.add_error("file", "This file is empty: it has no columns.")
        job.file.delete(save=False)
        job.delete()
        return None


class MappingForm(forms.Form):
    """Step 2: for each column of the file, the field it fills (``column_<index>``); what a row does when a
    record with the same values in the chosen fields exists; and, optionally, a name to save the mapping under.

    The choices offered are the fields the user may write; ``mapping_errors`` then checks the whole mapping
    (mandatory fields, a field mapped twice, the duplicate fields) and ``import_refusal`` the rights the duplicate
    handling needs."""

    duplicate_mode = forms.ChoiceField(
        label="When a matching record exists",
        choices=DuplicateMode.choices,
        initial=DuplicateMode.CREATE,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    duplicate_fields = forms.MultipleChoiceField(
        label="Match on",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    create_missing_accounts = forms.BooleanField(
        label="Create accounts that do not exist yet",
        required=False,
        help_text="Otherwise a row naming an unknown account is not imported.",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    save_mapping = forms.BooleanField(
        label="Save as Custom Mapping",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    mapping_name = forms.CharField(
        label="Mapping name",
        required=False,
        max_length=SavedImportMapping._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(
        self,
        *args,
        job: ImportJob,
        module: Module,
        user,
        fields: dict[str, ImportField],
        duplicate_choices: dict[str, str],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.job, self.module, self.user = job, module, user
        choices = [(DO_NOT_IMPORT, "— Do not import —")] + [
            (field.name, f"{field.label} *" if field.mandatory else field.label) for field in fields.values()
        ]
        for index, header in enumerate(job.columns):
            self.fields[self.column_name(index)] = forms.ChoiceField(
                label=header, required=False, choices=choices, widget=forms.Select(attrs={"class": "form-select"})
            )
        self.fields["duplicate_fields"].choices = list(duplicate_choices.items())
        if not links_accounts(module):
            del self.fields["create_missing_accounts"]

    @staticmethod
    def column_name(index: int) -> str:
        return f"column_{index}"

    @classmethod
    def initial_for(cls, job: ImportJob, mapping: dict[str, str]) -> dict:
        """Initial data showing ``mapping`` and the job's duplicate handling."""
        initial = {cls.column_name(int(index)): field for index, field in mapping.items()}
        initial.update(
            duplicate_mode=job.duplicate_mode,
            duplicate_fields=job.duplicate_fields,
            create_missing_accounts=job.create_missing_accounts,
        )
        return initial

    def columns(self) -> list[forms.BoundField]:
        """The column selects, in the file's order."""
        return [self[self.column_name(index)] for index in range(len(self.job.columns))]

    def clean(self):
        cleaned = super().clean()
        mapping = {
            str(index): cleaned[self.column_name(index)]
            for index in range(len(self.job.columns))
            if cleaned.get(self.column_name(index))
        }
        cleaned["mapping"] = mapping
        mode = cleaned.get("duplicate_mode")
        if mode:
            # Overwriting or merging changes existing records: the mode needs the Edit right too.
            if refusal := import_refusal(self.module, self.user, mode):
                self.add_error("duplicate_mode", refusal)
            for message in mapping_errors(self.module, self.user, mapping, mode, cleaned.get("duplicate_fields", [])):
                self.add_error(None, message)
        if cleaned.get("save_mapping"):
            self._check_mapping_name(cleaned.get("mapping_name", ""))
        return cleaned

    def _check_mapping_name(self, name: str) -> None:
        if not name:
            self.add_error("mapping_name", "Enter a name to save the mapping under.")
        elif SavedImportMapping.objects.filter(user=self.user, module=self.module.name, name=name).exists():
            self.add_error("mapping_name", f"You already have a mapping named “{name}”: choose another name.")

    def saved_mapping(self) -> SavedImportMapping | None:
        """The mapping to save under the chosen name (unsaved): each mapped column's header → its field."""
        if not self.cleaned_data.get("save_mapping"):
            return None
        columns = self.job.columns
        return SavedImportMapping(
            user=self.user,
            module=self.module.name,
            name=self.cleaned_data["mapping_name"],
            fields={columns[int(index)]: field for index, field in self.cleaned_data["mapping"].items()},
        )
