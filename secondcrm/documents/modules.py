"""Documents as a module of the registry, and the Documents tab on every record."""

from django.contrib.contenttypes.models import ContentType

from secondcrm.records.registry import Block, Module, RecordPanel, registry

from .forms import DocumentForm
from .models import Document

registry.register(
    Module(
        name="documents",
        model=Document,
        form=DocumentForm,
        list_fields=("title", "folder", "location", "file_name", "assigned_to", "modified_at"),
        blocks=(
            Block("Basic Information", ("title", "folder", "assigned_to", "number")),
            Block("File Information", ("location", "file", "file_name", "file_size", "url")),
            Block("Description", ("description",)),
        ),
        summary_fields=("title", "folder", "location", "file_name", "url"),
        menu_group="Tools",
        number_prefix="DOC",
        title_field="title",
        search_fields=("title", "file_name", "url"),
        filter_fields=("folder", "location"),
        quick_create=False,
        icon="file-earmark-text",
        list_links=(("Folders", "documents:folders"),),
    )
)


def _documents(record, request) -> dict | None:
    if isinstance(record, Document):
        return None  # a document does not list documents
    documents = (
        Document.objects.visible_to(request.user, "view")
        .filter(links__content_type=ContentType.objects.get_for_model(record), links__object_id=record.pk)
        .select_related("folder")
        .order_by("title")
    )
    return {"documents": documents, "attach_to": f"{record.module.name}:{record.pk}"}


registry.register_panel(RecordPanel("documents", "Documents", "documents/panel.html", _documents, order=30))
