"""A site's resorption process: whether the site is engaged in one, and its preparatory phases
(docs/domain.md#sites).

One table, `PHASES`, says for each phase where its date and its "done" flag live and how the
database tells that it is done; the page, the filter and the export read it. The social
diagnosis is the site's own (`social_diagnosis_*`, done when its status is "done"); the other
phases have a date and a done flag of their own, asked only while the site is engaged.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sitepages.enums import ResorptionPhase, SocialDiagnosisStatus


@dataclass(frozen=True)
class Phase:
    key: ResorptionPhase
    date_field: str
    #: The flag field (a boolean of its own), or None when `done_q` reads another answer.
    done_field: str | None
    done_q: Q

    @property
    def label(self):
        return self.key.label

    def is_done(self, site) -> bool:
        if self.done_field is None:
            return site.social_diagnosis_status == SocialDiagnosisStatus.DONE
        return bool(getattr(site, self.done_field))


def _own(key: ResorptionPhase) -> Phase:
    return Phase(key, f"{key.value}_at", f"{key.value}_done", Q(**{f"{key.value}_done": True}))


PHASES = [
    Phase(
        ResorptionPhase.SOCIAL_DIAGNOSIS,
        "social_diagnosis_at",
        None,
        Q(social_diagnosis_status=SocialDiagnosisStatus.DONE),
    ),
    _own(ResorptionPhase.TECHNICAL_DIAGNOSIS),
    _own(ResorptionPhase.SOCIAL_ASSESSMENT),
    _own(ResorptionPhase.POLITICAL_VALIDATION),
]
PHASES_BY_KEY = {phase.key.value: phase for phase in PHASES}

#: The phases' own fields (the social diagnosis's are in `SOCIAL_DIAGNOSIS_FIELDS`), in order.
PHASE_FIELDS = [
    name for phase in PHASES if phase.done_field for name in (phase.done_field, phase.date_field)
]

#: Everything of the process, in the form's order (the target year first).
RESORPTION_FIELDS = ["resorption_target_year", "resorption_process", *PHASE_FIELDS]

DONE, PLANNED, TO_DO = "done", "planned", "to_do"
STATE_LABELS = {
    DONE: _("Done"),
    PLANNED: _("Planned"),
    TO_DO: _("Not started"),
}
STATE_BADGES = {DONE: "fr-badge--success", PLANNED: "fr-badge--info", TO_DO: ""}


def phase_states(site) -> list[dict]:
    """The phases of an engaged site as the page shows them: label, state, badge and date."""
    rows = []
    for phase in PHASES:
        date = getattr(site, phase.date_field)
        state = DONE if phase.is_done(site) else PLANNED if date else TO_DO
        rows.append(
            {
                "key": phase.key.value,
                "label": phase.label,
                "state": state,
                "state_label": STATE_LABELS[state],
                "badge": STATE_BADGES[state],
                "date": date,
            }
        )
    return rows


def progress(site) -> tuple[int, int]:
    """(phases done, phases) of a site."""
    return sum(phase.is_done(site) for phase in PHASES), len(PHASES)


def validate(site, error, today: datetime.date) -> None:
    """A phase marked done happened: its date is not to come."""
    for phase in PHASES:
        if phase.done_field is None:
            continue  # the social diagnosis has its own rules (validation.validate_site)
        date = getattr(site, phase.date_field)
        if getattr(site, phase.done_field) and date and date > today:
            error(phase.date_field, _("A phase already done cannot have a date to come."))


# --- The list's filter -----------------------------------------------------------------------

#: `demarche` values of the site list, the map and the API: (label, condition).
NOT_ENGAGED = "non"
ENGAGED = "engagee"
FILTER_CHOICES = {
    NOT_ENGAGED: (_("Not engaged in a resorption process"), Q(resorption_process=False)),
    ENGAGED: (_("Engaged in a resorption process"), Q(resorption_process=True)),
}
_DONE_LABELS = {
    ResorptionPhase.SOCIAL_DIAGNOSIS: _("Social diagnosis done"),
    ResorptionPhase.TECHNICAL_DIAGNOSIS: _("Technical diagnosis done"),
    ResorptionPhase.SOCIAL_ASSESSMENT: _("Social assessment done"),
    ResorptionPhase.POLITICAL_VALIDATION: _("Political validation done"),
}
for _phase in PHASES:
    FILTER_CHOICES[_phase.key.value] = (
        _DONE_LABELS[_phase.key],
        Q(resorption_process=True) & _phase.done_q,
    )
