"""Facts about the person behind a request."""

from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client address. Behind a proxy the first X-Forwarded-For hop is the client; gunicorn in
    docker-compose sits behind one, and the proxy is trusted to overwrite the header."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded:
        return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None
