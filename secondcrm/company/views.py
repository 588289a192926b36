"""Settings > Company Details (admins only): the companies, add and edit one (with its logo), make one the
default, delete one. The logo is shown through ``CompanyLogoView``, which checks the admin right first: logos
are never served as public media."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import ListView, TemplateView

from settings_admin.mixins import AdminRequiredMixin

from .forms import CompanyForm
from .logos import logo_content_type
from .models import Company
from .services import DefaultCompanyRequired, company_delete, company_make_default, company_save

LIST = "settings_admin:company_list"


class CompanyListView(AdminRequiredMixin, ListView):
    model = Company
    template_name = "company/list.html"
    context_object_name = "companies"


class CompanyMixin(AdminRequiredMixin):
    """The company named in the URL, loaded after the admin check, so others learn nothing."""

    @cached_property
    def company(self) -> Company:
        return get_object_or_404(Company, pk=self.kwargs["pk"])


class CompanyFormView(CompanyMixin, TemplateView):
    """Add (``mode="add"``) or edit a company; 422 with the form's errors when it does not validate."""

    template_name = "company/form.html"
    mode = "add"

    def form(self, data=None, files=None) -> CompanyForm:
        return CompanyForm(data, files, instance=self.company if self.mode == "edit" else Company())

    def get(self, request, *args, **kwargs):
        return self.render(self.form())

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=422)
        company = company_save(form=form, acting_user=request.user)
        messages.success(request, f"Company details of {company.name} saved.")
        return redirect(LIST)

    def render(self, form: CompanyForm, status: int = 200):
        title = "Edit Company Details" if self.mode == "edit" else "New Company Details"
        company = self.company if self.mode == "edit" else None
        return self.render_to_response(self.get_context_data(form=form, title=title, company=company), status=status)


class CompanyDefaultView(CompanyMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        company_make_default(company=self.company, acting_user=request.user)
        messages.success(request, f"{self.company.name} is now the default company.")
        return redirect(LIST)


class CompanyDeleteView(CompanyMixin, TemplateView):
    """Confirm, then delete; the default company is refused while other companies exist."""

    template_name = "company/delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(company=self.company, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            company_delete(company=self.company, acting_user=request.user)
        except DefaultCompanyRequired as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"Company {self.company.name} deleted.")
        return redirect(LIST)


class CompanyLogoView(CompanyMixin, View):
    """The company's logo, for the settings pages. Only PNG and JPEG are ever stored (see ``logos``), and the
    type is set from that, never sniffed."""

    def get(self, request, *args, **kwargs):
        logo = self.company.logo
        if not logo:
            raise Http404("This company has no logo.")
        try:
            handle = logo.open("rb")
        except FileNotFoundError as missing:
            raise Http404("The logo file is missing from storage.") from missing
        response = FileResponse(handle, content_type=logo_content_type(logo))
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, max-age=0, must-revalidate"
        return response
