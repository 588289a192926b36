"""Health check of the web container: GET /healthz on the local gunicorn, as the TLS proxy would send it.

docker-compose.yml runs ``python /app/docker/healthcheck.py`` inside the web container; the optional
argument is the port (8000, the image's bind). It sends the Host of the first ALLOWED_HOSTS entry, since
Django answers 400 to a host it does not serve, and ``X-Forwarded-Proto: https``, since production
redirects plain http (SECURE_SSL_REDIRECT) and trusts that header from the proxy. It does not follow
redirects: a redirect would lead away from this container. Exit 0 means healthy, 1 unhealthy.
"""

import http.client
import os
import sys

# The same default as secondcrm.settings, so the probe matches the app when ALLOWED_HOSTS is unset.
DEFAULT_ALLOWED_HOSTS = "127.0.0.1,localhost"


def probe_host(allowed_hosts: str) -> str:
    """The host name to send: the first concrete ALLOWED_HOSTS entry (".example.com" serves example.com)."""
    for entry in allowed_hosts.split(","):
        entry = entry.strip().lstrip(".")
        if entry and entry != "*":
            return entry
    return "localhost"


def check(port: int, allowed_hosts: str) -> tuple[bool, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": probe_host(allowed_hosts), "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        body = response.read(64)
    except OSError as error:
        return False, f"no answer on port {port}: {error}"
    finally:
        connection.close()
    if response.status == 200 and body == b"ok":
        return True, "ok"
    return False, f"/healthz answered {response.status}: {body[:64]!r}"


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else 8000
    healthy, detail = check(port, os.environ.get("ALLOWED_HOSTS", DEFAULT_ALLOWED_HOSTS))
    print(detail, file=sys.stdout if healthy else sys.stderr)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
