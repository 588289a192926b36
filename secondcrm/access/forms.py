from django import forms

from .models import User, time_zone_choices


class PreferencesForm(forms.ModelForm):
    """My Preferences: name, email, currency, time zone and mail signature."""

    time_zone = forms.ChoiceField(choices=time_zone_choices)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "currency", "time_zone", "signature"]
        widgets = {"signature": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].required = True
        self.fields["email"].required = True
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
