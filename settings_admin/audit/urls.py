"""Settings > Audit Trail: URLs (names live in the "settings_admin" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.AuditTrailView.as_view(), name="audit_trail"),
]
