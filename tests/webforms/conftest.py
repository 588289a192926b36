"""Fixtures of the web-to-lead tests: a web form ready to post to, and background tasks run in place."""

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.urls import reverse

from secondcrm.celery import app
from webforms.models import WebForm


def make_web_form(owner, **fields) -> WebForm:
    """A web form asking for first name, last name, company, email (required) and description."""
    defaults = {
        "name": "Contact us",
        "fields": [
            {"name": "first_name", "required": False},
            {"name": "last_name", "required": True},
            {"name": "company", "required": True},
            {"name": "email", "required": True},
            {"name": "description", "required": False},
        ],
        "thank_you_url": "https://www.example.com/thanks",
    }
    owner_field = "owner_user" if hasattr(owner, "username") else "owner_group"
    return WebForm.objects.create(**{owner_field: owner, **defaults, **fields})


@pytest.fixture
def web_form(staff) -> WebForm:
    return make_web_form(staff)


@pytest.fixture
def visitor() -> Client:
    """A browser on the company's web site: no session, and CSRF checked as for any other post."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def post_lead(visitor) -> Callable[..., object]:
    """``post_lead(web_form, **data)``: a visitor's post of the form; the defaults fill its fields."""

    def send(web_form: WebForm, *, headers=None, **data):
        values = {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "company": "Analytical Engines",
            "email": "ada@ae.example",
        }
        values.update(data)
        values = {name: value for name, value in values.items() if value is not None}
        return visitor.post(reverse("webforms:submit", kwargs={"key": web_form.key}), values, headers=headers or {})

    return send


@pytest.fixture
def eager_tasks() -> Iterator[None]:
    """Run tasks dispatched with ``.delay()`` in place, as a worker would, with their errors raised."""
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before
