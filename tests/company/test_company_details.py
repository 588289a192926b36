"""Settings > Company Details: admins only; several companies with exactly one default; logos checked by their
content (PNG or JPEG, at most 1 MB and 4,000 pixels a side) and shown only through an admin view."""

import io
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse
from PIL import Image

from secondcrm.company.models import Company

pytestmark = pytest.mark.django_db

LIST = reverse("settings_admin:company_list")
ADD = reverse("settings_admin:company_add")


def image(kind: str = "PNG", size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "navy").save(buffer, kind)
    return buffer.getvalue()


def upload(content: bytes, name: str = "logo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def details(name: str, **fields) -> dict:
    return {"name": name, "city": "Singapore", "country": "Singapore", "phone": "+65 6222 0000", **fields}


def add(client, name: str, **fields):
    return client.post(ADD, details(name, **fields))


def edit_url(company: Company) -> str:
    return reverse("settings_admin:company_edit", args=[company.pk])


def test_only_admins_reach_company_details(client_as, manager, admin):
    company = Company.objects.create(name="Second Software", is_default=True)
    client = client_as(manager)
    urls = [
        LIST,
        ADD,
        edit_url(company),
        reverse("settings_admin:company_delete", args=[company.pk]),
        reverse("settings_admin:company_logo", args=[company.pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(ADD, details("Mine")).status_code == 403
    assert client.post(reverse("settings_admin:company_default", args=[company.pk])).status_code == 403
    assert client.post(reverse("settings_admin:company_delete", args=[company.pk])).status_code == 403
    assert list(Company.objects.values_list("name", flat=True)) == ["Second Software"]

    index = client_as(admin).get(reverse("settings_admin:index")).text
    assert f'href="{LIST}"' in index and "Company Details" in index


def test_the_first_company_is_the_default_and_a_new_default_takes_over(client_as, admin):
    client = client_as(admin)

    response = add(client, "Second Software Pte Ltd", vat_id="201912345K", address="1 Raffles Place\n#20-01")
    assert response.status_code == 302 and response["Location"] == LIST
    first = Company.objects.get()
    assert first.is_default, "the first company becomes the default even unticked"
    assert first.address_lines == ["1 Raffles Place", "#20-01", "Singapore", "Singapore"]

    add(client, "Second Software Sdn Bhd")
    assert Company.objects.get(name="Second Software Sdn Bhd").is_default is False

    add(client, "Second Software Ltd", make_default="on")
    assert list(Company.objects.filter(is_default=True).values_list("name", flat=True)) == ["Second Software Ltd"]
    assert Company.objects.default().name == "Second Software Ltd"

    page = client.get(LIST)
    assert page.context["companies"][0].name == "Second Software Ltd"
    assert page.text.count(">Default</span>") == 1


def test_make_default(client_as, admin):
    first = Company.objects.create(name="First", is_default=True)
    second = Company.objects.create(name="Second")

    response = client_as(admin).post(reverse("settings_admin:company_default", args=[second.pk]), follow=True)

    assert "Second is now the default company." in response.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)


def test_the_default_cannot_be_unticked(client_as, admin):
    company = Company.objects.create(name="Only", is_default=True)

    response = client_as(admin).post(edit_url(company), details("Renamed"))

    assert response.status_code == 422
    assert "There is always one default company" in response.text
    company.refresh_from_db()
    assert (company.name, company.is_default) == ("Only", True)


def test_the_database_refuses_a_second_default():
    Company.objects.create(name="One", is_default=True)
    with pytest.raises(IntegrityError):
        Company.objects.create(name="Two", is_default=True)


def test_the_default_is_deleted_only_when_it_is_the_last(client_as, admin):
    default = Company.objects.create(name="Default Co", is_default=True)
    other = Company.objects.create(name="Other Co")
    client = client_as(admin)

    assert "Delete Default Co?" in client.get(reverse("settings_admin:company_delete", args=[default.pk])).text
    response = client.post(reverse("settings_admin:company_delete", args=[default.pk]), follow=True)
    assert "make another company the default before deleting it" in response.text
    assert Company.objects.filter(pk=default.pk).exists()

    response = client.post(reverse("settings_admin:company_delete", args=[other.pk]), follow=True)
    assert "Company Other Co deleted." in response.text
    client.post(reverse("settings_admin:company_delete", args=[default.pk]))
    assert not Company.objects.exists()


def test_a_logo_is_stored_by_its_real_type_and_shown_only_to_admins(client_as, admin, manager):
    client = client_as(admin)

    response = client.post(ADD, {**details("Logo Co"), "logo": upload(image("PNG"), name="brand.jpg")})

    assert response.status_code == 302
    company = Company.objects.get()
    assert Path(company.logo.name).suffix == ".png", "named by what it is, not by what it was called"
    logo = client.get(reverse("settings_admin:company_logo", args=[company.pk]))
    assert logo.status_code == 200
    assert logo["Content-Type"] == "image/png"
    assert logo["X-Content-Type-Options"] == "nosniff"
    assert b"".join(logo.streaming_content) == image("PNG")
    assert reverse("settings_admin:company_logo", args=[company.pk]) in client.get(LIST).text
    assert client_as(manager).get(reverse("settings_admin:company_logo", args=[company.pk])).status_code == 403

    jpeg = client.post(edit_url(company), {**details("Logo Co", make_default="on"), "logo": upload(image("JPEG"))})
    assert jpeg.status_code == 302
    company.refresh_from_db()
    assert Path(company.logo.name).suffix == ".jpg"
    assert client.get(reverse("settings_admin:company_logo", args=[company.pk]))["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (image("GIF"), "logo.gif", "The logo must be a PNG or JPEG image, not GIF."),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "this file is not one, or is damaged"),
        (image("PNG")[:60], "logo.png", "this file is not one, or is damaged"),
        (image("PNG", size=(4001, 10)), "logo.png", "it can be at most 4,000 pixels wide and high"),
        (image("PNG") + b"\0" * (1024 * 1024), "logo.png", "a logo can be at most 1.0"),
    ],
    ids=["gif", "svg", "truncated", "too-wide", "too-large"],
)
def test_a_bad_logo_is_refused_with_a_message_and_nothing_is_saved(client_as, admin, content, name, message):
    response = client_as(admin).post(ADD, {**details("Bad Logo Co"), "logo": upload(content, name=name)})

    assert response.status_code == 422
    assert message in response.text
    assert "Please correct the errors below; nothing was saved." in response.text
    assert not Company.objects.exists()


def test_a_replaced_or_cleared_logo_leaves_no_file_behind(client_as, admin, django_capture_on_commit_callbacks):
    client = client_as(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ADD, {**details("Logo Co"), "logo": upload(image("PNG"))})
    company = Company.objects.get()
    first = company.logo.name
    assert default_storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(company), {**details("Logo Co", make_default="on"), "logo": upload(image("JPEG"))})
    company.refresh_from_db()
    second = company.logo.name
    assert not default_storage.exists(first) and default_storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(edit_url(company), {**details("Logo Co", make_default="on"), "logo-clear": "on"})
    company.refresh_from_db()
    assert not company.logo and not default_storage.exists(second)
    assert client.get(reverse("settings_admin:company_logo", args=[company.pk])).status_code == 404


def test_a_deleted_company_takes_its_logo_along(client_as, admin, django_capture_on_commit_callbacks):
    client = client_as(admin)
    client.post(ADD, {**details("Logo Co"), "logo": upload(image("PNG"))})
    name = Company.objects.get().logo.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("settings_admin:company_delete", args=[Company.objects.get().pk]))

    assert not default_storage.exists(name)


def test_bad_details_are_refused_per_field(client_as, admin):
    response = client_as(admin).post(ADD, details("", phone="call me", website="not a site"))

    assert response.status_code == 422
    form = response.context["form"]
    assert set(form.errors) == {"name", "phone", "website"}
    assert not Company.objects.exists()
