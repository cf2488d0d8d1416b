"""Form rendering shared by the whole platform."""

from functools import cache

from dsfr.forms import DsfrBaseForm, DsfrDjangoTemplates


@cache
def dsfr_renderer() -> DsfrDjangoTemplates:
    """The one renderer of DSFR forms in this process (its template engine caches templates)."""
    return DsfrDjangoTemplates()


def share_dsfr_renderer() -> None:
    """Give every DSFR form the same renderer.

    django-dsfr's `DsfrBaseForm.default_renderer` returns the renderer *class* while
    FORM_RENDERER keeps Django's default, so Django built a new renderer, hence a new template
    engine with an empty cache, for every form instance: each form compiled its templates again
    (the site edit form spent a third of its time there). Setting FORM_RENDERER to django-dsfr's
    renderer would share one, but it would also render the forms of Wagtail's admin with the DSFR
    widget templates (checkbox and radio lists, error lists). So DSFR forms get one renderer of
    their own and every other form keeps Django's (FORM_RENDERER unset).
    """
    DsfrBaseForm.default_renderer = dsfr_renderer()
