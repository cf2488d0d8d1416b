"""Forms share their renderer: DSFR forms one of their own, every other form Django's."""

from django import forms
from dsfr.forms import DsfrBaseForm

CHOICES = [("a", "Alpha"), ("b", "Bravo")]


class DsfrChoices(DsfrBaseForm):
    letters = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)


class PlainChoices(forms.Form):
    letters = forms.MultipleChoiceField(choices=CHOICES, widget=forms.CheckboxSelectMultiple)


def test_dsfr_forms_share_one_renderer_and_its_compiled_templates():
    first, second = DsfrChoices(), DsfrChoices()
    assert first.renderer is second.renderer
    str(first)
    engine = first.renderer.engine.engine
    loader = engine.template_loaders[0]  # the cached loader keeps compiled templates
    compiled = dict(loader.get_template_cache)
    assert compiled
    str(second)
    assert dict(loader.get_template_cache) == compiled  # nothing compiled again


def test_dsfr_forms_keep_the_dsfr_widget_templates():
    html = str(DsfrChoices(data={"letters": ["zz"]}))
    assert 'class="fr-checkbox-group' in html
    assert 'class="fr-error-text"' in html or "fr-message--error" in html


def test_other_forms_keep_django_widget_templates():
    """The forms of Wagtail's admin are plain Django forms: no DSFR markup in their widgets."""
    html = str(PlainChoices()["letters"])
    assert "fr-checkbox-group" not in html and "fr-label" not in html
    assert '<label for="id_letters_0"><input type="checkbox"' in html
    assert PlainChoices().renderer is not DsfrChoices().renderer
