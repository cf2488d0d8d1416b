"""Access to the platform: permission exceptions, the charter of engagement, access requests."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import RichTextField

from directory.enums import AccessRequestStatus, OrganizationCategory, TerritoryLevel
from directory.models.territories import territory_of
from directory.permission_matrix import Feature, Scope


class PermissionException(models.Model):
    """Overrides the role default for one (entity, feature) pair, for a user or an organisation.

    `scope` is "none" (denied), "local" (within the intervention areas) or "national".
    """

    user = models.ForeignKey(
        "directory.User",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="permission_exceptions",
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="permission_exceptions",
    )
    feature = models.CharField(_("feature"), max_length=64, choices=Feature.choices)
    scope = models.CharField(_("scope"), max_length=8, choices=Scope.choices)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("permission exception")
        verbose_name_plural = _("permission exceptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, organization__isnull=True)
                    | models.Q(user__isnull=True, organization__isnull=False)
                ),
                name="permission_exception_one_owner",
            ),
            models.UniqueConstraint(
                fields=["user", "feature"], name="permission_exception_unique_user_feature"
            ),
            models.UniqueConstraint(
                fields=["organization", "feature"],
                name="permission_exception_unique_organization_feature",
            ),
        ]

    def __str__(self):
        return f"{self.user or self.organization}: {self.feature} → {self.scope}"


class CharterVersionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(published_at__lte=timezone.now()).order_by("-version").first()


class CharterVersion(models.Model):
    """A version of the charter of engagement; every user accepts the current one."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects = CharterVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("charter version")
        verbose_name_plural = _("charter versions")
        ordering = ["-version"]

    def __str__(self):
        return f"{self.title} (v{self.version})"


class AccessRequest(models.Model):
    """A request to join the platform, filled in by anyone, decided by an administrator."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email address"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=200)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_requests",
    )
    new_organization_name = models.CharField(
        _("name of the new organisation"), max_length=255, blank=True
    )
    new_organization_category = models.CharField(
        _("category of the new organisation"),
        max_length=32,
        choices=OrganizationCategory.choices,
        blank=True,
    )
    new_organization_type = models.ForeignKey(
        "directory.OrganizationType",
        verbose_name=_("type of the new organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    territory_level = models.CharField(
        _("territory level"), max_length=16, choices=TerritoryLevel.choices
    )
    region = models.ForeignKey(
        "directory.Region", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    epci = models.ForeignKey(
        "directory.Epci", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        "directory.Commune", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason for the request"), max_length=3000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AccessRequestStatus.choices,
        default=AccessRequestStatus.PENDING,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "directory.User",
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    user = models.OneToOneField(
        "directory.User",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_request",
    )
    activation_sent_at = models.DateTimeField(_("activation link sent at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    admin_reminders_sent = models.PositiveSmallIntegerField(default=0)
    user_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    expiry_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def territory(self):
        return territory_of(self, self.territory_level)

    @property
    def organization_label(self):
        return str(self.organization) if self.organization else self.new_organization_name
