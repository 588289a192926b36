"""Settings > Sharing Access, Field Access and the access explainer."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.SharingAccessView.as_view(), name="sharing"),
    path("rules/add/", views.SharingRuleFormView.as_view(), name="sharing_rule_add"),
    path("rules/<int:pk>/edit/", views.SharingRuleFormView.as_view(), name="sharing_rule_edit"),
    path("rules/<int:pk>/delete/", views.SharingRuleDeleteView.as_view(), name="sharing_rule_delete"),
    path("fields/", views.FieldAccessView.as_view(), name="field_access"),
    path("explain/", views.ExplainView.as_view(), name="explain"),
]
