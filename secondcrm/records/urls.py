"""URLs of every registered module, from the registry: /<module>/, /<module>/add/, /<module>/<pk>/ ..."""

from django.urls import path, register_converter

from secondcrm.imports.views.wizard import UploadView as ImportUploadView

from .registry import Module, registry
from .views import attachments, delete, detail, edit, hierarchy, lists, picker, share
from .views.advanced_search import AdvancedSearchView
from .views.export import ExportView
from .views.mass_edit import MassEditView
from .views.merge import DuplicatesView, MergeView
from .views.saved_filters import SavedFilterDeleteView, SavedFilterFormView
from .views.search import GlobalSearchView


class ModuleConverter:
    """Matches only registered module names and hands the view the Module itself."""

    @property
    def regex(self) -> str:
        return "|".join(sorted((m.name for m in registry), key=len, reverse=True)) or "(?!)"

    def to_python(self, value: str) -> Module:
        return registry.get(value)

    def to_url(self, value) -> str:
        return value.name if isinstance(value, Module) else str(value)


register_converter(ModuleConverter, "module")

app_name = "records"
urlpatterns = [
    path("tags/<slug:slug>/", attachments.TaggedRecordsView.as_view(), name="tagged"),
    path("search/", GlobalSearchView.as_view(), name="search"),
    path("search/advanced/", AdvancedSearchView.as_view(), name="advanced_search"),
    path("<module:module>/", lists.RecordListView.as_view(), name="list"),
    path("<module:module>/add/", edit.RecordFormView.as_view(mode="add"), name="add"),
    path("<module:module>/quick-create/", edit.QuickCreateView.as_view(), name="quick_create"),
    path("<module:module>/picker/", picker.PickerView.as_view(), name="picker"),
    path("<module:module>/mass-delete/", lists.MassDeleteView.as_view(), name="mass_delete"),
    path("<module:module>/mass-edit/", MassEditView.as_view(), name="mass_edit"),
    path("<module:module>/duplicates/", DuplicatesView.as_view(), name="duplicates"),
    path("<module:module>/merge/", MergeView.as_view(), name="merge"),
    path("<module:module>/filters/add/", SavedFilterFormView.as_view(mode="add"), name="saved_filter_add"),
    path("<module:module>/filters/<int:pk>/edit/", SavedFilterFormView.as_view(mode="edit"), name="saved_filter_edit"),
    path("<module:module>/filters/<int:pk>/delete/", SavedFilterDeleteView.as_view(), name="saved_filter_delete"),
    path("<module:module>/export/", ExportView.as_view(), name="export"),
    path("<module:module>/import/", ImportUploadView.as_view(), name="import"),
    path("<module:module>/columns/", lists.ListColumnsView.as_view(), name="list_columns"),
    path("<module:module>/<int:pk>/", detail.RecordDetailView.as_view(), name="detail"),
    path("<module:module>/<int:pk>/edit/", edit.RecordFormView.as_view(mode="edit"), name="edit"),
    path("<module:module>/<int:pk>/duplicate/", edit.RecordFormView.as_view(mode="duplicate"), name="duplicate"),
    path("<module:module>/<int:pk>/delete/", delete.RecordDeleteView.as_view(), name="delete"),
    path("<module:module>/<int:pk>/hierarchy/", hierarchy.HierarchyView.as_view(), name="hierarchy"),
    path("<module:module>/<int:pk>/share/", share.RecordShareView.as_view(), name="share"),
    path("<module:module>/<int:pk>/field/<str:field>/", edit.InlineEditView.as_view(), name="inline_edit"),
    path("<module:module>/<int:pk>/comments/", attachments.CommentCreateView.as_view(), name="comment_add"),
    path("<module:module>/<int:pk>/tags/", attachments.TagsView.as_view(), name="tags"),
]
