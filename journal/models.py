"""The site journal (docs/domain.md#the-site-journal): entries on a site, their tags, attachments,
revisions and reports.

Targets: an entry belongs to a site (`site`) or to a resorption action (`action`), exactly one
(a check constraint). `journal/targets.py` says what a target is (its department, title, pages);
`journal.perms` has one branch per target (the audience rules do not change, only where the
territory is read from: the site's commune, the action's department).

History: every edit stores the previous text, tags and audience in an `EntryRevision` (plain
rows rather than Wagtail revisions: entries are not pages or snippets edited in the admin).
Moderation: explicit `EntryState` (published / hidden with a reason); every decision is written
to Wagtail's audit log (`journal.services`).
"""

import secrets
from html import unescape

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet

from core.storage import private_storage
from directory.models import Department
from journal import markup, targets
from journal.enums import Audience, EntryState, ReportStatus


class Tag(models.Model):
    """A managed list of tags (a Wagtail snippet), seeded by a migration."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    is_active = models.BooleanField(
        _("offered to authors"),
        default=True,
        help_text=_("Tags no longer offered stay on the entries that have them."),
    )

    class Meta:
        verbose_name = _("journal tag")
        verbose_name_plural = _("journal tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


register_snippet(Tag)


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The entries `user` may read: the same rule as `journal.perms.can_read_entry`,
        computed by the database."""
        from journal import perms

        return self.filter(perms.readable_q(user))

    def for_display(self):
        """Everything a list of entries shows, in a constant number of queries."""
        return self.select_related(
            "author__organization",
            "hidden_by",
            "site__commune__department",
            "action__department",
        ).prefetch_related(
            "tags",
            "attachments",
            "audience_organizations",
            "audience_users__organization",
            # an action's readers and editors are its pilots and operators (journal.perms)
            "action__pilots",
            "action__operator_rows",
        )

    def with_open_reports(self):
        return self.annotate(
            has_open_reports=Exists(Report.objects.open().filter(entry=OuterRef("pk")))
        )

    def of_target(self, target):
        """The entries of a target's journal (a site or an action)."""
        return self.filter(**{targets.kind(target): target})

    def latest_per_action(self, count):
        """The `count` newest of these entries per action, newest first."""
        return (
            self.annotate(
                action_rank=Window(
                    RowNumber(),
                    partition_by=[F("action_id")],
                    order_by=[F("created_at").desc(), F("pk").desc()],
                )
            )
            .filter(action_rank__lte=count)
            .order_by("action_id", "-created_at", "-pk")
        )

    def in_stream(self, target, user):
        """The entries of a target's journal (a site or an action) as `user` sees them (the
        stream page, the target page's block and the API): those they may read, with what a
        list shows and whether reports are open, newest first."""
        return self.of_target(target).visible_to(user).for_display().with_open_reports()

    # --- The moderation queue ---

    def moderated_by(self, user):
        """The entries `user` moderates (JOURNAL_MODERATE on their site), hidden or not."""
        from journal import perms

        return self.filter(perms.moderation_q(user))

    def in_department(self, code):
        return self.filter(Q(site__commune__department_id=code) | Q(action__department_id=code))

    def departments(self):
        """The departments of these entries' targets, by code (the queue's filter)."""
        return Department.objects.filter(
            Q(code__in=self.filter(site__isnull=False).values("site__commune__department_id"))
            | Q(code__in=self.filter(action__isnull=False).values("action__department_id"))
        ).order_by("code")

    def reported(self):
        """The entries with at least one open report, newest first, ready to list."""
        return (
            self.filter(Exists(Report.objects.open().filter(entry=OuterRef("pk"))))
            .for_display()
            .order_by("-created_at")
        )

    def recently_hidden(self):
        """The hidden entries, the last hidden first, ready to list."""
        return self.filter(state=EntryState.HIDDEN).for_display().order_by("-hidden_at")


class Entry(models.Model):
    site = models.ForeignKey(
        "sitepages.SitePage",
        verbose_name=_("site"),
        on_delete=models.CASCADE,
        related_name="journal_entries",
        null=True,
        blank=True,
    )
    action = models.ForeignKey(
        "actions.Action",
        verbose_name=_("resorption action"),
        on_delete=models.CASCADE,
        related_name="journal_entries",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )
    text = models.TextField(_("message"))
    text_html = models.TextField(editable=False, default="")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="entries")
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.SITE_READERS
    )
    audience_organizations = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organisations"),
        blank=True,
        related_name="+",
    )
    audience_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("users"), blank=True, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=EntryState.choices, default=EntryState.PUBLISHED
    )
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("posted at"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["site", "-created_at"], name="journal_entry_site_idx"),
            models.Index(fields=["action", "-created_at"], name="journal_entry_action_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(site__isnull=False, action__isnull=True)
                | Q(site__isnull=True, action__isnull=False),
                name="journal_entry_one_target",
            ),
            models.CheckConstraint(
                condition=Q(state=EntryState.PUBLISHED) | ~Q(hidden_reason=""),
                name="journal_entry_hidden_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.target} — {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        self.text_html = markup.render(self.text)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "text" in update_fields:
            kwargs["update_fields"] = {*update_fields, "text_html"}
        super().save(*args, **kwargs)

    @property
    def html(self):
        return markup.safe(self.text_html)

    @property
    def plain_text(self) -> str:
        """The message as read, without its Markdown (for previews)."""
        return " ".join(unescape(strip_tags(self.text_html or self.text)).split())

    @property
    def is_hidden(self) -> bool:
        return self.state == EntryState.HIDDEN

    @property
    def is_private(self) -> bool:
        return self.audience != Audience.SITE_READERS

    @property
    def target(self):
        """The site or the action whose journal holds this entry."""
        return self.site if self.site_id else self.action

    @property
    def department(self):
        return targets.department(self.target)

    @property
    def target_title(self) -> str:
        return targets.title(self.target)

    def get_absolute_url(self):
        return reverse("journal:entry", args=[self.pk])


class EntryRevision(models.Model):
    """The state of an entry before one edit (the entry itself holds the current state)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField()
    tags = models.JSONField(default=list)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    audience_organizations = models.JSONField(default=list)
    audience_users = models.JSONField(default=list)
    #: names of the attachments the author removed with this edit
    removed_attachments = models.JSONField(default=list, blank=True)
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("journal entry revision")
        verbose_name_plural = _("journal entry revisions")
        ordering = ["-replaced_at", "-pk"]

    @property
    def html(self):
        return markup.safe(markup.render(self.text))


def attachment_path(instance, filename):
    """A non-guessable storage name; the extension comes from the detected content type."""
    return f"journal/{timezone.now():%Y/%m}/{secrets.token_urlsafe(24)}.{instance.extension}"


class Attachment(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=attachment_path, storage=private_storage, max_length=200
    )
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["pk"]

    def __str__(self):
        return self.name

    @property
    def extension(self) -> str:
        return self.name.rpartition(".")[2] or "bin"

    def get_absolute_url(self):
        return reverse("journal:attachment", args=[self.pk])


class ReportQuerySet(models.QuerySet):
    def open(self):
        """The reports waiting for a moderator's decision."""
        return self.filter(status=ReportStatus.OPEN)


class Report(models.Model):
    """A reader's report of an entry, waiting in the moderation queue."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_reports"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "reporter"],
                condition=Q(status=ReportStatus.OPEN),
                name="journal_one_open_report_per_reader",
            )
        ]


class JournalExport(models.Model):
    """Who exported which journal messages, when.

    Every export is logged: docs/domain.md#exports-and-dashboard."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="journal_exports",
    )
    created_at = models.DateTimeField(_("exported at"), auto_now_add=True, db_index=True)
    file_format = models.CharField(_("format"), max_length=10)
    site = models.ForeignKey(
        "sitepages.SitePage",
        verbose_name=_("site"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    filters = models.TextField(_("filters"), blank=True)
    entry_count = models.PositiveIntegerField(_("number of messages"))

    class Meta:
        verbose_name = _("journal export")
        verbose_name_plural = _("journal exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_format} — {self.entry_count}"
