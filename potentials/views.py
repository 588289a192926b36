"""The pipeline board and the contact roles of a potential. Views read the request, call a service and
answer; the board's data comes from ``pipeline.pipeline_board``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views import View

from secondcrm.access.permissions import access_for
from secondcrm.records.services import OutOfReach

from .forms import ContactRoleForm, PipelineFilterForm, StageMoveForm
from .models import Potential, PotentialContactRole
from .pipeline import pipeline_board
from .services import StageRefused, contact_role_add, contact_role_remove, potential_stage_move


def require_pipeline(user) -> None:
    """The board shows potentials by sales stage: it needs the view right and a visible Sales Stage field."""
    access = access_for(user)
    if not access.can("potentials", "view"):
        raise PermissionDenied("You may not view potentials.")
    if not access.field_access(Potential.module).visible("sales_stage"):
        raise PermissionDenied("Your profile hides the Sales Stage of potentials, which the pipeline is made of.")


class PipelineMixin(View):
    """The board as the request's filters narrow it (GET parameters, kept on the move URL too)."""

    def dispatch(self, request, *args, **kwargs):
        require_pipeline(request.user)
        return super().dispatch(request, *args, **kwargs)

    def board_context(self, **extra) -> dict:
        filter_form = PipelineFilterForm(self.request.GET or None)
        filters = filter_form.filters() if self.request.GET else {}
        query = self.request.GET.urlencode()
        return {
            "module": Potential.module,
            "board": pipeline_board(self.request.user, **filters),
            "filter_form": filter_form,
            "filtered": bool(filters),
            "query": query,
            "move_url": reverse("potentials:pipeline_move") + (f"?{query}" if query else ""),
            **extra,
        }


class PipelineView(PipelineMixin):
    """Potentials as cards in one column per sales stage; drag a card (or use its Move button) to change
    its stage."""

    def get(self, request):
        return render(request, "potentials/pipeline.html", self.board_context())


class PipelineMoveView(PipelineMixin):
    """Move one potential to another stage. htmx gets the board back as it now stands, with a notice, so a
    refused move snaps back; a plain form post is redirected to the board (or shown it, when refused)."""

    http_method_names = ["post"]

    def post(self, request):
        form = StageMoveForm(request.POST)
        if not form.is_valid():
            return self.answer("Choose a potential and a sales stage to move it to.", ok=False, status=400)
        potential = Potential.objects.visible_to(request.user, "view").filter(pk=form.cleaned_data["potential"])
        potential = potential.first()
        if potential is None:
            return self.answer("That potential no longer exists, or you cannot see it.", ok=False, status=404)
        old, new = potential.sales_stage, form.cleaned_data["stage"]
        if old == new:
            return self.answer(f"{potential} is already in {new}.", ok=True, status=200)
        try:
            potential = potential_stage_move(potential=potential, stage=new, acting_user=request.user)
        except PermissionDenied as error:
            return self.answer(str(error), ok=False, status=403)
        except (StageRefused, OutOfReach) as error:
            return self.answer(str(error), ok=False, status=422)
        probability = potential.probability
        probability = "" if probability is None else f"; probability {probability.normalize():f}%"
        return self.answer(f"{potential} moved from {old} to {new}{probability}.", ok=True, status=200)

    def answer(self, notice: str, *, ok: bool, status: int) -> HttpResponse:
        if self.request.htmx:
            context = self.board_context(notice=notice, notice_ok=ok)
            return HttpResponse(render_to_string("potentials/_board.html", context, self.request), status=status)
        if ok:
            messages.success(self.request, notice)
            return redirect(
                reverse("potentials:pipeline") + (f"?{self.request.GET.urlencode()}" if self.request.GET else "")
            )
        messages.error(self.request, notice)
        return render(self.request, "potentials/pipeline.html", self.board_context(), status=status)


class ContactRoleAddView(View):
    """Add Contact Role on a potential's Contact Roles tab."""

    http_method_names = ["post"]

    def post(self, request, pk):
        potential = get_object_or_404(Potential.objects.visible_to(request.user, "view"), pk=pk)
        form = ContactRoleForm(request.POST, potential=potential, user=request.user)
        if form.is_valid():
            contact, role = form.cleaned_data["contact"], form.cleaned_data["role"]
            contact_role_add(potential=potential, contact=contact, role=role, acting_user=request.user)
            notice = f"{contact} added as {role}."
            if not request.htmx:
                messages.success(request, notice)
                return redirect(potential)
            form = ContactRoleForm(potential=potential, user=request.user)
            return self.panel(potential, form, notice=notice, status=200)
        if not request.htmx:
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(potential)
        return self.panel(potential, form, status=422)

    def panel(self, potential, form, *, notice: str = "", status: int) -> HttpResponse:
        context = {"record": potential, "panel": contact_roles_context(potential, self.request, form=form)}
        context["panel"]["notice"] = notice
        html = render_to_string("potentials/contact_roles_panel.html", context, self.request)
        return HttpResponse(html, status=status)


class ContactRoleRemoveView(View):
    """Remove a contact's role from a potential."""

    http_method_names = ["post"]

    def post(self, request, pk):
        visible = Potential.objects.visible_to(request.user, "view")
        contact_role = get_object_or_404(
            PotentialContactRole.objects.select_related("potential", "contact").filter(potential__in=visible), pk=pk
        )
        potential = contact_role.potential
        contact_role_remove(contact_role=contact_role, acting_user=request.user)
        messages.success(request, f"{contact_role.contact} is no longer a contact role of {potential}.")
        return redirect(potential)


def contact_roles_context(record, request, form=None) -> dict | None:
    """The Contact Roles tab of a potential (None elsewhere, so other modules do not show the tab): the roles
    of contacts the user may see, and the Add Contact Role form when the user may edit the potential."""
    if not isinstance(record, Potential):
        return None
    from accounts.models import Contact

    user = request.user
    contacts = Contact.objects.visible_to(user, "view")
    roles = record.contact_roles.filter(contact__in=contacts).select_related("contact", "contact__account")
    can_edit = Potential.objects.visible_to(user, "edit").filter(pk=record.pk).exists()
    return {
        "roles": list(roles),
        "can_edit": can_edit,
        "form": (form or ContactRoleForm(potential=record, user=user)) if can_edit else None,
    }
