"""Settings > Audit Trail: the filters above the list."""

import datetime

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from secondcrm.access.audit import ACTIONS
from secondcrm.access.models import User
from secondcrm.records.registry import registry

# Days outside this range name no audit entry, and would overflow the time zone arithmetic.
EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(9998, 12, 31)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        full_name = user.get_full_name()
        return f"{full_name} ({user.username})" if full_name else user.username


class AuditFilterForm(forms.Form):
    """Who, which module, which action, between which days (in the viewer's time zone), which record."""

    user = UserChoiceField(User.objects.order_by("username"), required=False, empty_label="All users")
    module = forms.ChoiceField(required=False)
    action = forms.ChoiceField(required=False, choices=[("", "All actions"), *((a, a) for a in ACTIONS)])
    date_from = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    record_id = forms.IntegerField(label="Record ID", required=False, min_value=1, max_value=2**63 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Modules register when the apps are ready, after this module is imported.
        self.fields["module"].choices = [("", "All modules"), *((m.name, m.label) for m in registry)]
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # marked for sight and for screen readers
                attrs = self.fields[name].widget.attrs
                attrs.update({"class": f"{attrs['class']} is-invalid", "aria-invalid": "true"})

    def clean(self):
        cleaned = super().clean()
        for name in ("date_from", "date_to"):
            day = cleaned.get(name)
            if day and not EARLIEST <= day <= LATEST:
                self.add_error(name, f"Enter a date between {EARLIEST:%Y} and {LATEST:%Y}.")
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date must not be before the start date.")
        return cleaned

    def filter(self, entries: QuerySet) -> QuerySet:
        """``entries`` narrowed to the valid form's filters; the dates as ranges, so that the index on the
        time serves them."""
        data = self.cleaned_data
        if data.get("user"):
            entries = entries.filter(user=data["user"])
        if data.get("module"):
            entries = entries.filter(module=data["module"])
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("record_id"):
            entries = entries.filter(record_id=data["record_id"])
        if data.get("date_from"):
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_start_of(data["date_to"] + datetime.timedelta(days=1)))
        return entries


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight of ``day`` in the viewer's time zone (the one the list shows times in)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
