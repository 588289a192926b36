"""The pages of an import once it exists: /imports/<pk>/... Step 1 is a module's page, /<module>/import/, in
secondcrm/records/urls.py (where the ``module`` converter lives)."""

from django.urls import path

from .views import jobs, wizard

app_name = "imports"
urlpatterns = [
    path("", jobs.JobListView.as_view(), name="list"),
    path("<int:pk>/", jobs.JobView.as_view(), name="job"),
    path("<int:pk>/mapping/", wizard.MappingView.as_view(), name="mapping"),
    path("<int:pk>/progress/", jobs.ProgressView.as_view(), name="progress"),
    path("<int:pk>/import-now/", jobs.ImportNowView.as_view(), name="import_now"),
    path("<int:pk>/undo/", jobs.UndoView.as_view(), name="undo"),
    path("<int:pk>/failed-rows/", jobs.FailedRowsView.as_view(), name="failed_rows"),
]
