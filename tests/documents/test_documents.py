"""Documents: uploads and links attached to records, served only through the access-checked download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from secondcrm.documents.models import Document, DocumentLink, Folder
from secondcrm.records.services import record_delete
from tests.factories import AccountFactory, DocumentFactory, attach

pytestmark = pytest.mark.django_db

ADD = reverse("records:add", args=["documents"])


def upload(client, account, name="contract.pdf", content=b"%PDF-1.4 signed contract", **extra):
    data = {
        "title": "Signed contract",
        "folder": Folder.objects.get_or_create(name="Default")[0].pk,
        "location": "internal",
        "file": SimpleUploadedFile(name, content),
        "assigned_to": extra.pop("owner"),
        "attach_to": f"accounts:{account.pk}",
        **extra,
    }
    return client.post(ADD, data)


def test_upload_from_an_account_is_listed_on_it_and_downloads(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    client = client_as(staff)
    panel = client.get(account.get_absolute_url()).content.decode()
    assert f"{ADD}?attach_to=accounts%3A{account.pk}" in panel
    response = upload(client, account, owner=f"user:{staff.pk}")
    document = Document.objects.get(title="Signed contract")
    assert response.status_code == 302
    assert (document.file_name, document.file_size) == ("contract.pdf", 24)
    assert DocumentLink.objects.get(document=document).record == account
    assert "contract.pdf" in client.get(account.get_absolute_url()).content.decode()
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed contract"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", ["setup.exe", "page.html", "drawing.SVG", "run.sh", "macro.pdf.js"])
def test_dangerous_file_types_are_refused(client_as, staff, name):
    account = AccountFactory(assigned_user=staff)
    response = upload(client_as(staff), account, name=name, owner=f"user:{staff.pk}")
    assert response.status_code == 422
    assert "are not accepted: they can run code when opened" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


@override_settings(DOCUMENT_MAX_UPLOAD_MB=1)
def test_too_large_upload_is_refused(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    response = upload(client_as(staff), account, content=b"x" * (1024 * 1024 + 1), owner=f"user:{staff.pk}")
    assert "files can be at most 1.0\xa0MB" in response.context["form"].errors["file"][0]
    assert not Document.objects.exists()


def test_internal_needs_a_file_and_external_a_url(client_as, staff):
    client = client_as(staff)
    base = {
        "title": "Nothing",
        "folder": Folder.objects.get_or_create(name="Default")[0].pk,
        "assigned_to": f"user:{staff.pk}",
    }
    internal = client.post(ADD, base | {"location": "internal"}).context["form"].errors
    external = client.post(ADD, base | {"location": "external"}).context["form"].errors
    assert "Choose a file to upload" in internal["file"][0]
    assert "Give the document's URL" in external["url"][0]
    assert not Document.objects.exists()


def test_attaching_to_an_unknown_record_is_an_error(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    record_delete(record=account, acting_user=staff)
    response = upload(client_as(staff), account, owner=f"user:{staff.pk}")
    assert "was not found" in response.context["form"].errors["attach_to"][0]


def test_external_document_redirects_to_its_url(client_as, staff):
    document = DocumentFactory(assigned_user=staff, url="https://files.example/price-list.pdf")
    response = client_as(staff).get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302 and response.url == "https://files.example/price-list.pdf"


def test_deleted_document_is_not_served(client_as, staff):
    document = DocumentFactory(assigned_user=staff)
    record_delete(record=document, acting_user=staff)
    assert client_as(staff).get(reverse("documents:download", args=[document.pk])).status_code == 404


def test_anonymous_visitors_get_no_files(client, staff):
    document = DocumentFactory(assigned_user=staff)
    response = client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_documents_of_a_record_exclude_the_bin(client_as, staff):
    account = AccountFactory(assigned_user=staff)
    kept, binned = (
        DocumentFactory(assigned_user=staff, title="Kept"),
        DocumentFactory(assigned_user=staff, title="Binned"),
    )
    attach(kept, account)
    attach(binned, account)
    record_delete(record=binned, acting_user=staff)
    panels = {p.key: ctx for p, ctx in client_as(staff).get(account.get_absolute_url()).context["panels"]}
    assert list(panels["documents"]["documents"]) == [kept]


def test_folders_are_added_and_only_empty_ones_deleted_by_admins(client_as, admin, staff):
    client = client_as(staff)
    client.post(reverse("documents:folders"), {"name": "Contracts"})
    contracts = Folder.objects.get(name="Contracts")
    assert client.post(reverse("documents:folders"), {"delete": contracts.pk}).status_code == 403
    DocumentFactory(assigned_user=staff, folder=contracts)
    client_as(admin).post(reverse("documents:folders"), {"delete": contracts.pk})
    assert Folder.objects.filter(name="Contracts").exists()
    assert client.post(reverse("documents:folders"), {"name": "Contracts"}).status_code == 422
