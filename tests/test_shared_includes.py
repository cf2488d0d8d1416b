"""The shared template includes of the UI kit (templates/includes/): the form error summary and
the pagination every list uses."""

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


class NameForm(forms.Form):
    name = forms.CharField(label="Nom")

    def clean(self):
        if self.cleaned_data.get("name") == "refusé":
            raise forms.ValidationError("Ce nom est refusé.")
        return self.cleaned_data


def errors_html(form, **extra):
    return render_to_string("includes/form_errors.html", {"form": form, **extra})


def test_no_summary_without_errors():
    assert errors_html(NameForm()).strip() == ""
    assert errors_html(NameForm({"name": "Camille"})).strip() == ""


def test_field_errors_send_to_the_fields_below():
    html = errors_html(NameForm({"name": ""}))
    assert 'role="alert"' in html and 'id="form-errors"' in html
    assert "Le formulaire contient des erreurs" in html
    assert "Merci de corriger les champs signalés ci-dessous." in html
    assert "<a href" not in html


def test_form_wide_errors_are_shown():
    html = errors_html(NameForm({"name": "refusé"}))
    assert "<p>Ce nom est refusé.</p>" in html
    assert "Merci de corriger" not in html


def test_public_forms_link_every_error_to_its_field():
    html = errors_html(NameForm({"name": ""}), error_links=True)
    assert '<a href="#id_name">Nom : Champ requis.</a>' in html
    html = errors_html(NameForm({"name": "refusé"}), error_links=True)
    assert "<li>Ce nom est refusé.</li>" in html


def test_a_formset_error_shows_the_summary():
    html = errors_html(NameForm(), formset_errors=["Une ligne de trop."])
    assert "Le formulaire contient des erreurs" in html


def pagination_html(number, *, count=100, elided=True, query="?statut=ouvert"):
    page_obj = Paginator(range(count), 10).get_page(number)
    if elided:
        page_obj.pages_list = list(
            page_obj.paginator.get_elided_page_range(number, on_each_side=1, on_ends=1)
        )
    request = RequestFactory().get(f"/liste/{query}")
    return render_to_string("includes/pagination.html", {"page_obj": page_obj}, request=request)


def test_no_pagination_for_one_page():
    assert pagination_html(1, count=10).strip() == ""


@pytest.mark.parametrize("elided", [True, False])
def test_pagination_keeps_the_filters_and_marks_the_dead_ends(elided):
    html = pagination_html(1, elided=elided)
    assert 'class="fr-pagination"' in html and 'aria-label="Pagination"' in html
    first = html.split("Première page")[0].rsplit("<a", 1)[1]
    assert 'aria-disabled="true"' in first and 'role="link"' in first and "href" not in first
    assert 'href="?statut=ouvert&amp;page=2"' in html  # the next page, filters kept
    assert 'href="?statut=ouvert&amp;page=10"' in html  # the last page
    if elided:
        assert 'aria-current="page"' in html and 'title="Page 1"' in html
        assert "…" in html
    else:
        assert "1 / 10" in html


def test_the_last_page_has_no_next_link():
    html = pagination_html(10, query="")
    last = html.split("Dernière page")[0].rsplit("<a", 1)[1]
    assert 'aria-disabled="true"' in last and "href" not in last
    assert 'href="?page=9"' in html
