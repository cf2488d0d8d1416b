"""Form widgets of the journal: the chosen users of a private message.

`AudienceUsersWidget` renders only the users already chosen (one checked checkbox each) and one
text input. Without JavaScript, that input takes email addresses (comma- or line-separated) that
`journal.forms.AudienceUsersField` resolves on the server. `static/js/audience-autocomplete.js`
turns it into a search (ARIA 1.2 combobox with a listbox popup) over the `journal:audience_users`
endpoint: each pick adds a checked checkbox. The page never lists the whole territory.
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _

from journal import targets

#: Shortest query the endpoint answers; also announced by the script.
MIN_QUERY_LENGTH = 2
#: Most suggestions the endpoint returns.
MAX_RESULTS = 20


@dataclass(frozen=True)
class AudienceInput:
    """What the widget posts: the ticked user ids and the typed email addresses (raw text)."""

    ids: tuple = ()
    emails: str = ""


def person_label(user) -> str:
    """“First Last (ORG)”: the label of a user in the audience choices and suggestions."""
    organization = (
        user.organization.abbreviation or user.organization.name if user.organization else ""
    )
    return f"{user.get_full_name()} ({organization})" if organization else user.get_full_name()


class AudienceUsersWidget(forms.Widget):
    """The chosen users as checkboxes plus an email/search input. `site` and `queryset` are set
    by the field (`AudienceUsersField.configure`): the queryset gives the labels of the chosen
    users, only those are loaded.

    The page must include the form's media (`{{ form.media }}`): the script and its stylesheet.
    """

    template_name = "journal/widgets/audience_users.html"
    emails_suffix = "_emails"

    class Media:
        css = {"all": ["css/combobox.css"]}
        js = ["js/combobox.js", "js/audience-autocomplete.js"]

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.queryset = None
        self.site = None

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        if isinstance(ids, str | int):
            ids = [ids]
        return AudienceInput(
            ids=tuple(str(value) for value in ids),
            emails=data.get(name + self.emails_suffix) or "",
        )

    def value_omitted_from_data(self, data, files, name):
        # Like checkboxes: nothing ticked posts nothing, which means "nobody".
        return False

    def format_value(self, value):
        return value

    def _selected(self, value) -> tuple[list, str]:
        if isinstance(value, AudienceInput):
            ids, emails = value.ids, value.emails
        else:
            ids, emails = value or [], ""
        pks = []
        for item in ids:
            pk = getattr(item, "pk", item)
            if str(pk).isdigit():
                pks.append(int(pk))
        if not pks or self.queryset is None:
            return [], emails
        return list(self.queryset.filter(pk__in=pks)), emails

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        selected, emails = self._selected(value)
        base_id = widget["attrs"].get("id") or name
        hint_id = f"{base_id}_emails_hint"
        described_by = " ".join(
            part for part in (widget["attrs"].get("aria-describedby", ""), hint_id) if part
        )
        widget["attrs"] = {"class": "fr-input", **widget["attrs"], "aria-describedby": described_by}
        widget.update(
            emails_name=name + self.emails_suffix,
            emails_value=emails,
            chosen=[
                {
                    "id": user.pk,
                    "label": person_label(user),
                    "input_id": f"{base_id}_user_{user.pk}",
                }
                for user in selected
            ],
            chosen_id=f"{base_id}_chosen",
            listbox_id=f"{base_id}_listbox",
            status_id=f"{base_id}_status",
            hint_id=hint_id,
            search_hint_id=f"{base_id}_search_hint",
            url=targets.audience_users_url(self.site) if self.site else "",
            min_chars=MIN_QUERY_LENGTH,
            messages={
                "emails_hint": _(
                    "Type their email addresses, separated by commas or line breaks. "
                    "Untick a user to remove them."
                ),
                "search_hint": _(
                    "Type at least %(count)d characters of a name, an email address or an "
                    "organisation, then choose a user in the list with the up and down arrow "
                    "keys and Enter."
                )
                % {"count": MIN_QUERY_LENGTH},
                "chosen": _("Chosen users"),
                "remove": _("Remove"),
                "too_short": _("Type at least %(count)d characters.") % {"count": MIN_QUERY_LENGTH},
                "none": _("No user found."),
                "one": _("1 suggestion available."),
                # {count} and {label} are replaced by the script.
                "many": _("{count} suggestions available."),
                "added": _("{label} added."),
                "removed": _("{label} removed."),
                "already": _("{label} is already chosen."),
                "error": _("The search is unavailable for now. Try again in a moment."),
                "listbox": _("Suggested users"),
            },
        )
        return context

    def id_for_label(self, id_):
        return id_
