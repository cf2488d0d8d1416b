"""The journal export form: where, when, which format."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from dsfr.forms import DsfrBaseForm

from directory.fields import TerritoryField
from sitepages.forms.fields import DateInput
from sitepages.models import SiteExport


class JournalExportForm(DsfrBaseForm):
    territoire = TerritoryField(
        label=_("Territory"),
        help_text=_(
            "A region, a department, an EPCI or a commune. Empty: every site you may export."
        ),
        required=False,
    )
    since = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter a valid date.")},
    )
    until = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=DateInput,
        error_messages={"invalid": _("Enter a valid date.")},
    )
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

    def __init__(self, *args, site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if site is not None:
            del self.fields["territoire"]  # one site: its journal only

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        today = timezone.localdate()
        if since and since > today:
            self.add_error("since", _("The day cannot be in the future."))
        if since and until and until < since:
            self.add_error("until", _("The end cannot be before the start."))
        return data
