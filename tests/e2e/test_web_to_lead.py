"""Web-to-lead in the browser: the admin creates a web form in Settings and copies its HTML; the company's web
site (served from another origin by a plain http.server) shows it; a visitor fills it in and lands on the
site's thank-you page; the lead is in the CRM, assigned to the form's owner."""

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import expect

from leads.models import Lead
from webforms.models import WebForm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args) -> None:
        pass


@pytest.fixture
def company_site(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The company's web site: the files of a folder on 127.0.0.1 and a port of its own, so another origin
    than the CRM's live server (localhost). Yields the folder and the site's address."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_visitor_of_the_company_site_becomes_a_lead_of_the_owner(sign_in, new_context, admin, staff, company_site):
    folder, site = company_site
    (folder / "thanks.html").write_text("<!doctype html><title>Thanks</title><h1>Thanks from Borealis</h1>")

    page = sign_in(admin)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Web Forms").click()
    expect(page.get_by_role("heading", name="Web Forms", level=1)).to_be_visible()
    page.get_by_role("link", name="Add Web Form").click()
    page.get_by_label("Form Name").fill("Contact Borealis")
    page.get_by_label("Assign Leads To").select_option(label=str(staff))
    page.get_by_label("Thank-you Page").fill(f"{site}/thanks.html")
    page.get_by_label("Allowed Web Sites").fill(site)
    # Last Name and Company are always asked: their boxes are ticked and cannot be unticked.
    expect(page.get_by_label("Ask for Last Name")).to_be_checked()
    expect(page.get_by_label("Ask for Last Name")).to_be_disabled()
    page.get_by_label("Ask for First Name").check()
    page.get_by_label("Ask for Email", exact=True).check()
    page.get_by_label("Email is required", exact=True).check()
    page.get_by_label("Ask for Description").check()
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("heading", name="HTML of Web Form Contact Borealis")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Web form Contact Borealis created.")
    snippet = page.get_by_label("HTML snippet").input_value()
    (folder / "contact.html").write_text(
        f"<!doctype html><html lang='en'><title>Contact</title><h1>Contact Borealis</h1>\n{snippet}\n</html>"
    )

    visitor = new_context().new_page()  # nobody signed in: a visitor of the company's site
    visitor.goto(f"{site}/contact.html")
    expect(visitor.get_by_role("heading", name="Contact Borealis")).to_be_visible()
    # The honeypot is there for robots, out of a person's sight.
    expect(visitor.get_by_label("Leave this field empty")).not_to_be_in_viewport()
    visitor.get_by_label("First Name").fill("Mei Ling")
    visitor.get_by_label("Last Name").fill("Tan")
    visitor.get_by_label("Company").fill("Tan Logistics")
    visitor.get_by_label("Email").fill("meiling@tanlogistics.example")
    visitor.get_by_label("Description").fill("We need 25 seats from March.")
    visitor.get_by_role("button", name="Send").click()

    expect(visitor).to_have_url(f"{site}/thanks.html")
    expect(visitor.get_by_role("heading", name="Thanks from Borealis")).to_be_visible()
    lead = Lead.objects.get(last_name="Tan")
    assert (lead.first_name, lead.company, lead.email) == ("Mei Ling", "Tan Logistics", "meiling@tanlogistics.example")
    assert lead.description == "We need 25 seats from March."
    assert lead.assigned_user == staff
    assert lead.lead_source == "Web Site"
    assert WebForm.objects.get(name="Contact Borealis").lead_count == 1

    # The owner finds it in Leads.
    owner = sign_in(staff, on=new_context().new_page())
    owner.goto(lead.get_absolute_url())
    expect(owner.get_by_role("heading", name="Tan", level=1)).to_be_visible()
