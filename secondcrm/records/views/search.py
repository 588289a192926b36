"""The global search page and the quick search under the top menu's search box.

``/search/?q=acme&modules=accounts&modules=contacts`` lists the matches grouped by module; with ``quick=1`` (the
search box asks this way as its user types) it answers the dropdown fragment with the first few matches."""

from django.views.generic import TemplateView

from ..search import MAX_LENGTH, MIN_LENGTH, clean_text, global_search, quick_search, searchable_modules

PER_MODULE = 10
QUICK_LIMIT = 5


class GlobalSearchView(TemplateView):
    """Search every module the user may view, or those ticked in the module chooser."""

    template_name = "generic/search.html"
    quick_template_name = "generic/htmx/quick_search.html"

    def get_template_names(self) -> list[str]:
        return [self.quick_template_name if self.quick else self.template_name]

    @property
    def quick(self) -> bool:
        return self.request.GET.get("quick") == "1"

    def problem(self, text: str) -> str:
        """Why ``text`` cannot be searched, or "" when it can."""
        if len(text) < MIN_LENGTH:
            return f"Type at least {MIN_LENGTH} characters to search."
        if len(text) > MAX_LENGTH:
            return f"Search for at most {MAX_LENGTH} characters."
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        text = clean_text(self.request.GET.get("q"))
        problem = self.problem(text)
        context.update(query=text, problem=problem)
        if self.quick:
            context["matches"] = [] if problem else quick_search(user, text, QUICK_LIMIT)
            return context
        available = searchable_modules(user)
        # Nothing ticked means every module, so a search from the top menu's box looks everywhere.
        chosen = [m.name for m in available if m.name in self.request.GET.getlist("modules")]
        context.update(
            modules=available,
            chosen=chosen or [m.name for m in available],
            results=[] if problem else global_search(user, text, chosen or None, PER_MODULE),
            per_module=PER_MODULE,
        )
        return context
