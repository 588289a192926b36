"""Writes of Company Details, admins only. They keep one rule: as soon as any company exists, exactly one is
the default (the first company entered becomes it; making another the default takes over). A logo file that
was replaced or cleared is removed from storage once the change is committed."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .forms import CompanyForm
from .models import Company


class DefaultCompanyRequired(Exception):
    """The default company cannot go while other companies exist: one of them must be made the default."""


def _require_admin(acting_user) -> None:
    if acting_user is None or not acting_user.is_superuser:
        raise PermissionDenied("Only an admin may change Company Details.")


def _remove_file_on_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def company_save(*, form: CompanyForm, acting_user) -> Company:
    """Create or update the company of a validated ``CompanyForm``."""
    _require_admin(acting_user)
    with transaction.atomic():
        company = form.save(commit=False)
        other_defaults = Company.objects.filter(is_default=True).exclude(pk=company.pk)
        if form.cleaned_data["make_default"] or not other_defaults.exists():
            other_defaults.update(is_default=False)
            company.is_default = True
        previous_logo = Company.objects.filter(pk=company.pk).values_list("logo", flat=True).first()
        company.save()
        if previous_logo and previous_logo != company.logo.name:
            _remove_file_on_commit(company.logo.storage, previous_logo)
    return company


def company_make_default(*, company: Company, acting_user) -> None:
    """Make ``company`` the default instead of the current one."""
    _require_admin(acting_user)
    with transaction.atomic():
        Company.objects.filter(is_default=True).exclude(pk=company.pk).update(is_default=False)
        Company.objects.filter(pk=company.pk).update(is_default=True)
    company.is_default = True


def company_delete(*, company: Company, acting_user) -> None:
    """Delete ``company`` and its logo; the default company only when it is the last one."""
    _require_admin(acting_user)
    with transaction.atomic():
        if company.is_default and Company.objects.exclude(pk=company.pk).exists():
            raise DefaultCompanyRequired(
                f"{company} is the default company: make another company the default before deleting it."
            )
        company.delete()
        _remove_file_on_commit(company.logo.storage, company.logo.name)
