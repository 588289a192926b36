"""The top menu, built from the registry on every page."""

from .registry import registry


def menu(request) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "menu_groups": registry.menu(),
        "quick_create_modules": [m for m in registry if m.quick_create],
    }
