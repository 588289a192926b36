"""The whole create/read/update/delete/recycle-bin suite for a module: subclass with one line,

    class TestAccounts(RecordSuite):
        model = Account

and every test below runs against that module's registered pages."""

import pytest
from django.urls import reverse

from secondcrm.records.models import Update
from tests.factories import factory_for

pytestmark = pytest.mark.django_db


def form_data(module, record, user) -> dict:
    """What a browser would post back for ``record`` from the module's edit form, unchanged."""
    form = module.form(instance=record, user=user)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    return data


class RecordSuite:
    model = None

    @property
    def module(self):
        return self.model.module

    @property
    def title_field(self) -> str:
        return self.module.title_field

    def url(self, name: str, record=None, **kwargs) -> str:
        if record is not None:
            kwargs["pk"] = record.pk
        return reverse(f"records:{name}", kwargs={"module": self.module.name, **kwargs})

    def make(self, owner, **fields):
        return factory_for(self.model)(assigned_user=owner, **fields)

    def mandatory_fields(self, user) -> list[str]:
        return [name for name, field in self.module.form(user=user).fields.items() if field.required]

    # --- list view ------------------------------------------------------------------------------------

    def test_list_shows_records_with_their_columns(self, client_as, staff):
        record = self.make(staff)
        response = client_as(staff).get(self.url("list"))
        assert response.status_code == 200
        assert str(getattr(record, self.title_field)) in response.content.decode()
        assert record.get_absolute_url() in response.content.decode()

    def test_every_list_column_sorts_both_ways(self, client_as, staff):
        self.make(staff)
        self.make(staff)
        client = client_as(staff)
        for column in self.module.list_fields:
            for sort in (column, f"-{column}"):
                response = client.get(self.url("list"), {"sort": sort})
                assert response.status_code == 200, sort
                assert response.context["table"].order_by == (sort,)

    def test_alphabetical_filter_keeps_only_that_letter(self, client_as, staff):
        apple = self.make(staff, **{self.title_field: "Apple Letter Test"})
        zebra = self.make(staff, **{self.title_field: "Zebra Letter Test"})
        response = client_as(staff).get(self.url("list"), {"letter": "Z"})
        rows = list(response.context["table"].data)
        assert zebra in rows and apple not in rows

    def test_search_in_a_column(self, client_as, staff):
        wanted = self.make(staff, **{self.title_field: "Needle In Haystack"})
        other = self.make(staff)
        response = client_as(staff).get(self.url("list"), {"search_value": "needle in", "search_in": self.title_field})
        rows = list(response.context["table"].data)
        assert rows == [wanted] and other not in rows

    def test_list_paginates(self, client_as, staff):
        for _ in range(25):
            self.make(staff)
        response = client_as(staff).get(self.url("list"), {"per_page": 20, "page": 2})
        assert response.status_code == 200
        assert len(response.context["table"].page.object_list) == 5

    # --- create ---------------------------------------------------------------------------------------

    def test_create_numbers_the_record_and_logs_it(self, client_as, staff):
        template = self.make(staff)
        data = form_data(self.module, template, staff) | {self.title_field: "Created Through The Form"}
        response = client_as(staff).post(self.url("add"), data)
        created = self.model.objects.get(**{self.title_field: "Created Through The Form"})
        assert response.status_code == 302 and response.url == created.get_absolute_url()
        assert created.number.startswith(self.module.number_prefix)
        assert int(created.number.removeprefix(self.module.number_prefix)) > int(
            template.number.removeprefix(self.module.number_prefix)
        )
        assert created.created_by == staff and created.assigned_user == staff
        assert created.updates.get().action == Update.Action.CREATED

    def test_create_without_mandatory_fields_saves_nothing(self, client_as, staff):
        before = self.model.all_objects.count()
        response = client_as(staff).post(self.url("add"), {})
        assert response.status_code == 422
        assert self.model.all_objects.count() == before
        form = response.context["form"]
        for name in self.mandatory_fields(staff):
            assert name in form.errors, name
        assert "mandatory" in response.content.decode()

    def test_over_long_text_is_a_form_error(self, client_as, staff):
        template = self.make(staff)
        field = self.model._meta.get_field(self.title_field)
        data = form_data(self.module, template, staff) | {self.title_field: "x" * (field.max_length + 1)}
        response = client_as(staff).post(self.url("add"), data)
        assert response.status_code == 422
        assert "at most" in str(response.context["form"].errors[self.title_field])

    def test_text_is_escaped_on_every_page(self, client_as, staff):
        record = self.make(staff, **{self.title_field: "<script>alert('x')</script>"})
        client = client_as(staff)
        for url in (self.url("list"), record.get_absolute_url(), self.url("edit", record)):
            body = client.get(url).content.decode()
            assert "<script>alert(" not in body, url
            assert "&lt;script&gt;" in body, url

    def test_quick_create_asks_for_mandatory_fields(self, client_as, staff):
        if not self.module.quick_create:
            pytest.skip("This module has no Quick Create entry.")
        client = client_as(staff)
        form = client.get(self.url("quick_create"), headers={"HX-Request": "true"}).context["form"]
        assert set(self.mandatory_fields(staff)) <= set(form.fields)
        template = self.make(staff)
        data = {k: v for k, v in form_data(self.module, template, staff).items() if k in form.fields}
        data[self.title_field] = "Quickly Created"
        response = client.post(self.url("quick_create"), data, headers={"HX-Request": "true"})
        created = self.model.objects.get(**{self.title_field: "Quickly Created"})
        assert response.status_code == 204 and response["HX-Redirect"] == created.get_absolute_url()

    # --- detail, edit, duplicate ----------------------------------------------------------------------------

    def test_detail_shows_every_block(self, client_as, staff):
        record = self.make(staff)
        response = client_as(staff).get(record.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        for block in self.module.blocks:
            assert block.title in body
        assert record.number in body

    def test_unknown_record_is_404(self, client_as, staff):
        assert client_as(staff).get(self.url("detail", pk=987654321)).status_code == 404

    def test_edit_records_what_changed_in_updates(self, client_as, manager):
        record = self.make(manager, **{self.title_field: "Before The Edit"})
        data = form_data(self.module, record, manager) | {self.title_field: "After The Edit"}
        response = client_as(manager).post(self.url("edit", record), data)
        assert response.status_code == 302
        update = record.updates.filter(action=Update.Action.UPDATED).get()
        label = str(self.model._meta.get_field(self.title_field).verbose_name)
        assert update.user == manager
        assert {"field": self.title_field, "label": label, "old": "Before The Edit", "new": "After The Edit"} in (
            update.changes
        )
        assert "After The Edit" in client_as(manager).get(record.get_absolute_url()).content.decode()

    def test_saving_unchanged_form_logs_no_update(self, client_as, staff):
        record = self.make(staff)
        client_as(staff).post(self.url("edit", record), form_data(self.module, record, staff))
        assert not record.updates.filter(action=Update.Action.UPDATED).exists()

    def test_inline_edit_changes_one_field_only(self, client_as, staff):
        record = self.make(staff)
        others = {
            f.attname: getattr(record, f.attname)
            for f in self.model._meta.concrete_fields
            if f.name not in {self.title_field, "modified_at", "modified_by"}
        }
        client = client_as(staff)
        url = self.url("inline_edit", record, field=self.title_field)
        assert client.get(url).status_code == 200
        response = client.post(url, {self.title_field: "Edited In Place"})
        assert response.status_code == 200 and "Edited In Place" in response.content.decode()
        record = self.model.objects.get(pk=record.pk)
        assert getattr(record, self.title_field) == "Edited In Place"
        assert {f: getattr(record, f) for f in others} == others

    def test_inline_edit_refuses_blank_mandatory_field(self, client_as, staff):
        record = self.make(staff)
        response = client_as(staff).post(self.url("inline_edit", record, field=self.title_field), {})
        assert "This field is required" in response.content.decode()
        assert getattr(self.model.objects.get(pk=record.pk), self.title_field) == getattr(record, self.title_field)

    def test_duplicate_prefills_the_form_and_saves_a_new_record(self, client_as, staff):
        record = self.make(staff)
        client = client_as(staff)
        form = client.get(self.url("duplicate", record)).context["form"]
        assert form.initial[self.title_field] == getattr(record, self.title_field)
        assert form.instance.pk is None
        data = form_data(self.module, record, staff)
        response = client.post(self.url("duplicate", record), data)
        copies = self.model.objects.filter(**{self.title_field: getattr(record, self.title_field)})
        assert response.status_code == 302 and copies.count() == 2
        assert len({copy.number for copy in copies}) == 2

    # --- comments and tags --------------------------------------------------------------------------------

    def test_comments_are_listed_in_order_with_author(self, client_as, staff, manager):
        record = self.make(staff)
        client_as(staff).post(self.url("comment_add", record), {"body": "First <b>comment</b>"})
        response = client_as(manager).post(self.url("comment_add", record), {"body": "Second comment"})
        body = response.content.decode()
        assert body.index("First &lt;b&gt;comment&lt;/b&gt;") < body.index("Second comment")
        assert [c.author for c in record.comments.all()] == [staff, manager]

    def test_empty_comment_is_refused(self, client_as, staff):
        record = self.make(staff)
        response = client_as(staff).post(self.url("comment_add", record), {"body": "   "})
        assert response.status_code == 422 and not record.comments.exists()

    def test_tags_are_added_and_removed_and_show_in_updates(self, client_as, staff):
        record = self.make(staff)
        client = client_as(staff)
        client.post(self.url("tags", record), {"add": "vip, asia"})
        assert set(record.tags.names()) == {"vip", "asia"}
        client.post(self.url("tags", record), {"remove": "vip"})
        assert set(record.tags.names()) == {"asia"}
        assert [u.changes[0]["new"] for u in record.updates.filter(action="updated").order_by("at", "pk")] == [
            "asia, vip",
            "asia",
        ]

    # --- delete, recycle bin -----------------------------------------------------------------------------

    def test_delete_moves_the_record_to_the_recycle_bin(self, client_as, manager):
        record = self.make(manager)
        client = client_as(manager)
        assert client.get(self.url("delete", record)).status_code == 200
        response = client.post(self.url("delete", record))
        assert response.status_code == 302
        assert client.get(record.get_absolute_url()).status_code == 404
        assert record not in client.get(self.url("list")).context["table"].data
        assert self.model.all_objects.get(pk=record.pk).deleted_by == manager
        assert record.updates.filter(action=Update.Action.DELETED).exists()

    def test_mass_delete_of_selected_rows(self, client_as, manager):
        chosen, kept = self.make(manager), self.make(manager)
        client_as(manager).post(self.url("mass_delete"), {"selection": [chosen.pk]})
        assert list(self.model.objects.filter(pk__in=[chosen.pk, kept.pk])) == [kept]

    def test_admin_restores_from_the_recycle_bin(self, client_as, admin, manager):
        record = self.make(manager)
        client_as(manager).post(self.url("delete", record))
        client = client_as(admin)
        page = client.get(reverse("settings_admin:recycle_bin"), {"module": self.module.name})
        assert record.pk in [r.pk for r in page.context["page"]]
        client.post(
            reverse("settings_admin:recycle_bin"),
            {"module": self.module.name, "action": "restore", "selection": [record.pk]},
        )
        assert client_as(manager).get(record.get_absolute_url()).status_code == 200
        assert record.updates.filter(action=Update.Action.RESTORED, user=admin).exists()

    def test_admin_purges_for_good(self, client_as, admin, manager):
        record = self.make(manager)
        client_as(manager).post(self.url("comment_add", record), {"body": "goes too"})
        client_as(manager).post(self.url("delete", record))
        client_as(admin).post(
            reverse("settings_admin:recycle_bin"),
            {"module": self.module.name, "action": "purge", "selection": [record.pk]},
        )
        assert not self.model.all_objects.filter(pk=record.pk).exists()
        assert not Update.objects.filter(object_id=record.pk, content_type__model=self.model._meta.model_name).exists()

    def test_only_admins_open_the_recycle_bin(self, client_as, manager):
        assert client_as(manager).get(reverse("settings_admin:recycle_bin")).status_code == 403
