"""The owner hears of a web lead by email, sent once the lead is committed: through Django's test outbox, and
once through a real SMTP server on the production mail backend."""

import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core import mail
from django.test import override_settings

from leads.models import Lead
from tests.personas import make_user
from tests.webforms.conftest import make_web_form

pytestmark = pytest.mark.django_db


def test_the_owner_is_told_of_the_new_lead(post_lead, staff, eager_tasks, django_capture_on_commit_callbacks):
    web_form = make_web_form(staff, notify_owner=True)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post_lead(web_form, description="Call me").status_code == 303
    assert len(callbacks) == 1
    lead = Lead.objects.get()
    (message,) = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "New lead from the web form Contact us: Ada Lovelace (Analytical Engines)"
    assert "Email: ada@ae.example" in message.body
    assert "Description: Call me" in message.body
    assert f"http://testserver/leads/{lead.pk}/" in message.body


def test_nothing_is_sent_before_the_lead_is_committed(
    post_lead, staff, eager_tasks, django_capture_on_commit_callbacks
):
    web_form = make_web_form(staff, notify_owner=True)
    with django_capture_on_commit_callbacks(execute=False):
        post_lead(web_form)
        assert mail.outbox == []


def test_without_notification_no_mail_is_sent(post_lead, web_form, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post_lead(web_form)
    assert callbacks == [] and mail.outbox == []


def test_a_group_owner_means_its_members_with_an_address(
    post_lead, staff, manager, roles, eager_tasks, django_capture_on_commit_callbacks
):
    sales = Group.objects.create(name="Web Sales")
    silent = make_user("silent", roles["Staff"])
    silent.email = ""
    silent.save()
    gone = make_user("gone", roles["Staff"], is_active=False)
    sales.user_set.add(staff, manager, silent, gone)
    web_form = make_web_form(sales, notify_owner=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_lead(web_form)
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([staff.email, manager.email])


def test_a_name_with_a_line_break_cannot_add_mail_headers(
    post_lead, staff, eager_tasks, django_capture_on_commit_callbacks
):
    web_form = make_web_form(staff, notify_owner=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert post_lead(web_form, first_name="Eve\nBcc: victim@example.com").status_code == 303
    (message,) = mail.outbox
    assert "\n" not in message.subject
    assert message.bcc == []


def test_the_spam_robot_gets_no_one_a_mail(post_lead, staff, eager_tasks, django_capture_on_commit_callbacks):
    web_form = make_web_form(staff, notify_owner=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_lead(web_form, website_url_confirm="buy now")
    assert mail.outbox == []


class Inbox:
    """An aiosmtpd handler keeping what it receives."""

    def __init__(self):
        self.messages = []
        self.received = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        self.received.set()
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_notification_reaches_a_real_smtp_server(post_lead, staff, eager_tasks, django_capture_on_commit_callbacks):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        smtp = {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "DEFAULT_FROM_EMAIL": "crm@example.com",
        }
        web_form = make_web_form(staff, notify_owner=True)
        with override_settings(**smtp), django_capture_on_commit_callbacks(execute=True):
            assert post_lead(web_form, last_name="Hamilton", company="MIT").status_code == 303
        assert inbox.received.wait(timeout=10)
    finally:
        controller.stop()
    (envelope,) = inbox.messages
    assert envelope.mail_from == "crm@example.com"
    assert envelope.rcpt_tos == [staff.email]
    text = envelope.content.decode()
    assert "Subject: New lead from the web form Contact us: Ada Hamilton (MIT)" in text
    assert "Company: MIT" in text
