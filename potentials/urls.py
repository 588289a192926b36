"""The Potentials pages the record platform does not give: the pipeline board and contact roles. Mounted
under "sales/", which no module's generic "<module>/" URLs can take."""

from django.urls import path

from . import views

app_name = "potentials"
urlpatterns = [
    path("pipeline/", views.PipelineView.as_view(), name="pipeline"),
    path("pipeline/move/", views.PipelineMoveView.as_view(), name="pipeline_move"),
    path("potentials/<int:pk>/contact-roles/", views.ContactRoleAddView.as_view(), name="contact_role_add"),
    path("contact-roles/<int:pk>/remove/", views.ContactRoleRemoveView.as_view(), name="contact_role_remove"),
]
