"""Document downloads (access-checked) and the folder list."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from .models import Document, Folder


class DownloadView(View):
    """Serve a document only to a user who may see it; never inline, so an upload cannot run as a page."""

    def get(self, request, pk: int):
        document = get_object_or_404(Document.objects.visible_to(request.user, "view"), pk=pk)
        if document.location == Document.Location.EXTERNAL:
            return redirect(document.url)
        if not document.file:
            raise Http404("This document has no file.")
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The file of this document is missing from storage.") from missing
        response = FileResponse(handle, as_attachment=True, filename=document.file_name or document.file.name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class FolderForm(forms.ModelForm):
    class Meta:
        model = Folder
        fields = ["name", "description"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control", "placeholder": "Folder name"}),
            "description": forms.TextInput(attrs={"class": "form-control", "placeholder": "Description"}),
        }


class FolderListView(TemplateView):
    """Folders of the Content Library with their document counts; add a folder, delete an empty one."""

    template_name = "documents/folders.html"

    def get_context_data(self, **kwargs):
        folders = Folder.objects.annotate(n=Count("documents"))
        return super().get_context_data(folders=folders, form=kwargs.pop("form", FolderForm()), **kwargs)

    def post(self, request):
        if "delete" in request.POST:
            if not request.user.is_superuser:
                raise PermissionDenied("Only an admin can delete folders.")
            folder = get_object_or_404(Folder, pk=request.POST["delete"])
            if folder.documents.exists():
                messages.error(request, f"Folder {folder} still holds documents; move or delete them first.")
            else:
                folder.delete()
                messages.success(request, f"Folder {folder} deleted.")
            return redirect("documents:folders")
        form = FolderForm(request.POST)
        if form.is_valid():
            form.save()
            messages.success(request, f"Folder {form.instance} added.")
            return redirect("documents:folders")
        return self.render_to_response(self.get_context_data(form=form), status=422)
