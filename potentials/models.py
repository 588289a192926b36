"""Potentials: the business being worked on with an account, from first contact to Closed Won or Lost.

Sales Stage, Lead Source and Type are picklists kept in the database (seeded by migration 0002); the
probability a stage starts with lives in ``SalesStageProbability`` so that a stage an admin adds later can get
one without a code change."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from secondcrm.access.models import CURRENCIES
from secondcrm.picklists.fields import PicklistField
from secondcrm.records.changes import current_actor
from secondcrm.records.models import Record

CLOSED_WON = "Closed Won"
CLOSED_LOST = "Closed Lost"

# The sales stages a new installation starts with, in pipeline order, with their default probability (%).
DEFAULT_STAGES = (
    ("Prospecting", 10),
    ("Qualification", 20),
    ("Needs Analysis", 25),
    ("Value Proposition", 30),
    ("Id. Decision Makers", 40),
    ("Perception Analysis", 50),
    ("Proposal/Price Quote", 65),
    ("Negotiation/Review", 80),
    (CLOSED_WON, 100),
    (CLOSED_LOST, 0),
)


def default_currency() -> str:
    """The creating user's currency (My Preferences), or the installation's first currency for the system."""
    actor = current_actor()
    return getattr(actor, "currency", None) or CURRENCIES[0][0]


PROBABILITY_RANGE = "Probability is a percentage between 0 and 100."
PROBABILITY_VALIDATORS = [
    MinValueValidator(0, message=PROBABILITY_RANGE),
    MaxValueValidator(100, message=PROBABILITY_RANGE),
]


class SalesStageProbability(models.Model):
    """The probability (%) a potential gets when it enters a sales stage, unless the user typed another."""

    stage = models.CharField("Sales Stage", max_length=50, unique=True)
    probability = models.DecimalField(
        "Probability (%)",
        max_digits=5,
        decimal_places=2,
        validators=PROBABILITY_VALIDATORS,
    )

    class Meta:
        ordering = ["stage"]
        verbose_name = "sales stage probability"
        verbose_name_plural = "sales stage probabilities"

    def __str__(self) -> str:
        return f"{self.stage}: {self.probability}%"

    @classmethod
    def for_stage(cls, stage: str) -> Decimal | None:
        return cls.objects.filter(stage__iexact=stage).values_list("probability", flat=True).first()


class Potential(Record):
    """A deal with an account: how much (amount in a currency), when (expected close date) and how far along
    (sales stage, probability). Every potential belongs to an account."""

    class Type(models.TextChoices):
        NEW_BUSINESS = "New Business"
        EXISTING_BUSINESS = "Existing Business"

    potential_name = models.CharField("Potential Name", max_length=200, db_index=True)
    account = models.ForeignKey(
        "accounts.Account", verbose_name="Account Name", on_delete=models.PROTECT, related_name="potentials"
    )
    contact = models.ForeignKey(
        "accounts.Contact",
        verbose_name="Contact Name",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="potentials",
    )
    amount = models.DecimalField(
        "Amount",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message="The amount cannot be negative.")],
    )
    currency = models.CharField("Currency", max_length=3, choices=CURRENCIES, default=default_currency)
    expected_close_date = models.DateField("Expected Close Date", db_index=True)
    sales_stage = PicklistField("Sales Stage", max_length=50, db_index=True)
    probability = models.DecimalField(
        "Probability (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PROBABILITY_VALIDATORS,
    )
    lead_source = PicklistField("Lead Source", max_length=30, blank=True)
    potential_type = PicklistField("Type", max_length=30, blank=True)
    next_step = models.CharField("Next Step", max_length=200, blank=True)

    class Meta(Record.Meta):
        verbose_name = "potential"
        verbose_name_plural = "potentials"
        # The list's sortable Amount column (the others have their indexes): a page sorted by it walks the index
        # instead of sorting every potential its user may see.
        indexes = [*Record.Meta.indexes, models.Index(fields=["amount"], name="potentials_amount_sort")]

    def __str__(self) -> str:
        return self.potential_name

    def save(self, *args, **kwargs) -> None:
        if self._default_probability() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "probability"}
        super().save(*args, **kwargs)

    def _default_probability(self) -> bool:
        """Probability follows the stage: on create when none was given, and whenever the stage changes
        unless the probability was changed in the same save (the user typed one). True if it was set."""
        loaded = getattr(self, "_loaded", None)
        if self._state.adding or loaded is None:
            if self.probability is None:
                self.probability = SalesStageProbability.for_stage(self.sales_stage)
                return self.probability is not None
            return False
        stage_changed = loaded.get("sales_stage") != self.sales_stage
        probability_typed = loaded.get("probability") != self.probability
        if not stage_changed or probability_typed:
            return False
        new = SalesStageProbability.for_stage(self.sales_stage)
        if new is None:
            return False
        self.probability = new
        return True


class PotentialContactRole(models.Model):
    """The part a contact plays in a potential (Decision Maker, Evaluator...): one role per contact."""

    class Role(models.TextChoices):
        DECISION_MAKER = "Decision Maker"
        EVALUATOR = "Evaluator"
        INFLUENCER = "Influencer"
        TECHNICAL_BUYER = "Technical Buyer"
        BUSINESS_USER = "Business User"
        OTHER = "Other"

    potential = models.ForeignKey(Potential, on_delete=models.CASCADE, related_name="contact_roles")
    contact = models.ForeignKey("accounts.Contact", on_delete=models.CASCADE, related_name="potential_roles")
    role = models.CharField("Role", max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["potential", "contact"], name="potential_contact_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.role})"
