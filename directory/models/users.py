from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.contrib.auth.models import BaseUserManager as DjangoBaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.enums import Role, Topic, UserOption, UserStatus
from directory.models.areas import InterventionArea
from directory.models.territories import normalize_name


class UserQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, status=UserStatus.ACTIVE)

    def acting_in(self, territory):
        """The users whose own areas lie in `territory` or hold it, or, for those without own
        areas, whose organisation's do (`InterventionAreaQuerySet.acting_in`)."""
        own_areas = InterventionArea.objects.filter(user_id=models.OuterRef("pk"))
        organization_areas = InterventionArea.objects.acting_in(territory).filter(
            organization_id=models.OuterRef("organization_id")
        )
        return self.filter(
            models.Q(models.Exists(own_areas.acting_in(territory)))
            | (~models.Q(models.Exists(own_areas)) & models.Q(models.Exists(organization_areas)))
        )

    def for_directory(self):
        """As the directory lists them, by name: their organisation, their own areas
        (`own_areas`) and their organisation's (`organization.organization_areas`), in a
        constant number of queries."""
        return (
            self.select_related("organization")
            .prefetch_related(
                models.Prefetch(
                    "intervention_areas",
                    queryset=InterventionArea.objects.with_territories(),
                    to_attr="own_areas",
                ),
                models.Prefetch(
                    "organization__intervention_areas",
                    queryset=InterventionArea.objects.with_territories(),
                    to_attr="organization_areas",
                ),
            )
            .order_by("last_name", "first_name", "pk")
        )

    def search(self, query: str):
        normalized = normalize_name(query)
        if not normalized:
            return self
        return self.filter(search_name__contains=normalized)


class UserManager(DjangoBaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        # Emails are matched without regard to case: "Agent@Prefecture.fr" logs in as well.
        return self.get(email__iexact=username)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.NATIONAL_ADMIN)
        extra_fields.setdefault("status", UserStatus.ACTIVE)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A platform account. The email address is the login."""

    email = models.EmailField(_("email address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.OBSERVATEUR_EXTERNE
    )
    status = models.CharField(
        _("status"), max_length=16, choices=UserStatus.choices, default=UserStatus.NEW
    )
    options = ArrayField(
        models.CharField(max_length=32, choices=UserOption.choices),
        verbose_name=_("options"),
        default=list,
        blank=True,
    )
    expertise_topics = ArrayField(
        models.CharField(max_length=32, choices=Topic.choices),
        verbose_name=_("expertise topics"),
        default=list,
        blank=True,
    )
    interest_topics = ArrayField(
        models.CharField(max_length=32, choices=Topic.choices),
        verbose_name=_("interest topics"),
        default=list,
        blank=True,
    )
    admin_comments = models.TextField(
        _("comments of the administrators"),
        blank=True,
        help_text=_("Only visible to administrators."),
    )
    charter_version_accepted = models.PositiveIntegerField(
        _("version of the charter accepted"), null=True, blank=True
    )
    charter_accepted_at = models.DateTimeField(_("charter accepted at"), null=True, blank=True)
    last_access = models.DateTimeField(_("last access"), null=True, blank=True)
    inactivity_warned_at = models.DateTimeField(_("warned of inactivity at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed by its owner at"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    search_name = models.CharField(max_length=400, editable=False, default="")
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Designates whether the user can log into the administration."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    def set_password(self, raw_password):
        super().set_password(raw_password)
        # The next save ends every session of the account (directory/signals.py).
        self._password_replaced = True

    def set_unusable_password(self):
        super().set_unusable_password()
        self._password_replaced = True

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]
        indexes = [
            models.Index(OpClass("search_name", name="varchar_pattern_ops"), name="user_search_idx")
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def save(self, *args, **kwargs):
        if self.email:
            self.email = self.email.strip().lower()
        self.search_name = normalize_name(f"{self.first_name} {self.last_name} {self.email}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"first_name", "last_name", "email"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @property
    def is_admin(self) -> bool:
        return self.is_superuser or self.role in (Role.NATIONAL_ADMIN, Role.LOCAL_ADMIN)
