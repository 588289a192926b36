"""Sign-in, login history, My Preferences and password change (F-01)."""

from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from secondcrm.access.models import LoginHistory
from tests.factories import AccountFactory
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_signed_in_user(client):
    for url in ("/", "/accounts/", "/settings/", "/preferences/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/?next="), url
    assert client.get("/login/").status_code == 200
    assert client.get("/healthz").content == b"ok"


def test_sign_in_and_out_and_failures_are_in_login_history(staff):
    client = Client(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Test Browser")
    response = client.post("/login/", {"username": "staff", "password": "wrong"})
    assert "Your user name or password is not correct." in response.content.decode()
    assert client.post("/login/", {"username": "staff", "password": PASSWORD}).url == "/"
    client.post("/logout/")
    rows = list(LoginHistory.objects.order_by("at", "pk").values_list("user_name", "status", "ip_address"))
    assert rows == [
        ("staff", "failed", "203.0.113.7"),
        ("staff", "signed_in", "203.0.113.7"),
        ("staff", "signed_out", "203.0.113.7"),
    ]


def test_admin_reads_login_history_others_may_not(client_as, admin, staff):
    Client().post("/login/", {"username": "staff", "password": PASSWORD})
    page = client_as(admin).get(reverse("settings_admin:login_history"), {"user": "staf"})
    assert [row.user_name for row in page.context["page"]] == ["staff"]
    assert client_as(staff).get(reverse("settings_admin:login_history")).status_code == 403


def test_preferences_change_time_zone_and_signature(client_as, staff):
    client = client_as(staff)
    response = client.post(
        reverse("preferences"),
        {
            "first_name": "Sam",
            "last_name": "Staff",
            "email": "sam@example.com",
            "currency": "USD",
            "time_zone": "Europe/Berlin",
            "signature": "Regards, Sam",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.currency, staff.time_zone, staff.signature) == ("USD", "Europe/Berlin", "Regards, Sam")
    account = AccountFactory(assigned_user=staff)
    shown = formats.date_format(timezone.localtime(account.created_at, ZoneInfo("Europe/Berlin")), "DATETIME_FORMAT")
    assert f"Created {shown}" in client.get(account.get_absolute_url()).content.decode()


def test_preferences_reject_bad_input(client_as, staff):
    response = client_as(staff).post(
        reverse("preferences"),
        {
            "last_name": "",
            "email": "nope",
            "currency": "XXX",
            "time_zone": "Mars/Olympus",
        },
    )
    errors = response.context["form"].errors
    assert set(errors) == {"last_name", "email", "currency", "time_zone"}


def test_password_change(client_as, staff):
    client = client_as(staff)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("a-much-longer-secret-42")
    bad = client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "y"})
    assert set(bad.context["form"].errors) == {"old_password", "new_password2"}
