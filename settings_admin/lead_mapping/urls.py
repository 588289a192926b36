"""Settings > Lead Conversion Mapping: URLs (names live in the "settings_admin" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.LeadMappingView.as_view(), name="lead_mapping"),
]
