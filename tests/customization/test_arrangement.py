"""The layout core (secondcrm/records/arrangement.py): a module's blocks and fields as declared, as the admin
rearranged them (stored block order, field placements, hidden and renamed standard fields), plus custom blocks
and custom fields; and ``arrange``, which stores a whole arrangement or refuses an incomplete one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Contact
from secondcrm.records.arrangement import arrange, field_specs, module_layout, standard_label, system_mandatory
from secondcrm.records.models import CustomField, FieldPlacement, LayoutBlock

pytestmark = pytest.mark.django_db

CONTACTS = Contact.module


def titles(layout) -> list[str]:
    return [block.title for block in layout]


def names(layout, title: str) -> list[str]:
    return next([spec.name for spec in block.fields] for block in layout if block.title == title)


def current(module) -> list[tuple[str, list[str]]]:
    return [(block.title, [spec.name for spec in block.fields]) for block in module_layout(module, include_hidden=True)]


def custom(name: str, label: str, *, block: str = "Contact Information", position: int = 99, **extra) -> CustomField:
    return CustomField.objects.create(
        module="contacts", name=name, label=label, block=block, position=position, **extra
    )


def test_without_changes_the_layout_is_the_declaration():
    layout = module_layout(CONTACTS)
    assert titles(layout) == [block.title for block in CONTACTS.blocks]
    for block, declared in zip(layout, CONTACTS.blocks, strict=True):
        assert [spec.name for spec in block.fields] == list(declared.fields)
        assert block.declared is declared and not block.is_custom
    assert [block.is_address for block in layout] == [False, True, True, False]


def test_standard_labels_and_system_mandatory_fields():
    assert standard_label(CONTACTS, "title") == "Title"
    assert standard_label(CONTACTS, "assigned_to") == "Assigned To"
    assert standard_label(CONTACTS, "no_such_field") == "no_such_field"
    # Last Name may not be blank, and a record always has an owner; Title and the Record No (set by the
    # platform, not typed) are optional.
    assert system_mandatory(CONTACTS, "last_name") and system_mandatory(CONTACTS, "assigned_to")
    assert not system_mandatory(CONTACTS, "title") and not system_mandatory(CONTACTS, "number")
    specs = field_specs(CONTACTS)
    assert specs["last_name"].mandatory and not specs["title"].mandatory
    assert specs["title"].standard_label == specs["title"].label == "Title"


def test_a_placement_moves_hides_and_renames_a_standard_field():
    FieldPlacement.objects.create(module="contacts", field="department", block="Description Information", position=5)
    FieldPlacement.objects.create(
        module="contacts", field="title", block="Contact Information", position=5, hidden=True
    )
    FieldPlacement.objects.create(
        module="contacts", field="email", block="Contact Information", position=8, label="Work Email"
    )

    layout = module_layout(CONTACTS)
    assert names(layout, "Description Information") == ["description", "department"]
    assert "title" not in names(layout, "Contact Information")
    assert "title" in names(module_layout(CONTACTS, include_hidden=True), "Contact Information")
    specs = field_specs(CONTACTS)
    assert specs["title"].hidden and specs["department"].block == "Description Information"
    assert (specs["email"].label, specs["email"].standard_label) == ("Work Email", "Email")


def test_a_mandatory_field_is_never_hidden_even_if_a_row_says_so():
    FieldPlacement.objects.create(
        module="contacts", field="last_name", block="Contact Information", position=2, hidden=True
    )
    assert "last_name" in names(module_layout(CONTACTS), "Contact Information")
    assert not field_specs(CONTACTS)["last_name"].hidden


def test_stored_block_order_and_custom_blocks():
    LayoutBlock.objects.create(module="contacts", title="Description Information", position=0)
    LayoutBlock.objects.create(module="contacts", title="Social", position=1)
    layout = module_layout(CONTACTS)
    # Stored blocks first in their order; declared blocks the admin has not placed follow in declared order.
    assert titles(layout) == [
        "Description Information",
        "Social",
        "Contact Information",
        "Mailing Address",
        "Other Address",
    ]
    social = layout[1]
    assert social.is_custom and social.declared is None and social.fields == []


def test_custom_fields_join_their_block_and_deleted_ones_are_left_out():
    custom("cf_region", "Region", position=1)
    custom("cf_twitter", "Twitter", block="Social", position=0)
    custom("cf_old", "Old", position=2, deleted_at=timezone.now())
    layout = module_layout(CONTACTS)
    info = names(layout, "Contact Information")
    # Same position as a standard field: the standard field comes first.
    assert info[:3] == ["salutation", "first_name", "cf_region"]
    assert "cf_old" not in info
    # A custom field in a block that has no row yet makes that block appear, last.
    assert titles(layout)[-1] == "Social" and names(layout, "Social") == ["cf_twitter"]
    spec = field_specs(CONTACTS)["cf_region"]
    assert spec.is_custom and spec.custom.label == "Region" and not spec.mandatory


def test_module_layout_reads_three_queries():
    custom("cf_region", "Region")
    with CaptureQueriesContext(connection) as queries:
        module_layout(CONTACTS, include_hidden=True)
    assert len(queries) == 3


def test_arrange_stores_a_whole_arrangement():
    custom("cf_region", "Region")
    LayoutBlock.objects.create(module="contacts", title="Social", position=9)
    arrangement = current(CONTACTS)
    info = dict(arrangement)["Contact Information"]
    info.remove("title")
    info.remove("cf_region")
    arrangement = [("Social", ["cf_region", "title"]), *[(t, n) for t, n in arrangement if t != "Social"]]
    arrangement = [(t, n[::-1]) if t == "Mailing Address" else (t, n) for t, n in arrangement]

    arrange(CONTACTS, arrangement)

    assert current(CONTACTS) == arrangement
    assert CustomField.objects.get(name="cf_region").block == "Social"
    assert FieldPlacement.objects.get(module="contacts", field="title").block == "Social"
    assert list(LayoutBlock.objects.filter(module="contacts").values_list("title", flat=True)) == [
        title for title, _ in arrangement
    ]


def test_arrange_keeps_hidden_and_renamed_fields_as_they_are():
    FieldPlacement.objects.create(
        module="contacts", field="title", block="Contact Information", position=5, hidden=True, label="Job"
    )
    arrangement = current(CONTACTS)
    arrangement[0][1].remove("title")
    arrangement[-1][1].append("title")
    arrange(CONTACTS, arrangement)
    spec = field_specs(CONTACTS)["title"]
    assert (spec.block, spec.hidden, spec.label) == ("Description Information", True, "Job")


def test_arrange_may_leave_a_block_empty():
    arrangement = current(CONTACTS)
    description = dict(arrangement)["Description Information"]
    arrangement = [(t, n + description if t == "Contact Information" else n) for t, n in arrangement]
    arrangement = [(t, [] if t == "Description Information" else n) for t, n in arrangement]
    arrange(CONTACTS, arrangement)
    assert current(CONTACTS) == arrangement


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda a: a[0][1].remove("title"), id="a field left out"),
        pytest.param(lambda a: a[1][1].append("title"), id="a field twice"),
        pytest.param(lambda a: a[1][1].append("no_such_field"), id="an unknown field"),
        pytest.param(lambda a: a.append(("Contact Information", [])), id="a block twice"),
    ],
)
def test_arrange_refuses_an_incomplete_arrangement(change):
    custom("cf_region", "Region")
    before, arrangement = current(CONTACTS), current(CONTACTS)
    change(arrangement)
    with pytest.raises(ValueError):
        arrange(CONTACTS, arrangement)
    assert current(CONTACTS) == before
    assert not LayoutBlock.objects.exists() and not FieldPlacement.objects.exists()


def test_arrange_counts_hidden_fields():
    FieldPlacement.objects.create(
        module="contacts", field="title", block="Contact Information", position=5, hidden=True
    )
    arrangement = [(t, [n for n in names_ if n != "title"]) for t, names_ in current(CONTACTS)]
    with pytest.raises(ValueError):
        arrange(CONTACTS, arrangement)
