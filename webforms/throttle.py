"""Rate limits of the public web form endpoint, counted in the shared cache (Redis in production).

Two fixed windows per form: posts from one client address, and posts from everyone. The first stops one
sender flooding the owner with leads; the second bounds a flood spread over many addresses (or spoofed
X-Forwarded-For hops where no proxy overwrites them). Every post counts, spam caught by the honeypot too.
If the cache is unreachable the post is let through: losing a real lead is worse than a little spam."""

import logging

from django.conf import settings
from django.core.cache import cache

from .models import WebForm

logger = logging.getLogger(__name__)

# Defaults; settings WEBFORM_RATE_LIMIT_PER_IP, WEBFORM_RATE_LIMIT_PER_FORM and WEBFORM_RATE_WINDOW override.
PER_IP = 10
PER_FORM = 300
WINDOW_SECONDS = 600


def window_seconds() -> int:
    return getattr(settings, "WEBFORM_RATE_WINDOW", WINDOW_SECONDS)


def _count(key: str, window: int) -> int:
    """One more post in ``key``'s window; the window starts with its first post."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the window ran out between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _address(ip: str | None) -> str:
    """A cache-safe form of the client address: X-Forwarded-For is whatever the sender wrote."""
    cleaned = "".join(c for c in (ip or "") if c in "0123456789abcdefABCDEF:.")[:45]
    return cleaned.lower() or "unknown"


def allow_post(web_form: WebForm, ip: str | None) -> bool:
    """Count a post to ``web_form`` from ``ip``; False once either limit of the window is passed."""
    window = window_seconds()
    per_ip = getattr(settings, "WEBFORM_RATE_LIMIT_PER_IP", PER_IP)
    per_form = getattr(settings, "WEBFORM_RATE_LIMIT_PER_FORM", PER_FORM)
    # The public key, not the id: a form deleted and created again starts afresh, and keys never repeat.
    prefix = f"webforms:rate:{web_form.key.hex}"
    try:
        from_ip = _count(f"{prefix}:ip:{_address(ip)}", window)
        from_all = _count(f"{prefix}:all", window)
    except Exception:  # the cache is down: let the post through, and say so
        logger.exception("Web form rate limit not counted: the cache is unavailable")
        return True
    return from_ip <= per_ip and from_all <= per_form
