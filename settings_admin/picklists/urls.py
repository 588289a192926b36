"""Settings > Picklist Editor: URLs (names live in the "settings_admin" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.PicklistEditorView.as_view(), name="picklists"),
    path("add/", views.PicklistValueAddView.as_view(), name="picklist_value_add"),
    path("reorder/", views.PicklistReorderView.as_view(), name="picklist_reorder"),
    path("roles/", views.PicklistRolesView.as_view(), name="picklist_roles"),
    path("values/<int:pk>/rename/", views.PicklistValueRenameView.as_view(), name="picklist_value_rename"),
    path("values/<int:pk>/delete/", views.PicklistValueDeleteView.as_view(), name="picklist_value_delete"),
    path("values/<int:pk>/move/<str:direction>/", views.PicklistValueMoveView.as_view(), name="picklist_value_move"),
]
