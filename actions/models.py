"""Resorption actions (docs/actions.md): what is done, by whom, with what money and results.

An action is a plain model, not a page: it is edited on the front end only. Its operators are
organisations through `ActionOperator` (one of them principal); its finances (`ActionFinance`,
restricted to `action.access_finances`) and indicators (`ActionIndicators`) are rows per year.
Every change is stored as a snapshot in `ActionRevision` (the history shows the field diffs) and
written to Wagtail's audit log (`actions.services`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions import indicators
from actions.enums import ActionStatus, ActionTopic, FinanceType, LocationType, PilotRequestStatus
from sitepages.fields import ChoiceArrayField


def status_q(status: str, today: datetime.date | None = None) -> Q:
    """The actions with a derived status, as a filter (the same rule as `Action.status`)."""
    today = today or timezone.localdate()
    if status == ActionStatus.TO_START:
        return Q(started_at__gt=today)
    if status == ActionStatus.ENDED:
        return Q(ended_at__lt=today)
    return Q(started_at__lte=today) & (Q(ended_at__isnull=True) | Q(ended_at__gte=today))


def year_q(year: int) -> Q:
    """The actions running during at least one day of `year`."""
    return Q(started_at__lte=datetime.date(year, 12, 31)) & (
        Q(ended_at__isnull=True) | Q(ended_at__gte=datetime.date(year, 1, 1))
    )


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The actions `user` may list (`actions.perms.visible_q`)."""
        from actions import perms

        return self.filter(perms.visible_q(user))

    def with_status(self, status):
        return self.filter(status_q(status))

    def running_in(self, year: int):
        return self.filter(year_q(year))

    def with_relations(self):
        """What the list, the detail and the checks of `actions.perms` read, prefetched."""
        return self.select_related("department").prefetch_related(
            models.Prefetch(
                "operator_rows",
                queryset=ActionOperator.objects.select_related("organization").order_by(
                    "-is_principal", "organization__name"
                ),
            ),
            "pilots",
        )


class Action(models.Model):
    name = models.CharField(_("name"), max_length=200)
    goals = models.TextField(_("goals"), blank=True)
    topics = ChoiceArrayField(
        models.CharField(max_length=20, choices=ActionTopic.choices),
        verbose_name=_("topics"),
        default=list,
        blank=True,  # "at least one" is checked by `clean`, with its own message
    )
    started_at = models.DateField(_("start date"))
    ended_at = models.DateField(_("end date"), null=True, blank=True)
    department = models.ForeignKey(
        "directory.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="actions",
    )
    location_type = models.CharField(
        _("location"), max_length=20, choices=LocationType.choices, default=LocationType.SITES
    )
    location_address = models.CharField(
        _("address of the integration space"), max_length=255, blank=True
    )
    location_commune = models.ForeignKey(
        "directory.Commune",
        verbose_name=_("commune of the integration space"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    location_other = models.TextField(_("other location"), blank=True)
    sites = models.ManyToManyField(
        "sitepages.SitePage", verbose_name=_("sites"), blank=True, related_name="actions"
    )
    pilots = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("pilots"), related_name="piloted_actions"
    )
    operators = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("operators"),
        through="ActionOperator",
        related_name="operated_actions",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["-started_at", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="actions_action_end_after_start",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("actions:detail", args=[self.pk])

    # --- Derived values -------------------------------------------------------------------------

    def status_on(self, today: datetime.date) -> str:
        if self.started_at and self.started_at > today:
            return ActionStatus.TO_START
        if self.ended_at and self.ended_at < today:
            return ActionStatus.ENDED
        return ActionStatus.ONGOING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def years(self) -> list[int]:
        """The years of the action: from its start to its end (to this year when open)."""
        if not self.started_at:
            return []
        last = self.ended_at.year if self.ended_at else timezone.localdate().year
        return list(range(self.started_at.year, max(last, self.started_at.year) + 1))

    @property
    def indicator_years(self) -> list[int]:
        """The years indicators may be given for: the action's years up to this one."""
        this_year = timezone.localdate().year
        return [year for year in self.years if year <= this_year]

    def topic_labels(self) -> list[str]:
        return [str(ActionTopic(topic).label) for topic in self.topics if topic in ActionTopic]

    # --- Validation -----------------------------------------------------------------------------

    def clean(self):
        super().clean()
        errors = {}
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            errors["ended_at"] = _("The end date cannot be before the start date.")
        if not self.topics:
            errors["topics"] = _("Choose at least one topic.")
        if self.location_type == LocationType.INTEGRATION_SPACE:
            if not self.location_address.strip():
                errors["location_address"] = _("Give the address of the integration space.")
            if self.location_commune_id is None:
                errors["location_commune"] = _("Give the commune of the integration space.")
            elif self.department_id and self.location_commune.department_id != self.department_id:
                errors["location_commune"] = _("The commune must be in the action's department.")
        if self.location_type == LocationType.OTHER and not self.location_other.strip():
            errors["location_other"] = _("Describe where the action takes place.")
        if errors:
            raise ValidationError(errors)


def check_operators(rows) -> list[str]:
    """Messages for a list of (organisation, is_principal) rows breaking the operator rules:
    at least one operator, each once, exactly one principal when there are several."""
    if not rows:
        return [str(_("Choose at least one operator."))]
    messages = []
    organizations = [organization.pk for organization, _principal in rows]
    if len(set(organizations)) != len(organizations):
        messages.append(str(_("An organisation can be an operator only once.")))
    principals = sum(1 for _organization, principal in rows if principal)
    if len(rows) > 1 and principals != 1:
        messages.append(str(_("Choose exactly one principal operator.")))
    return messages


class ActionOperator(models.Model):
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="operator_rows", verbose_name=_("action")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="action_operator_rows",
        verbose_name=_("organisation"),
    )
    is_principal = models.BooleanField(_("principal operator"), default=False)

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operators")
        ordering = ["-is_principal", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "organization"], name="actions_operator_unique"
            ),
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(is_principal=True),
                name="actions_operator_one_principal",
            ),
        ]

    def __str__(self):
        return str(self.organization)


class ActionFinance(models.Model):
    """Money of one type for one year. Restricted: `actions.perms.can_access_finances`."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="finances", verbose_name=_("action")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    finance_type = models.CharField(
        _("type of funding"), max_length=20, choices=FinanceType.choices
    )
    planned_amount = models.DecimalField(
        _("planned amount (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    spent_amount = models.DecimalField(
        _("spent amount (€)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("funding")
        verbose_name_plural = _("finances")
        ordering = ["year", "finance_type", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year", "finance_type"], name="actions_finance_unique"
            )
        ]

    def __str__(self):
        return f"{self.year} — {self.get_finance_type_display()}"

    def clean(self):
        super().clean()
        if self.action_id and self.year and self.year not in self.action.years:
            years = self.action.years
            raise ValidationError(
                {
                    "year": _("%(year)s is not a year of the action (%(first)s to %(last)s).")
                    % {"year": self.year, "first": years[0], "last": years[-1]}
                }
            )
        if self.planned_amount is None and self.spent_amount is None:
            raise ValidationError(_("Give a planned or a spent amount."))


def _count(label):
    return models.PositiveIntegerField(label, null=True, blank=True)


class ActionIndicators(models.Model):
    """The results of one year (rules between the counts: `actions.indicators`)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("action")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    people = _count(_("people"))
    households = _count(_("households"))
    women = _count(_("women"))
    minors = _count(_("minors"))
    health_coverage = _count(_("people with health coverage opened"))
    health_followed = _count(_("people followed for their health"))
    employed = _count(_("people in employment"))
    in_training = _count(_("people in training"))
    sheltered_people = _count(_("people sheltered"))
    sheltered_households = _count(_("households sheltered"))
    housed_people = _count(_("people housed"))
    housed_households = _count(_("households housed"))
    school_nursery = _count(_("minors in nursery school"))
    school_primary = _count(_("minors in primary school"))
    school_secondary = _count(_("minors in secondary school"))
    school_high = _count(_("minors in high school"))
    out_of_school = _count(_("minors out of school"))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("indicators")
        verbose_name_plural = _("indicators")
        ordering = ["year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["action", "year"], name="actions_indicators_unique")
        ]

    def __str__(self):
        return f"{self.action} — {self.year}"

    def values(self) -> dict:
        return {name: getattr(self, name) for name in indicators.FIELDS}

    @property
    def is_empty(self) -> bool:
        return all(value is None for value in self.values().values())

    @property
    def minors_in_school(self) -> int | None:
        known = [getattr(self, name) for name in indicators.SCHOOL_FIELDS]
        known = [value for value in known if value is not None]
        return sum(known) if known else None

    def clean(self):
        super().clean()
        errors = indicators.check(self.values(), self.year)
        if errors:
            raise ValidationError(errors)


class ActionRevision(models.Model):
    """A snapshot of the action after a change (`actions.history` diffs consecutive ones)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("action")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        verbose_name = _("action revision")
        verbose_name_plural = _("action revisions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.action} — {self.created_at:%d/%m/%Y %H:%M}"


class PilotRequest(models.Model):
    """A user asking to become a pilot; one of the action's pilots accepts or refuses."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="pilot_requests", verbose_name=_("action")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PilotRequestStatus.choices,
        default=PilotRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pilot request")
        verbose_name_plural = _("pilot requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "user"],
                condition=Q(status=PilotRequestStatus.PENDING),
                name="actions_pilot_request_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.action}"


class ActionExport(models.Model):
    """Who exported which actions, when (written before the file is sent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    file_format = models.CharField(_("format"), max_length=10)
    filters = models.TextField(_("filters"), blank=True)
    action_count = models.PositiveIntegerField(_("number of actions"))
    with_finances = models.BooleanField(_("with finances"), default=False)

    class Meta:
        verbose_name = _("action export")
        verbose_name_plural = _("action exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_format} — {self.action_count}"


class IndicatorReminder(models.Model):
    """A reminder sent to the pilots to fill in a year's indicators (first, then after 30 days):
    the record that makes the yearly reminder command idempotent."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("action")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    round = models.PositiveSmallIntegerField(_("round"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("indicator reminder")
        verbose_name_plural = _("indicator reminders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year", "round"], name="actions_reminder_unique"
            )
        ]

    def __str__(self):
        return f"{self.action} — {self.year} ({self.round})"
