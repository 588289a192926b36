"""Share one record with a user or a group ("records shared to them" in the manual's Private sharing).

Whoever may edit a record may share it: the page lists its shares with a Remove button each and offers a
form to add one. Sharing again with a party already listed changes their access. The writes are the
services of ``secondcrm.access.shares``; this module only validates input and picks where to go next.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView

from secondcrm.access.models import User
from secondcrm.access.shares import ShareAccess, record_share, record_unshare, shares_of

from ..models import Record
from .base import ModuleMixin


def party_from(value: str) -> User | Group | None:
    """The user or group a "user:<id>" / "group:<id>" value names, or None if it names nothing."""
    kind, _, pk = (value or "").partition(":")
    if not pk.isdigit():
        return None
    model = {"user": User, "group": Group}.get(kind)
    return model.objects.filter(pk=int(pk)).first() if model else None


def party_kwargs(party: User | Group) -> dict:
    return {"group": party} if isinstance(party, Group) else {"user": party}


class ShareWithField(forms.ChoiceField):
    """Users and groups in one select ("user:<id>" / "group:<id>"), cleaned to the User or Group.
    Inactive users are not offered; one posted anyway is refused with an error that says why."""

    def __init__(self, **kwargs):
        super().__init__(label="Share With", **kwargs)

    def load_choices(self) -> None:
        users = [(f"user:{u.pk}", str(u)) for u in User.objects.filter(is_active=True).order_by("first_name", "pk")]
        groups = [(f"group:{g.pk}", g.name) for g in Group.objects.order_by("name")]
        self.choices = [("", "---------"), ("Users", users)] + ([("Groups", groups)] if groups else [])

    def validate(self, value) -> None:
        # Only "required" here: clean() resolves the party, so an inactive user gets a precise message
        # rather than "select a valid choice".
        forms.Field.validate(self, value)

    def clean(self, value) -> User | Group:
        party = party_from(super().clean(value))
        if party is None:
            raise ValidationError("Select a user or a group to share with.", code="invalid_choice")
        if isinstance(party, User) and not party.is_active:
            raise ValidationError(f"{party} is inactive; a record cannot be shared with an inactive user.")
        return party


class ShareForm(forms.Form):
    """Add a share, or change the access of an existing one."""

    share_with = ShareWithField()
    access = forms.ChoiceField(label="Access", choices=ShareAccess.choices, initial=ShareAccess.READ)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_with"].load_choices()
        for name, field in self.fields.items():
            field.widget.attrs.update({"class": "form-select", "id": f"id_{name}"})


class RecordShareView(ModuleMixin, TemplateView):
    """The Share page of a record: its shares with Remove buttons, and the form to add one."""

    template_name = "generic/share.html"

    def get(self, request, *args, **kwargs):
        return self.render_page(self.get_record("edit"), ShareForm())

    def post(self, request, *args, **kwargs):
        record = self.get_record("edit")
        if "remove" in request.POST:
            return self.remove(record, request.POST["remove"])
        form = ShareForm(request.POST)
        if form.is_valid():
            party = form.cleaned_data["share_with"]
            try:
                share = record_share(
                    record=record, **party_kwargs(party), access=form.cleaned_data["access"], acting_user=request.user
                )
            except ValidationError as error:
                form.add_error("share_with", error)
            else:
                messages.success(request, f"{record} is shared with {share.party} ({share.get_access_display()}).")
                return self.next_page(record)
        return self.render_page(record, form, status=422)

    def remove(self, record: Record, value: str):
        party = party_from(value)
        if party is not None and record_unshare(record=record, **party_kwargs(party), acting_user=self.request.user):
            messages.success(self.request, f"{record} is no longer shared with {party}.")
        else:
            messages.warning(self.request, "That share had already been removed.")
        return self.next_page(record)

    def next_page(self, record: Record):
        """Back to this page, unless the change took it away from the user (they removed or narrowed their
        own share): then the record if they can still see it, else the list."""
        if self.visible("edit").filter(pk=record.pk).exists():
            return redirect(reverse("records:share", kwargs={"module": self.module.name, "pk": record.pk}))
        if self.visible("view").filter(pk=record.pk).exists():
            return redirect(record)
        return redirect("records:list", module=self.module.name)

    def render_page(self, record: Record, form: ShareForm, status: int = 200):
        context = self.get_context_data(record=record, shares=shares_of(record), form=form)
        return self.render_to_response(context, status=status)
