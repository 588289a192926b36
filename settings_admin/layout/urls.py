"""Settings > Layout Editor: URLs (names live in the "settings_admin" namespace). ``<module:module>`` matches only
registered modules; ``<slug:field>`` is a field's name (``cf_...`` for custom fields). Blocks are named by title
in the query string or the posted form, since a title may hold any character."""

from django.urls import path

# Imported for its side effect: it registers the "module" path converter, and the Settings URLs load first.
from secondcrm.records.urls import ModuleConverter  # noqa: F401

from . import views

urlpatterns = [
    path("", views.LayoutIndexView.as_view(), name="layout"),
    path("<module:module>/", views.ModuleLayoutView.as_view(), name="layout_module"),
    path("<module:module>/arrange/", views.LayoutArrangeView.as_view(), name="layout_arrange"),
    path("<module:module>/blocks/add/", views.BlockAddView.as_view(), name="layout_block_add"),
    path("<module:module>/blocks/rename/", views.BlockRenameView.as_view(), name="layout_block_rename"),
    path("<module:module>/blocks/delete/", views.BlockDeleteView.as_view(), name="layout_block_delete"),
    path("<module:module>/blocks/move/", views.BlockMoveView.as_view(), name="layout_block_move"),
    path("<module:module>/fields/add/", views.FieldAddView.as_view(), name="layout_field_add"),
    path("<module:module>/fields/<slug:field>/edit/", views.FieldEditView.as_view(), name="layout_field_edit"),
    path("<module:module>/fields/<slug:field>/delete/", views.FieldDeleteView.as_view(), name="layout_field_delete"),
    path("<module:module>/fields/<slug:field>/restore/", views.FieldRestoreView.as_view(), name="layout_field_restore"),
    path("<module:module>/fields/<slug:field>/purge/", views.FieldPurgeView.as_view(), name="layout_field_purge"),
    path(
        "<module:module>/fields/<slug:field>/visibility/",
        views.FieldVisibilityView.as_view(),
        name="layout_field_visibility",
    ),
    path("<module:module>/fields/<slug:field>/move/", views.FieldMoveView.as_view(), name="layout_field_move"),
]
