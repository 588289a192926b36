from django.db import models

from secondcrm.records.fields import PhoneField, WebsiteField


class CompanyQuerySet(models.QuerySet):
    def default(self) -> "Company | None":
        """The default company, or None before any company is entered."""
        return self.filter(is_default=True).first()


class Company(models.Model):
    """A company the organization sends documents as (the manual's Company Details). Several may exist, for
    example one per country; exactly one of them is the default, used by any document that names none.
    ``secondcrm.company.services`` keeps that rule; the database refuses a second default."""

    name = models.CharField("Company Name", max_length=200)
    address = models.TextField("Address", blank=True)
    city = models.CharField("City", max_length=100, blank=True)
    state = models.CharField("State", max_length=100, blank=True)
    postal_code = models.CharField("Postal Code", max_length=30, blank=True)
    country = models.CharField("Country", max_length=100, blank=True)
    phone = PhoneField("Phone")
    fax = PhoneField("Fax")
    website = WebsiteField("Website", max_length=300, blank=True)
    vat_id = models.CharField("VAT / Tax ID", max_length=50, blank=True)
    # Checked by secondcrm.company.logos (PNG or JPEG, size, dimensions) and never served as public media.
    logo = models.ImageField("Logo", upload_to="company/logos/", blank=True, max_length=255)
    is_default = models.BooleanField("Default Company", default=False)

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name", "pk"]
        verbose_name = "company"
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="company_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def address_lines(self) -> list[str]:
        """The postal address as printed under the company's name: street lines, then city, state and code."""
        town = " ".join(part for part in (self.city, self.state, self.postal_code) if part)
        return [line for line in (*self.address.splitlines(), town, self.country) if line.strip()]
