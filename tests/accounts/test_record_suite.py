from accounts.models import Account, Contact
from secondcrm.documents.models import Document
from tests.record_suite import RecordSuite


class TestAccounts(RecordSuite):
    model = Account


class TestContacts(RecordSuite):
    model = Contact


class TestDocuments(RecordSuite):
    model = Document
