"""A site's resorption process (issue 21, part 6): engaged or not, its preparatory phases each
with a date and a done flag — validated, kept in the history, shown on the page, filterable on
the list, the map's data and the API, exported."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.enums import Role
from sitepages import resorption
from sitepages.enums import SocialDiagnosisStatus
from sitepages.models import SitePage
from tests.api.support import api_client
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.edit_support import page_payload, site_in, user_with
from tests.sitepages.list_factories import bulk_sites

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.date:
    """n days from the day the test runs (negative: in the past)."""
    return timezone.localdate() + datetime.timedelta(days=n)


def engaged(**phases) -> dict:
    return {"resorption_process": True, **phases}


# --- Rules ---------------------------------------------------------------------------------------


def test_the_phases_are_cleared_when_the_site_is_not_engaged():
    site = site_in(**engaged(technical_diagnosis_done=True, technical_diagnosis_at=days(-3)))
    site.resorption_process = False
    site.full_clean()
    assert site.technical_diagnosis_done is False and site.technical_diagnosis_at is None


def test_a_phase_done_cannot_have_a_date_to_come():
    site = site_in(**engaged(political_validation_done=True, political_validation_at=days(-5)))
    site.political_validation_at = days(5)
    with pytest.raises(ValidationError) as raised:
        site.full_clean()
    assert raised.value.message_dict["political_validation_at"] == [
        "Une phase déjà réalisée ne peut pas avoir une date à venir."
    ]


def test_a_planned_phase_may_have_a_date_to_come_and_a_done_one_a_past_date():
    site = site_in(
        **engaged(
            technical_diagnosis_done=True,
            technical_diagnosis_at=days(-10),
            social_assessment_at=days(20),
        )
    )
    site.full_clean()
    states = {row["key"]: row["state"] for row in resorption.phase_states(site)}
    assert states == {
        "social_diagnosis": resorption.TO_DO,
        "technical_diagnosis": resorption.DONE,
        "social_assessment": resorption.PLANNED,
        "political_validation": resorption.TO_DO,
    }


def test_the_social_diagnosis_phase_is_the_sites_own_social_diagnosis():
    site = site_in(
        social_diagnosis_status=SocialDiagnosisStatus.DONE,
        social_diagnosis_at=days(-30),
        **engaged(),
    )
    assert resorption.progress(site) == (1, 4)
    assert resorption.phase_states(site)[0]["date"] == days(-30)


# --- The form and the history ---------------------------------------------------------------------


def test_an_editor_engages_a_site_and_the_history_says_so(client):
    site = site_in(people=20)
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    url = reverse("site_edit", args=[site.pk])
    form_page = client.get(url)
    html = form_page.content.decode()
    # the phases are asked only when the site is engaged (shown without the script)
    assert 'data-depends-on="resorption_process"' in html
    assert html.count('data-depends-on="resorption_process"') == len(resorption.PHASE_FIELDS)
    response = client.post(
        url,
        page_payload(
            form_page,
            resorption_process="on",
            technical_diagnosis_done="on",
            technical_diagnosis_at=days(-2).isoformat(),
            social_assessment_at=days(15).isoformat(),
        ),
    )
    assert response.status_code == 302, response.context["form"].errors
    saved = SitePage.objects.get(pk=site.pk)
    assert saved.resorption_process and saved.technical_diagnosis_done
    assert saved.social_assessment_at == days(15) and not saved.social_assessment_done

    history = client.get(reverse("site_history", args=[site.pk])).content.decode()
    assert "Engagé dans une démarche de résorption" in history
    assert "Diagnostic technique réalisé" in history
    assert "Date du bilan social (réalisé ou prévu)" in history


def test_a_phase_done_in_the_future_is_refused_in_french_and_nothing_is_lost(client):
    site = site_in(people=20)
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    url = reverse("site_edit", args=[site.pk])
    response = client.post(
        url,
        page_payload(
            client.get(url),
            people="25",
            resorption_process="on",
            political_validation_done="on",
            political_validation_at=days(3).isoformat(),
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Une phase déjà réalisée ne peut pas avoir une date à venir." in html
    assert response.context["form"]["people"].value() == "25"
    assert SitePage.objects.get(pk=site.pk).people == 20


def test_disengaging_clears_the_phases(client):
    site = site_in(**engaged(social_assessment_done=True, social_assessment_at=days(-9)))
    client.force_login(user_with(Role.LOCAL_ADMIN, site.commune.department))
    url = reverse("site_edit", args=[site.pk])
    payload = page_payload(client.get(url))
    payload.pop("resorption_process", None)  # the box unticked
    assert client.post(url, payload).status_code == 302
    saved = SitePage.objects.get(pk=site.pk)
    assert not saved.resorption_process
    assert not saved.social_assessment_done and saved.social_assessment_at is None


# --- The page ---------------------------------------------------------------------------------


def test_the_site_page_shows_the_phases_and_the_progress(client):
    site = site_in(
        social_diagnosis_status=SocialDiagnosisStatus.DONE,
        social_diagnosis_at=days(-40),
        resorption_target_year=days(0).year + 1,
        **engaged(
            technical_diagnosis_done=True,
            technical_diagnosis_at=days(-10),
            social_assessment_at=days(20),
        ),
    )
    client.force_login(user_with(Role.INTERVENANT, site.commune.department))
    html = client.get(site.url).content.decode()
    section = html[html.index('id="resorption"') :]
    section = section[: section.index("</section>")]
    assert "Ce site est engagé dans une démarche de résorption : 2 phases préparatoires" in section
    assert f"Année cible de résorption : {days(0).year + 1}" in section
    assert "Diagnostic technique" in section and "Bilan social" in section
    assert f"prévue le {days(20):%d/%m/%Y}" in section
    assert f"le {days(-10):%d/%m/%Y}" in section
    assert section.count("fr-badge--success") == 2 and section.count("fr-badge--info") == 1
    assert "Non commencée" in section  # the political validation


def test_a_site_not_engaged_says_so(client):
    site = site_in()
    client.force_login(user_with(Role.INTERVENANT, site.commune.department))
    html = client.get(site.url).content.decode()
    assert "Ce site n’est pas engagé dans une démarche de résorption." in html


# --- The filter -----------------------------------------------------------------------------------


@pytest.fixture
def sites():
    commune = CommuneFactory(department=DepartmentFactory())
    rows = {
        "none": {},
        "engaged": engaged(),
        "diagnosed": engaged(social_diagnosis_status=SocialDiagnosisStatus.DONE),
        "validated": engaged(political_validation_done=True),
        # a done flag left on a site no longer engaged does not count
        "stale": {"political_validation_done": True},
    }
    place = {"latitude": "45.75", "longitude": "4.85"}  # the map shows located sites only
    return {
        key: bulk_sites(1, commune=commune, name=key, **place, **values)[0]
        for key, values in rows.items()
    }


@pytest.fixture
def national(client):
    user = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(user, None)
    client.force_login(user)
    return user


def listed(client, params) -> set[str]:
    response = client.get("/sites/", params)
    assert response.status_code == 200
    return {row["site"].name for row in response.context["page_obj"].rows}


@pytest.mark.parametrize(
    "values, expected",
    [
        (["non"], {"none", "stale"}),
        (["engagee"], {"engaged", "diagnosed", "validated"}),
        (["social_diagnosis"], {"diagnosed"}),
        (["political_validation"], {"validated"}),
        (["social_diagnosis", "political_validation"], {"diagnosed", "validated"}),
        (["technical_diagnosis"], set()),
    ],
)
def test_the_list_filters_on_the_process(client, sites, national, values, expected):
    assert listed(client, {"demarche": values}) == expected


def test_the_filter_applies_to_the_map_data_and_the_api(client, sites, national):
    features = client.get("/sites/geojson/", {"demarche": "engagee"}).json()["features"]
    assert {feature["properties"]["name"] for feature in features} == {
        sites[key].title for key in ("engaged", "diagnosed", "validated")
    }
    response = api_client(national).get("/api/v1/sites/", {"demarche": "political_validation"})
    assert [row["name"] for row in response.json()["results"]] == ["validated"]


def test_a_bad_value_is_reported_in_french(client, sites, national):
    response = client.get("/sites/", {"demarche": "bientot"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert api_client(national).get("/api/v1/sites/", {"demarche": "bientot"}).status_code == 400


# --- The export ---------------------------------------------------------------------------------


def test_the_export_has_the_process_columns(client, sites, national):
    response = client.post(
        "/sites/export/?demarche=engagee", {"file_format": "csv", "sections": ["site"]}
    )
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8")[1:]
    rows = {row["Nom"]: row for row in csv.DictReader(io.StringIO(text), delimiter=";")}
    assert set(rows) == {"engaged", "diagnosed", "validated"}
    assert rows["validated"]["Validation politique réalisée"] == "Oui"
    assert rows["engaged"]["Engagé dans une démarche de résorption"] == "Oui"
