"""The top menu, built from the registry on every page."""

from secondcrm.access.permissions import access_for

from .registry import registry


def menu(request) -> dict:
    """Only the modules the user's profiles let them view; Quick Create only those they may create in."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    access = access_for(request.user)
    return {
        "menu_groups": registry.menu(lambda module: access.can(module.name, "view")),
        "quick_create_modules": [m for m in registry if m.quick_create and access.can(m.name, "create")],
    }
