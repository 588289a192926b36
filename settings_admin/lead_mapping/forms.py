"""Settings > Lead Conversion Mapping: one form per mapping row (a lead field and the account, contact and
potential fields it is copied into), and the formset that checks the rows together."""

from django import forms

from leads.mapping import MappableField, MappingRow, incompatibility, mappable_fields, target_module_names
from secondcrm.records.registry import registry

NOT_COPIED = ("", "— not copied —")


def _choices(fields: dict[str, MappableField], empty: tuple[str, str]) -> list[tuple[str, str]]:
    return [empty, *((f.name, f.choice_label) for f in fields.values())]


class MappingRowForm(forms.Form):
    """A row: the lead field, and for each target module the field that receives its value (or none)."""

    lead_field = forms.ChoiceField(label="Lead Field", required=False)

    def __init__(self, *args, fields: dict[str, dict[str, MappableField]], **kwargs):
        super().__init__(*args, **kwargs)
        self.mappable = fields
        self.fields["lead_field"].choices = _choices(fields["lead"], ("", "— choose a lead field —"))
        for key, module_name in target_module_names():
            label = f"{registry.get(module_name).singular} Field"
            self.fields[f"{key}_field"] = forms.ChoiceField(
                label=label, required=False, choices=_choices(fields[key], NOT_COPIED)
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def targets(self) -> list[tuple[str, str]]:
        """(key, chosen field) of the target modules this row copies into."""
        return [
            (key, self.cleaned_data.get(f"{key}_field", ""))
            for key, _ in target_module_names()
            if self.cleaned_data.get(f"{key}_field")
        ]

    def clean(self):
        cleaned = super().clean()
        lead_field = cleaned.get("lead_field")
        targets = self.targets()
        if not lead_field:
            if targets:
                self.add_error("lead_field", "Choose the lead field whose value is copied.")
            return cleaned
        if not targets and not self.errors:
            self.add_error("lead_field", "Choose at least one field to copy it into, or tick Remove.")
        source = self.mappable["lead"][lead_field]
        for key, name in targets:
            reason = incompatibility(source, self.mappable[key][name])
            if reason:
                self.add_error(f"{key}_field", reason)
        return cleaned

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("lead_field") and not self.targets()


class BaseMappingFormSet(forms.BaseFormSet):
    """The rows together: a target field takes its value from one lead field only."""

    def clean(self):
        if any(self.errors):
            return
        seen: dict[tuple[str, str], str] = {}
        for form in self.forms:
            if self.can_delete and self._should_delete_form(form):
                continue
            for key, name in form.targets():
                lead_label = form.mappable["lead"][form.cleaned_data["lead_field"]].label
                other = seen.get((key, name))
                if other is not None:
                    target = form.mappable[key][name].label
                    form.add_error(
                        f"{key}_field", f"{target} already takes the lead's {other}; a field takes one lead field."
                    )
                seen[(key, name)] = lead_label
        if any(self.errors):
            raise forms.ValidationError("Some rows cannot be saved; see the errors next to them.")

    def rows(self) -> list[MappingRow]:
        """The rows to store, in order: blank and removed rows left out."""
        kept = []
        for form in self.forms:
            if (self.can_delete and self._should_delete_form(form)) or form.is_blank:
                continue
            targets = dict(form.targets())
            kept.append(
                MappingRow(
                    form.cleaned_data["lead_field"],
                    targets.get("account", ""),
                    targets.get("contact", ""),
                    targets.get("potential", ""),
                )
            )
        return kept


MappingFormSet = forms.formset_factory(
    MappingRowForm, formset=BaseMappingFormSet, extra=3, can_delete=True, max_num=300, validate_max=True
)


def all_mappable_fields() -> dict[str, dict[str, MappableField]]:
    """The fields each row may name: "lead" and each installed target, custom fields included."""
    fields = {"lead": mappable_fields("leads")}
    for key, module_name in target_module_names():
        fields[key] = mappable_fields(module_name)
    return fields


def initial_rows(rows: list[MappingRow], fields: dict[str, dict[str, MappableField]]) -> tuple[list[dict], list]:
    """The stored rows as formset initial data, and the fields they name that no longer exist (a deleted
    custom field): those are left out of the form, so saving it removes them."""
    initial, missing = [], []
    for row in rows:
        if row.lead_field not in fields["lead"]:
            missing.append(f"Lead {row.lead_field}")
            continue
        values = {"lead_field": row.lead_field}
        for key, _ in target_module_names():
            name = row.target(key)
            if name and name not in fields[key]:
                missing.append(f"{key.title()} {name}")
            elif name:
                values[f"{key}_field"] = name
        initial.append(values)
    return initial, missing
