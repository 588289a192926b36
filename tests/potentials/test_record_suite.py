from potentials.models import Potential
from tests.record_suite import RecordSuite


class TestPotentials(RecordSuite):
    model = Potential
