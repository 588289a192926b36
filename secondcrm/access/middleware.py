"""Per-request middleware of the access app: each user sees times in their own time zone, and each of
their actions is written to the Audit Trail."""

import zoneinfo

from django.utils import timezone

from . import audit


class UserTimezoneMiddleware:
    """Activates the signed-in user's time zone for the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tz_name = getattr(request.user, "time_zone", None)
        try:
            timezone.activate(zoneinfo.ZoneInfo(tz_name) if tz_name else None)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class AuditTrailMiddleware:
    """Writes one Audit Trail row per request of a signed-in user, after the response so that refused and
    not-found attempts are recorded with their status. What is recorded, and how: ``secondcrm.access.audit``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        audit.record_request(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        audit.before_view(request)
        return None
