"""Journal forms (DSFR). Views pass the site and the author: the audience choices and the
people and organisations offered come from `journal.perms` and the site's territory."""

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils.functional import lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from directory.models import Organization, User
from journal import files, perms, targets
from journal.enums import Audience, audience_label
from journal.models import Tag
from journal.notifications import territory_users
from journal.widgets import AudienceInput, AudienceUsersWidget, person_label

TEXT_MAX_LENGTH = 10_000
REASON_MAX_LENGTH = 2_000


def lazystr(function):
    return lazy(function, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    group_class = "fr-upload-group"


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        widget = MultipleFileInput(attrs={"accept": files.ACCEPT, "class": "fr-upload"})
        kwargs.setdefault("widget", widget)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        uploads = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(upload, initial) for upload in uploads]


@lazystr
def _attachments_help():
    return gettext(
        "Optional. PDF, images (PNG, JPEG, GIF, WebP) or office documents (Word, Excel, "
        "PowerPoint, OpenDocument), %(max)s MB at most each, %(count)s files at most."
    ) % {"max": files.MAX_SIZE // (1024 * 1024), "count": files.MAX_FILES}


class RemoveAttachmentsField(forms.ModelMultipleChoiceField):
    """One DSFR checkbox per attachment already on the entry, labelled with the file name."""

    def __init__(self, queryset, **kwargs):
        super().__init__(
            queryset=queryset,
            label=_("Attachments of the message"),
            help_text=_("Tick the files to delete when saving."),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def label_from_instance(self, obj):
        return gettext("Delete “%(name)s”") % {"name": obj.name}


class AudienceUsersField(forms.ModelMultipleChoiceField):
    """The chosen users of a private message, from `AudienceUsersWidget`: ticked ids and typed
    email addresses, both resolved against the same queryset (the site's territory but the
    author), so a forged id or an address outside it is refused."""

    widget = AudienceUsersWidget
    default_error_messages = {
        "invalid_choice": _("A chosen user is not among the users of the site’s territory."),
        "invalid_pk_value": _("A chosen user is not among the users of the site’s territory."),
    }
    #: The typed addresses are split on commas, semicolons, spaces and line breaks.
    SEPARATORS = re.compile(r"[\s,;]+")

    def configure(self, *, queryset, site):
        self.queryset = queryset
        self.widget.queryset = queryset
        self.widget.site = site

    def clean(self, value):
        if not isinstance(value, AudienceInput):
            value = AudienceInput(ids=tuple(str(item) for item in value or ()))
        # PostgreSQL refuses NUL in text: a form error, not a 500.
        for text in (value.emails, *value.ids):
            ProhibitNullCharactersValidator()(text)
        pks = set()
        if value.ids:
            pks.update(user.pk for user in self._check_values(list(value.ids)))
        emails = list(
            dict.fromkeys(email.lower() for email in self.SEPARATORS.split(value.emails) if email)
        )
        if emails:
            found = dict(
                self.queryset.annotate(email_lower=Lower("email"))
                .filter(email_lower__in=emails)
                .values_list("email_lower", "pk")
            )
            unknown = [email for email in emails if email not in found]
            if unknown:
                raise forms.ValidationError(
                    ngettext(
                        "No user of the site’s territory has this email address: %(emails)s.",
                        "No user of the site’s territory has these email addresses: %(emails)s.",
                        len(unknown),
                    ),
                    code="unknown_emails",
                    params={"emails": ", ".join(unknown)},
                )
            pks.update(found.values())
        if not pks:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        return self.queryset.filter(pk__in=pks)

    def has_changed(self, initial, data):
        if not isinstance(data, AudienceInput):
            return super().has_changed(initial, data)
        if data.emails.strip():
            return True
        return super().has_changed(initial, list(data.ids))


class EntryForm(DsfrBaseForm):
    text = forms.CharField(
        label=_("Message"),
        help_text=_(
            "Leave an empty line between paragraphs. Lists: start lines with “- ”. "
            "Bold: **text**. Links: [text](https://…). No personal data about inhabitants."
        ),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your message.")},
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Tags"),
        queryset=Tag.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    audience = forms.ChoiceField(
        label=_("Who may read this message?"),
        widget=forms.RadioSelect,
        initial=Audience.SITE_READERS,
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Chosen organisations"),
        help_text=_("Only for the audience “chosen organisations and users”."),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    users = AudienceUsersField(
        label=_("Chosen users"),
        help_text=_("Only for the audience “chosen organisations and users”."),
        queryset=User.objects.none(),
        required=False,
    )
    attachments = MultipleFileField(
        label=_("Attachments"), help_text=_attachments_help(), required=False
    )

    def __init__(
        self,
        *args,
        author,
        target=None,
        site=None,
        existing_attachments=0,
        attachments=None,
        **kwargs,
    ):
        """`target`: the site or action whose journal it is (`site=` is the same, for a site).
        `attachments`: the edited entry's attachments (a queryset), each offered for removal;
        only those can be chosen, so a forged identifier of another entry's file is refused."""
        super().__init__(*args, **kwargs)
        site = target if target is not None else site
        self.site = self.target = site
        self.author = author
        self.existing_attachments = existing_attachments
        if attachments is not None:
            self.existing_attachments = len(attachments)
            if attachments:
                self.fields["remove_attachments"] = RemoveAttachmentsField(attachments)
                self.order_fields([name for name in self.fields if name != "attachments"])
        allowed = perms.allowed_audiences(author, site)
        self.fields["audience"].choices = [
            (value, audience_label(value, is_action=targets.is_action(site)))
            for value in Audience.values
            if value in allowed
        ]
        if Audience.CHOSEN in allowed:
            people = audience_users(site, author)
            self.fields["users"].configure(queryset=people, site=site)
            self.fields["organizations"].queryset = Organization.objects.active().filter(
                Exists(people.filter(organization_id=OuterRef("pk")))
            )
        else:
            del self.fields["organizations"]
            del self.fields["users"]

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        errors = []
        for upload in uploads:
            try:
                files.check_upload(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return uploads

    def clean(self):
        cleaned_data = super().clean()
        uploads = cleaned_data.get("attachments") or []
        removed = cleaned_data.get("remove_attachments") or []
        kept = self.existing_attachments - len(removed)
        if uploads and kept + len(uploads) > files.MAX_FILES:
            if kept:
                message = _(
                    "%(count)s attachments at most per message: it keeps %(kept)s, so add "
                    "%(free)s at most or delete some."
                ) % {"count": files.MAX_FILES, "kept": kept, "free": max(files.MAX_FILES - kept, 0)}
            else:
                message = _("%(count)s attachments at most per message.") % {
                    "count": files.MAX_FILES
                }
            self.add_error("attachments", message)
        if cleaned_data.get("audience") == Audience.CHOSEN and not (
            cleaned_data.get("organizations") or cleaned_data.get("users")
        ):
            self.add_error("organizations", _("Choose at least one organisation or one user."))
        if uploads and self._errors and "attachments" not in self._errors:
            # A browser never sends files back: say so, naming them, rather than lose them quietly.
            self.add_error(
                "attachments",
                ngettext(
                    "The message was not sent, so its file was not kept: attach it again "
                    "(%(names)s).",
                    "The message was not sent, so its files were not kept: attach them again "
                    "(%(names)s).",
                    len(uploads),
                )
                % {"names": ", ".join(upload.name for upload in uploads)},
            )
        return cleaned_data

    def entry_data(self) -> dict:
        """The valid input as the keyword arguments of `journal.services.post_entry` (and, with
        the attachments to remove, of `edit_entry`): the page and the API post alike."""
        data = self.cleaned_data
        return {
            "text": data["text"],
            "audience": data["audience"],
            "tags": data["tags"],
            "organizations": data.get("organizations") or [],
            "users": data.get("users") or [],
            "uploads": data["attachments"],
        }


def audience_users(site, author):
    """The users `author` may choose for a private message on `site` — a site or an action —
    (what `EntryForm` validates against and the `journal:audience_users` endpoint searches)."""
    return territory_users(site).exclude(pk=author.pk).order_by("last_name", "first_name", "pk")


_person_label = person_label


class ReasonForm(DsfrBaseForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason.")},
    )

    def __init__(self, *args, label=None, help_text=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if help_text:
            self.fields["reason"].help_text = help_text


class DepartmentFilterForm(DsfrBaseForm):
    departement = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", _("All my departments"))] + [
            (department.code, f"{department.code} — {department.name}")
            for department in departments
        ]
