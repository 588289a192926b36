"""The document form: a file or a URL, and the record it is attached to when added from one."""

from django import forms
from django.contrib.contenttypes.models import ContentType

from secondcrm.records.forms import RecordForm
from secondcrm.records.registry import registry

from .models import Document, DocumentLink
from .validators import validate_upload


class DocumentForm(RecordForm):
    attach_to = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(RecordForm.Meta):
        model = Document
        fields = ["title", "folder", "location", "file", "url", "description"]

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.files:  # a new upload, not the file already stored
            validate_upload(upload)
        return upload

    def clean_attach_to(self):
        """``<module>:<pk>`` of a record the user may see, or nothing."""
        value = self.cleaned_data.get("attach_to", "").strip()
        if not value:
            return None
        module_name, _, pk = value.partition(":")
        if module_name not in registry or not pk.isdigit():
            raise forms.ValidationError("The record to attach this document to was not found.")
        model = registry.get(module_name).model
        record = model.objects.visible_to(self.user, "view").filter(pk=int(pk)).first()
        if record is None:
            raise forms.ValidationError("The record to attach this document to was not found.")
        return record

    def clean(self):
        cleaned = super().clean()
        location = cleaned.get("location")
        if location == Document.Location.INTERNAL and not cleaned.get("file") and "file" in self.fields:
            self.add_error("file", "Choose a file to upload, or set File Type to External and give a URL.")
        if location == Document.Location.EXTERNAL and not cleaned.get("url") and "url" in self.fields:
            self.add_error("url", "Give the document's URL, or set File Type to Internal and upload a file.")
        return cleaned

    def save(self, commit: bool = True):
        document = self.instance
        upload = self.cleaned_data.get("file")
        if document.location == Document.Location.EXTERNAL:
            document.file, document.file_name, document.file_size = "", "", None
        elif upload and "file" in self.files:
            document.file_name, document.file_size = upload.name[:255], upload.size
        document = super().save(commit=commit)
        target = self.cleaned_data.get("attach_to")
        if commit and target is not None:
            DocumentLink.objects.get_or_create(
                document=document, content_type=ContentType.objects.get_for_model(target), object_id=target.pk
            )
        return document
