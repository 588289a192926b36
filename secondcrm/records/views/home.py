"""The home page: the tag cloud and the records most recently changed, all limited to what the user sees."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.views.generic import TemplateView
from taggit.models import TaggedItem

from ..registry import registry

RECENT = 10
CLOUD_SIZES = 5


def tag_cloud(user) -> list[dict]:
    """Tags with how many visible records carry them, and a size class 1..5 for the cloud."""
    counts: dict[tuple[str, str], int] = {}
    for module in registry:
        rows = (
            TaggedItem.objects.filter(
                content_type=ContentType.objects.get_for_model(module.model),
                object_id__in=module.model.objects.visible_to(user, "view").values("pk"),
            )
            .values_list("tag__name", "tag__slug")
            .annotate(n=Count("id"))
        )
        for name, slug, n in rows:
            counts[(name, slug)] = counts.get((name, slug), 0) + n
    if not counts:
        return []
    top = max(counts.values())
    return [
        {"name": name, "slug": slug, "count": n, "size": 1 + (CLOUD_SIZES - 1) * n // top}
        for (name, slug), n in sorted(counts.items(), key=lambda item: item[0][0].lower())
    ]


def recently_modified(user) -> list:
    records = []
    for module in registry:
        records += list(module.model.objects.visible_to(user, "view").order_by("-modified_at")[:RECENT])
    return sorted(records, key=lambda r: r.modified_at, reverse=True)[:RECENT]


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(tag_cloud=tag_cloud(user), recent=recently_modified(user), **kwargs)
