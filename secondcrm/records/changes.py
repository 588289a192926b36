"""Who is acting: set once per request (or per task) so that every save knows its author.

A context variable, not a thread local, so it is also correct under ASGI."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest

_actor: ContextVar = ContextVar("secondcrm_actor", default=None)


def current_actor():
    """The user on whose behalf records are being written, or None for the system."""
    return _actor.get()


@contextmanager
def acting_as(user) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


class ChangeContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        user = request.user if request.user.is_authenticated else None
        with acting_as(user):
            return self.get_response(request)
