"""Convert Lead: one transaction that turns a lead into an account (or links the existing one of that name), a
contact and a potential, moves what hangs off the lead to them and marks the lead converted.

The new records are made through their modules' own forms, exactly as if the user had typed the values in:
the same validation, picklist values of the user's role, field access, numbering, Updates history and the
check that the user can still see what they saved. Their values come from the Lead Conversion Mapping
(``mapping.py``), overridden by what was typed in the dialog. vtiger undoes a failed conversion by deleting
what it had created; here any failure rolls the whole transaction back and the lead stays as it was."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from accounts.models import Account
from secondcrm.access.permissions import access_for
from secondcrm.documents.models import DocumentLink
from secondcrm.records.changes import acting_as
from secondcrm.records.models import Comment, Record
from secondcrm.records.registry import registry
from secondcrm.records.services import OutOfReach, record_save, tags_set

from .mapping import DEFAULT_MAPPING, MappingRow, current_mapping, mapped_values
from .models import QUALIFIED, Lead, LeadFieldMapping

# Sent inside the conversion's transaction, after the new records exist and before the lead is marked
# converted, with ``lead`` and ``conversion``: modules that attach things to leads (activities, campaigns)
# move theirs here, and a receiver that raises undoes the whole conversion.
lead_converted = Signal()


class ConversionError(Exception):
    """Convert Lead cannot go ahead; ``messages`` say why, in words for the user. Nothing was saved."""

    def __init__(self, messages: str | list[str]):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(" ".join(self.messages))


@dataclass
class Conversion:
    """What a conversion made: the account (created, or an existing one it was linked to), contact and
    potential, and the mapped values the new records could not take (left out, listed for the user)."""

    lead: Lead
    acting_user: object
    account: Record | None = None
    account_reused: bool = False
    contact: Record | None = None
    potential: Record | None = None
    skipped: list[str] = field(default_factory=list)

    @property
    def records(self) -> list[Record]:
        return [r for r in (self.account, self.contact, self.potential) if r is not None]

    @property
    def landing(self) -> Record:
        """Where the user goes next: the account, whose Potentials and Contacts tabs show the rest."""
        return self.account or self.contact


def existing_account(name: str, user) -> Account | None:
    """The account called ``name`` (any case) that ``user`` can see, which Convert Lead links to instead of
    creating a second one; the oldest if there are several."""
    name = (name or "").strip()
    if not name:
        return None
    return Account.objects.visible_to(user, "view").filter(account_name__iexact=name).order_by("pk").first()


def convertible(lead: Lead, user) -> bool:
    """May ``user`` convert ``lead``? Converting changes the lead, so it takes the right to edit it."""
    return Lead.objects.visible_to(user, "edit").filter(pk=lead.pk).exists()


def lead_convert(
    *,
    lead: Lead,
    account=False,
    contact: bool = False,
    potential: dict | None = None,
    account_values: dict | None = None,
    contact_values: dict | None = None,
    assigned_to=None,
    acting_user,
) -> Conversion:
    """Convert ``lead``. ``account`` is True (create one, or link the visible account of the same name), an
    existing Account to link, or False; ``contact`` True creates a contact; ``potential`` is the dialog's values
    for a new potential (None: no potential). ``account_values``/``contact_values`` are the values typed in the
    dialog, which win over mapped ones. The new records are assigned to ``assigned_to`` (a user or group;
    default: the acting user).

    Raises PermissionDenied (the user may not edit the lead or create a record it needs) or ConversionError
    (already converted, bad choice of records, a value a new record refuses); either way nothing is saved."""
    if not account and not contact:
        raise ConversionError("Choose an account or a contact (or both) to convert the lead into.")
    if potential is not None and not account:
        raise ConversionError("A potential belongs to an account: convert the lead into an account too.")
    if not Lead.all_objects.alive().visible_to(acting_user, "edit").filter(pk=lead.pk).exists():
        raise PermissionDenied("You may not convert this lead: converting changes it, and you may not edit it.")
    access = access_for(acting_user)
    owner = _owner_value(assigned_to, acting_user)

    with transaction.atomic(), acting_as(acting_user):
        lead = Lead.all_objects.select_for_update().get(pk=lead.pk)
        if lead.converted:
            raise ConversionError(f"Lead {lead.number} has already been converted.")
        rows = current_mapping()
        hidden = access.field_access(registry.get("leads")).invisible
        conversion = Conversion(lead=lead, acting_user=acting_user)

        if isinstance(account, Account):
            conversion.account = _visible_account(account, acting_user)
            conversion.account_reused = True
        elif account:
            values = mapped_values(lead, "account", rows, hidden=hidden) | _typed(account_values)
            found = existing_account(values.get("account_name", ""), acting_user)
            if found is not None:
                conversion.account, conversion.account_reused = found, True
            else:
                _require(access, "accounts")
                conversion.account = _create(
                    "accounts", values, typed=_typed(account_values), owner=owner, conversion=conversion
                )

        if contact:
            _require(access, "contacts")
            typed = _typed(contact_values)
            links = {"account": conversion.account.pk} if conversion.account else {}
            values = mapped_values(lead, "contact", rows, hidden=hidden) | typed | links
            conversion.contact = _create("contacts", values, typed=typed | links, owner=owner, conversion=conversion)

        if potential is not None:
            conversion.potential = _create_potential(lead, potential, rows, hidden, access, owner, conversion)

        _move_attachments(lead, conversion, acting_user)
        lead_converted.send(sender=Lead, lead=lead, conversion=conversion)

        lead.converted = True
        lead.converted_at = timezone.now()
        lead.converted_by = acting_user
        lead.converted_account = conversion.account
        lead.converted_contact = conversion.contact
        lead.converted_potential = conversion.potential
        lead.lead_status = QUALIFIED
        lead.save()
    return conversion


def _typed(values: dict | None) -> dict:
    """The dialog's values. A field the dialog showed wins even when left empty (what the user saw is what
    they get); a field it did not send keeps the mapped value."""
    return dict(values or {})


def _owner_value(assigned_to, acting_user) -> str:
    """ "Assigned To" as the module forms take it: "user:<pk>" or "group:<pk>"."""
    if assigned_to is None:
        return f"user:{acting_user.pk}"
    if isinstance(assigned_to, Group):
        return f"group:{assigned_to.pk}"
    return f"user:{assigned_to.pk}"


def _require(access, module_name: str) -> None:
    if not access.can(module_name, "create"):
        raise PermissionDenied(f"You may not create {registry.get(module_name).label.lower()}.")


def _visible_account(account: Account, user) -> Account:
    found = Account.objects.visible_to(user, "view").filter(pk=account.pk).first()
    if found is None:
        raise ConversionError("The account to link the lead to no longer exists or is not visible to you.")
    return found


def _create_potential(
    lead: Lead, typed: dict, rows: list[MappingRow], hidden: frozenset[str], access, owner: str, conversion
) -> Record:
    """The potential, with its account and contact; the contact gets a contact role on it."""
    from potentials.models import PotentialContactRole
    from potentials.services import contact_role_add

    _require(access, "potentials")
    links = {"account": conversion.account.pk}
    if conversion.contact is not None:
        links["contact"] = conversion.contact.pk
    typed = _typed(typed) | links
    values = mapped_values(lead, "potential", rows, hidden=hidden) | typed
    potential = _create("potentials", values, typed=typed, owner=owner, conversion=conversion)
    if conversion.contact is not None:
        # The lead's person brought the deal: they start as its decision maker (editable on the potential).
        contact_role_add(
            potential=potential,
            contact=conversion.contact,
            role=PotentialContactRole.Role.DECISION_MAKER,
            acting_user=conversion.acting_user,
        )
    return potential


def _create(module_name: str, values: dict, *, typed: dict, owner: str, conversion: Conversion) -> Record:
    """Create a record of ``module_name`` through its module form, as the acting user.

    The form starts from what a new record's form shows (model and custom field defaults), then the mapped
    values, then the typed ones. A mapped value the form refuses (say, an industry the account picklist does
    not have) is left out and listed in ``conversion.skipped`` rather than blocking the conversion; a typed
    value or a mandatory field it refuses is a ConversionError."""
    module = registry.get(module_name)
    user = conversion.acting_user
    blank = module.form(user=user)
    start = {}
    for name, form_field in blank.fields.items():
        initial = blank.get_initial_for_field(form_field, name)
        if initial not in (None, "", [], False):
            start[name] = initial
    data = start | {name: value for name, value in values.items() if name in blank.fields}
    data["assigned_to"] = owner

    form = module.form(data, user=user)
    if not form.is_valid():
        refused = [name for name in form.errors if name in values and name not in typed and name in form.fields]
        refused = [name for name in refused if not form.fields[name].required]
        for name in refused:
            label = form.fields[name].label
            conversion.skipped.append(f"{module.singular} {label}: {' '.join(form.errors[name])}")
            data.pop(name)
            if name in start:
                data[name] = start[name]
        if refused:
            form = module.form(data, user=user)
        if not form.is_valid():
            raise ConversionError(_error_messages(module, form))
    try:
        return record_save(form=form, acting_user=user)
    except OutOfReach as error:
        raise ConversionError(str(error)) from error


def _error_messages(module, form) -> list[str]:
    """Each error of a module form as "Account Name: This field is required." under the module's name."""
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            found.append(f"{module.singular}: {label + ': ' if label else ''}{error}")
    return found


def _move_attachments(lead: Lead, conversion: Conversion, acting_user) -> None:
    """Comments go to the contact (else the account), documents and tags to every record the lead became."""
    lead_type = ContentType.objects.get_for_model(Lead)
    home = conversion.contact or conversion.account
    Comment.objects.filter(content_type=lead_type, object_id=lead.pk).update(
        content_type=ContentType.objects.get_for_model(home), object_id=home.pk
    )
    links = DocumentLink.objects.filter(content_type=lead_type, object_id=lead.pk)
    for document_id in links.values_list("document_id", flat=True):
        for record in conversion.records:
            DocumentLink.objects.get_or_create(
                document_id=document_id, content_type=ContentType.objects.get_for_model(record), object_id=record.pk
            )
    links.delete()
    names = sorted(lead.tags.names(), key=str.lower)
    if names:
        for record in conversion.records:
            tags_set(record=record, add=names, acting_user=acting_user)
        tags_set(record=lead, remove=names, acting_user=acting_user)


def lead_mapping_save(*, rows: list[MappingRow], acting_user) -> None:
    """Replace the Lead Conversion Mapping with ``rows`` (already validated by the settings form), in order."""
    with transaction.atomic():
        LeadFieldMapping.objects.all().delete()
        LeadFieldMapping.objects.bulk_create(
            LeadFieldMapping(
                lead_field=row.lead_field,
                account_field=row.account_field,
                contact_field=row.contact_field,
                potential_field=row.potential_field,
                position=position,
            )
            for position, row in enumerate(rows)
        )


def lead_mapping_reset(*, acting_user) -> None:
    """Go back to the mapping a new installation starts with."""
    lead_mapping_save(rows=[MappingRow(*row) for row in DEFAULT_MAPPING], acting_user=acting_user)
