"""The reference picker: a select that renders only the chosen record and finds others as you type."""

from django import forms
from django.urls import reverse


class RecordPicker(forms.Select):
    """Rendering every visible account into a <select> would cost seconds at scale; this widget renders the
    selected record only, and the browser (Tom Select) asks ``records:picker`` for matches while typing."""

    def __init__(self, *, module, exclude_pk=None, attrs=None):
        super().__init__(attrs)
        self.module = module
        self.exclude_pk = exclude_pk

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker-url"] = reverse("records:picker", kwargs={"module": self.module.name})
        if self.exclude_pk:
            widget_attrs["data-picker-exclude"] = str(self.exclude_pk)
        return context

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if str(v).isdigit()]
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        if chosen:
            for index, record in enumerate(self.choices.queryset.filter(pk__in=chosen), start=1):
                options.append(self.create_option(name, str(record.pk), str(record), True, index))
        return [(None, options, 0)]
