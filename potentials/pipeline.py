"""The pipeline board's data: potentials the user may see, as cards in one column per sales stage, with the
number and total amount of each column.

A column holds at most ``CARDS_PER_COLUMN`` cards (soonest close date first); its count and totals still cover
all of its potentials. The whole board costs a fixed number of queries however many potentials there are: the
user's stages, one aggregate for counts and totals, one windowed query for the cards, one for which cards the
user may move."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber
from django.urls import reverse

from secondcrm.access.permissions import access_for
from secondcrm.picklists.choices import NOT_ACCESSIBLE, choices_for

from .models import Potential

CARDS_PER_COLUMN = 50


@dataclass
class Column:
    """One sales stage. ``droppable`` is False for a stage the user's role cannot pick (its potentials are
    shown, since the user may see them, but nothing can be moved there)."""

    stage: str
    label: str
    droppable: bool
    count: int = 0
    totals: list[tuple[str, Decimal]] = field(default_factory=list)
    cards: list = field(default_factory=list)

    @property
    def hidden_count(self) -> int:
        return self.count - len(self.cards)

    @property
    def list_url(self) -> str:
        """The Potentials list filtered to this stage: where "N more" leads."""
        return f"{reverse('records:list', args=['potentials'])}?{urlencode({'sales_stage': self.stage})}"


@dataclass
class Board:
    columns: list[Column]
    stages: list[str]  # those the user may move a card to
    can_move: bool
    shows_amount: bool
    shows_account: bool
    shows_close_date: bool


def pipeline_board(user, *, owner=None, close_from=None, close_to=None, per_column: int = CARDS_PER_COLUMN) -> Board:
    """The board as ``user`` sees it, narrowed to ``owner``'s potentials and to the close date range."""
    access = access_for(user)
    fields = access.field_access(Potential.module)
    potentials = Potential.objects.visible_to(user, "view")
    if owner is not None:
        potentials = potentials.filter(assigned_user=owner)
    if close_from is not None:
        potentials = potentials.filter(expected_close_date__gte=close_from)
    if close_to is not None:
        potentials = potentials.filter(expected_close_date__lte=close_to)

    stages = choices_for(Potential.module, "sales_stage", user)
    columns = {stage: Column(stage, stage, droppable=True) for stage in stages}
    summary = potentials.order_by().values("sales_stage", "currency").annotate(count=Count("pk"), total=Sum("amount"))
    totals: dict[str, dict[str, Decimal]] = defaultdict(dict)
    for row in summary.order_by("sales_stage", "currency"):
        stage = row["sales_stage"]
        if stage not in columns:  # a stage the role cannot pick, held by potentials the user may see
            columns[stage] = Column(stage, NOT_ACCESSIBLE.format(stage), droppable=False)
        columns[stage].count += row["count"]
        if row["total"] is not None:
            totals[stage][row["currency"]] = row["total"]
    for stage, by_currency in totals.items():
        columns[stage].totals = sorted(by_currency.items())

    ranked = potentials.annotate(
        place=Window(
            RowNumber(), partition_by=[F("sales_stage")], order_by=[F("expected_close_date").asc(), F("pk").asc()]
        )
    ).filter(place__lte=per_column)
    cards = list(
        ranked.select_related("account", "assigned_user", "assigned_group").order_by("expected_close_date", "pk")
    )
    can_move = bool(stages) and fields.writable("sales_stage")
    movable = set()
    if can_move and cards:
        editable = Potential.objects.visible_to(user, "edit").filter(pk__in=[card.pk for card in cards])
        movable = set(editable.values_list("pk", flat=True))
    for card in cards:
        card.movable = card.pk in movable
        column = columns.get(card.sales_stage)
        if column is None:  # saved into a new stage between the two queries
            column = columns[card.sales_stage] = Column(card.sales_stage, card.sales_stage, droppable=False, count=0)
        column.cards.append(card)
        column.count = max(column.count, len(column.cards))

    return Board(
        columns=list(columns.values()),
        stages=stages,
        can_move=can_move,
        shows_amount=fields.visible("amount"),
        shows_account=fields.visible("account"),
        shows_close_date=fields.visible("expected_close_date"),
    )
