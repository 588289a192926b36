"""Comments and tags on any record (htmx partials on the detail view)."""

from django.shortcuts import get_object_or_404, render
from django.views.generic import TemplateView
from taggit.models import Tag
from taggit.utils import parse_tags

from ..registry import registry
from ..services import comment_add, tags_set
from .base import ModuleMixin

MAX_TAG_LENGTH = 50


class CommentCreateView(ModuleMixin):
    """Add a comment; answers with the refreshed comment list."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        record = self.get_record("view")
        body = request.POST.get("body", "").strip()
        error = ""
        if not body:
            error = "Write a comment first."
        elif len(body) > 5000:
            error = "A comment can be at most 5,000 characters."
        else:
            comment_add(record=record, body=body, acting_user=request.user)
        return render(
            request,
            "generic/htmx/comments.html",
            {
                "record": record,
                "comments": record.comments.select_related("author"),
                "error": error,
                "draft": body if error else "",
            },
            status=200 if not error else 422,
        )


class TagsView(ModuleMixin):
    """Add tags (comma separated) or remove one; answers with the refreshed tag bar."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        record = self.get_record("edit")
        add = parse_tags(request.POST.get("add", ""))
        error = ""
        if any(len(name) > MAX_TAG_LENGTH for name in add):
            error, add = f"A tag can be at most {MAX_TAG_LENGTH} characters.", []
        tags_set(record=record, add=add, remove=request.POST.getlist("remove"), acting_user=request.user)
        response = render(
            request,
            "generic/htmx/tags.html",
            {
                "record": record,
                "module": self.module,
                "tags": sorted(record.tags.names(), key=str.lower),
                "can_edit": True,
                "tag_error": error,
            },
        )
        response["HX-Trigger"] = "recordChanged"
        return response


class TaggedRecordsView(TemplateView):
    """Every record with a tag, across the modules, limited to what the user may see."""

    template_name = "generic/tagged.html"

    def get_context_data(self, **kwargs):
        tag = get_object_or_404(Tag, slug=kwargs["slug"])
        groups = []
        for module in registry:
            records = module.model.objects.visible_to(self.request.user, "view").filter(tags=tag)
            records = list(records.order_by(module.title_field)[:200])
            if records:
                groups.append((module, records))
        return super().get_context_data(tag=tag, groups=groups, **kwargs)
