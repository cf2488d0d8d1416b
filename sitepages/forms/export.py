"""The export form: format, sections, and an optional past day."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from dsfr.forms import DsfrBaseForm

from sitepages.export import available_sections
from sitepages.forms.fields import DateInput
from sitepages.models import SiteExport

EARLIEST_DAY = datetime.date(2010, 1, 1)


class SiteExportForm(DsfrBaseForm):
    file_format = forms.ChoiceField(
        label=_("File format"),
        choices=[
            (SiteExport.Format.XLSX, _("Excel (XLSX)")),
            (SiteExport.Format.CSV, _("CSV (semicolon-separated, UTF-8)")),
        ],
        initial=SiteExport.Format.XLSX,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a file format.")},
    )
    sections = forms.MultipleChoiceField(
        label=_("Sections to export"),
        help_text=_("The site identifier is always exported."),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one section.")},
    )
    as_of = forms.DateField(
        label=_("As of"),
        help_text=_(
            "Leave empty for the sites as they are today. With a past day, each site is exported "
            "as it was at the end of that day, with its status of that day; the other filters "
            "apply to today's data."
        ),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter a valid date.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        sections = available_sections(user)
        self.fields["sections"].choices = [(section.key, section.label) for section in sections]
        self.fields["sections"].initial = [section.key for section in sections if section.default]

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day is None:
            return None
        if day > timezone.localdate():
            raise forms.ValidationError(_("The day cannot be in the future."))
        if day < EARLIEST_DAY:
            earliest = EARLIEST_DAY.strftime("%d/%m/%Y")
            raise forms.ValidationError(
                _("The day cannot be earlier than %(day)s.") % {"day": earliest}
            )
        if day == timezone.localdate():
            return None  # today: the current data
        return day
