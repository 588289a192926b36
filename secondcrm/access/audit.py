"""The Audit Trail's recorder: which requests become an ``AuditEntry``, and with which action, module and record.

Every request of a signed-in user that resolves to a URL name is one row, written after the response so that
its status is known: refused (403) and not-found (404) attempts are recorded like successes. Everything is
decided by the URL name (``namespace:name``) and the method, never by the path, so that moving a URL does not
change what is recorded:

- ``SKIPPED`` names are never recorded (health checks, the reference picker's JSON, sign-in and sign-out, which
  Login History records);
- ``FRAGMENT_GETS`` names are not recorded for htmx GETs that only load part of a page already recorded (a tab
  reloading itself, an inline editor or its Cancel, the Quick Create dialog);
- ``ROUTES`` gives the action of each known name and method, in the manual's verbs;
- names added later fall back on ``KEYWORDS`` (an "export" URL is an Export), then on View for reads and
  Change (Settings change under Settings) for writes.

The module and record come from the resolved URL: the ``module`` kwarg is the registry's Module (see
``secondcrm/records/urls.py``) and ``pk`` the record id. A create has its record id from where it redirects.

Cost: one INSERT per request, plus one primary-key SELECT for the record's label when the page's own context
does not hold the record (a redirect after a save, a refused attempt).
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.text import Truncator

from secondcrm.records.registry import Module, registry

from .models import AuditEntry
from .requests import client_ip

SKIPPED = frozenset({"healthz", "login", "logout", "records:picker"})
FRAGMENT_GETS = frozenset(
    {"records:detail", "records:inline_edit", "records:quick_create", "imports:progress"}  # polled every second
)

VIEW, CHANGE, SETTINGS_CHANGE = "View", "Change", "Settings change"
OPEN_CREATE_FORM = "Open create form"
CREATE, DELETE, RESTORE, PURGE = "Create", "Delete", "Restore", "Purge"

# URL name → {method → action}. A method missing here falls back like an unknown name.
ROUTES: dict[str, dict[str, str]] = {
    "records:list": {"GET": "View list"},
    "records:detail": {"GET": VIEW},
    "records:hierarchy": {"GET": "View hierarchy"},
    "records:tagged": {"GET": "View tagged"},
    "records:add": {"GET": OPEN_CREATE_FORM, "POST": CREATE},
    "records:duplicate": {"GET": OPEN_CREATE_FORM, "POST": CREATE},
    "records:quick_create": {"GET": OPEN_CREATE_FORM, "POST": CREATE},
    "records:edit": {"GET": "Open edit form", "POST": "Edit"},
    "records:inline_edit": {"GET": "Open edit form", "POST": "Inline edit"},
    "records:delete": {"GET": "Open delete confirmation", "POST": DELETE},
    "records:mass_delete": {"POST": "Mass delete"},
    "records:comment_add": {"POST": "Comment"},
    "records:tags": {"POST": "Tag"},
    "records:share": {"GET": "View shares", "POST": "Share"},
    "documents:download": {"GET": "Download"},
    "documents:folders": {"POST": "Edit folders"},
    "preferences": {"POST": "Edit preferences"},
    "password_change": {"POST": "Change password"},
}
# Settings > Recycle Bin posts its action in the form: restore or purge the selected records.
RECYCLE_BIN = "settings_admin:recycle_bin"
RECYCLE_BIN_ACTIONS = {"restore": RESTORE, "purge": PURGE}
# For URL names without a ROUTES entry: the first keyword found in the name (after the namespace) decides.
KEYWORDS = (
    ("export", "Export"),
    ("import", "Import"),
    ("mass_edit", "Mass edit"),
    ("merge", "Merge"),
    ("convert", "Convert"),
    ("restore", RESTORE),
    ("purge", PURGE),
)
# Every action a row can carry, for the page's filter.
ACTIONS: tuple[str, ...] = tuple(
    sorted(
        {action for methods in ROUTES.values() for action in methods.values()}
        | set(RECYCLE_BIN_ACTIONS.values())
        | {action for _, action in KEYWORDS}
        | {VIEW, CHANGE, SETTINGS_CHANGE}
    )
)

# Names whose POST is about the record it creates: its id comes from the redirect to its detail view (a
# duplicate's GET is about the record it copies, the one in its URL).
CREATING = frozenset({"records:add", "records:duplicate", "records:quick_create"})
# Names that act on the records selected in the posted form ("selection"), all of one module.
SELECTING = frozenset({"records:mass_delete", "records:mass_edit", RECYCLE_BIN})
# A module for names whose URL has a record id but no module kwarg.
FIXED_MODULES = {"documents:download": "documents"}
# Actions after which the record is gone for good: its label is read before the view runs.
REMOVING = frozenset({PURGE})
LABELLED = 10  # a label names at most this many selected records, then "and N more"
MAX_ID = 2**63 - 1  # the URL's <int:pk> takes any digits; larger ids name no record and fit no column


def enabled() -> bool:
    return getattr(settings, "AUDIT_TRAIL_ENABLED", True)


def url_name(request: HttpRequest) -> str | None:
    """``namespace:name`` of the resolved URL; None for a request that matched no URL or an unnamed one."""
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None and match.url_name else None


def is_recorded(request: HttpRequest) -> bool:
    name = url_name(request)
    user = getattr(request, "user", None)
    if name is None or user is None or not user.is_authenticated or name in SKIPPED:
        return False
    if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
        return False
    htmx = getattr(request, "htmx", None)
    return not (request.method == "GET" and name in FRAGMENT_GETS and htmx and not htmx.boosted)


def action_for(request: HttpRequest) -> str:
    """The manual's verb for this request (see ``ROUTES``, ``KEYWORDS``)."""
    name = url_name(request) or ""
    method = "GET" if request.method == "HEAD" else request.method
    if name == RECYCLE_BIN and method == "POST":
        return RECYCLE_BIN_ACTIONS.get(request.POST.get("action", ""), SETTINGS_CHANGE)
    if action := ROUTES.get(name, {}).get(method):
        return action
    short_name = name.rpartition(":")[2]
    for keyword, action in KEYWORDS:
        if keyword in short_name:
            return action
    if method == "GET":
        return VIEW
    return SETTINGS_CHANGE if name.startswith("settings_admin:") else CHANGE


def module_for(request: HttpRequest) -> Module | None:
    name = url_name(request) or ""
    module = request.resolver_match.kwargs.get("module")
    if isinstance(module, Module):
        return module
    module_name = FIXED_MODULES.get(name)
    if name == RECYCLE_BIN:
        module_name = request.POST.get("module") or request.GET.get("module")
    return registry.get(module_name) if module_name and module_name in registry else None


def record_ids_for(request: HttpRequest, response: HttpResponse | None = None) -> list[int]:
    """The records the request is about: the posted selection, the record just created, or the URL's ``pk``."""
    name = url_name(request)
    if name in SELECTING and request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("selection") if pk.isdigit()]
    elif name in CREATING and request.method == "POST":
        ids = _created_id(response) if response is not None else []
    else:
        pk = request.resolver_match.kwargs.get("pk")
        ids = [pk] if isinstance(pk, int) else []
    return [pk for pk in ids if 0 < pk <= MAX_ID]


def _created_id(response: HttpResponse) -> list[int]:
    """The id in the redirect to the created record's detail view (HX-Redirect for the Quick Create dialog)."""
    location = response.get("HX-Redirect") or (response.get("Location") if 300 <= response.status_code < 400 else "")
    if not location:
        return []
    try:
        match = resolve(urlsplit(location).path)
    except Resolver404:
        return []
    return [match.kwargs["pk"]] if match.view_name == "records:detail" else []


def label_for(module: Module, ids: list[int], response: HttpResponse | None = None) -> str:
    """The record's name as the user saw it; several selected records are named up to ``LABELLED``."""
    if not ids:
        return ""
    record = (getattr(response, "context_data", None) or {}).get("record")
    if len(ids) == 1 and isinstance(record, module.model) and record.pk == ids[0]:
        names = [str(record)]
    else:
        names = [str(r) for r in module.model.all_objects.filter(pk__in=ids[:LABELLED]).order_by("pk")]
    if len(ids) > LABELLED:
        names.append(f"and {len(ids) - LABELLED} more")
    return Truncator(", ".join(names)).chars(AuditEntry._meta.get_field("record_label").max_length)


def _valid_ip(request: HttpRequest) -> str | None:
    """The client address if it is one: X-Forwarded-For is whatever the proxy passed on."""
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address)) if address else None
    except ValueError:
        return None


def before_view(request: HttpRequest) -> None:
    """Reads the label of records the view is about to remove for good, while they still exist."""
    if not enabled() or not is_recorded(request) or action_for(request) not in REMOVING:
        return
    module = module_for(request)
    if module is not None:
        request._audit_label = label_for(module, record_ids_for(request))


def record_request(request: HttpRequest, response: HttpResponse) -> AuditEntry | None:
    """Writes the request's row, or nothing for requests the Audit Trail leaves out (see the module's doc)."""
    if not enabled() or not is_recorded(request):
        return None
    module = module_for(request)
    ids = record_ids_for(request, response) if module is not None else []
    label = getattr(request, "_audit_label", None)
    if label is None and module is not None:
        label = label_for(module, ids, response)
    user = request.user
    return AuditEntry.objects.create(
        user_id=user.pk,
        user_name=user.get_username()[:150],
        ip_address=_valid_ip(request),
        action=action_for(request),
        module=module.name if module is not None else "",
        record_id=ids[0] if len(ids) == 1 else None,
        record_label=label or "",
        path=request.get_full_path()[:500],
        method=request.method[:10],
        status_code=response.status_code,
    )
