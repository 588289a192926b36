from leads.models import Lead
from tests.record_suite import RecordSuite


class TestLeads(RecordSuite):
    model = Lead
