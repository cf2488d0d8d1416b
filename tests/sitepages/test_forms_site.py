"""The front-end site form: who may declare or edit, what is saved (a published revision), the
rules surfacing on their fields, the conditional questions and the hidden sensitive fields."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directory.enums import Role, UserOption
from sitepages.enums import OwnerType, SocialDiagnosisStatus, WaterAccessType
from sitepages.models import SiteIndexPage, SiteOwner, SitePage
from tests.directory.factories import CommuneFactory, DepartmentFactory
from tests.sitepages.edit_support import page_payload, site_in, user_with

pytestmark = pytest.mark.django_db

OWNER_MARKER = "Proprietaire-Marqueur-4K"
COURT_MARKER = "Tribunal-Marqueur-8P"


@pytest.fixture
def here():
    return DepartmentFactory()


# role, area ("here", "elsewhere", "nation"), options -> status of GET /sites/nouveau/
CREATORS = {
    "national admin": (Role.NATIONAL_ADMIN, "nation", [], 200),
    "local admin": (Role.LOCAL_ADMIN, "here", [], 200),
    "correspondant": (Role.CORRESPONDANT, "here", [], 200),
    "partenaire": (Role.PARTENAIRE_INSTITUTIONNEL, "here", [], 403),
    "operateur": (Role.OPERATEUR, "here", [], 403),
    "operateur with the create option": (Role.OPERATEUR, "here", [UserOption.CREATE_SITE], 200),
    "intervenant": (Role.INTERVENANT, "here", [], 403),
    "observateur": (Role.OBSERVATEUR_EXTERNE, "here", [], 403),
}


@pytest.mark.parametrize("case", CREATORS)
def test_who_may_declare_a_site(client, here, case):
    role, area, options, status = CREATORS[case]
    client.force_login(user_with(role, here if area == "here" else None, options=options))
    assert client.get(reverse("site_create")).status_code == status


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get(reverse("site_create"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# role, area -> status of GET /sites/<id>/modifier/ for a site "here"
EDITORS = {
    "national admin": (Role.NATIONAL_ADMIN, "nation", 200),
    "local admin here": (Role.LOCAL_ADMIN, "here", 200),
    "local admin elsewhere": (Role.LOCAL_ADMIN, "elsewhere", 404),
    "correspondant elsewhere (reads nationally)": (Role.CORRESPONDANT, "elsewhere", 403),
    "partenaire here": (Role.PARTENAIRE_INSTITUTIONNEL, "here", 200),
    "operateur here": (Role.OPERATEUR, "here", 200),
    "operateur elsewhere": (Role.OPERATEUR, "elsewhere", 404),
    "intervenant here": (Role.INTERVENANT, "here", 403),
    "observateur here": (Role.OBSERVATEUR_EXTERNE, "here", 403),
}


@pytest.mark.parametrize("case", EDITORS)
def test_who_may_edit_a_site(client, here, case):
    role, area, status = EDITORS[case]
    site = site_in(here)
    territory = {"here": here, "elsewhere": DepartmentFactory(), "nation": None}[area]
    client.force_login(user_with(role, territory))
    assert client.get(reverse("site_edit", args=[site.pk])).status_code == status


def test_declaring_a_site_publishes_it_under_a_new_department_index(client, here):
    commune = CommuneFactory(department=here)
    user = user_with(Role.CORRESPONDANT, here)
    client.force_login(user)
    form = client.get(reverse("site_create"))
    data = page_payload(
        form,
        name="Les Peupliers",
        commune=f"commune:{commune.pk}",
        declared_at=(timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        people="40",
        households="12",
        water_access_type=WaterAccessType.NETWORK_TAP,
        water_on_site="True",
        **{
            "owners-0-type": OwnerType.PRIVATE,
            "owners-0-name": OWNER_MARKER,
            "actors-0-user": user.email,
            "actors-0-themes": ["health"],
        },
    )
    assert not SiteIndexPage.objects.filter(department=here).exists()

    response = client.post(reverse("site_create"), data)

    site = SitePage.objects.get(name="Les Peupliers")
    assert response.status_code == 302
    assert response["Location"] == site.url
    assert site.get_parent().specific.department == here
    assert site.live and not site.has_unpublished_changes
    assert site.title.startswith("Les Peupliers")
    revision = site.latest_revision
    assert revision.user == user
    assert revision.content["people"] == 40
    assert [owner.name for owner in site.owners.all()] == [OWNER_MARKER]
    assert [actor.user for actor in site.actors.all()] == [user]


def test_a_commune_outside_the_territory_is_refused(client, here):
    client.force_login(user_with(Role.CORRESPONDANT, here))
    elsewhere = CommuneFactory()
    form = client.get(reverse("site_create"))
    data = page_payload(
        form, commune=f"commune:{elsewhere.pk}", declared_at=timezone.localdate().isoformat()
    )
    response = client.post(reverse("site_create"), data)
    assert response.status_code == 400
    assert "commune" in response.context["form"].errors
    assert not SitePage.objects.exists()


def in_days(days):
    """A date field's value `days` from the day the test runs: computed by the test (call it),
    never at collection, so that a run crossing midnight still posts the intended dates."""
    return lambda: (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


RULES = {
    "households": {"people": "10", "households": "11"},
    "minors": {"people": "10", "minors": "11"},
    "minors_in_school": {"minors": "3", "minors_in_school": "4"},
    "installed_at": {
        "installed_at": in_days(-1),
        "declared_at": in_days(-5),
    },
    "declared_at": {"declared_at": in_days(1)},
    "water_access_details": {"water_access_type": WaterAccessType.OTHER},
    "social_diagnosis_at": {
        "social_diagnosis_status": SocialDiagnosisStatus.PLANNED,
        "social_diagnosis_at": in_days(-2),
    },
    "longitude": {"latitude": "45.5"},
}


@pytest.mark.parametrize("field", RULES)
def test_each_rule_shows_next_to_its_field(client, here, field):
    site = site_in(here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    url = reverse("site_edit", args=[site.pk])
    changes = {name: value() if callable(value) else value for name, value in RULES[field].items()}
    response = client.post(url, page_payload(client.get(url), **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    # The message is rendered in the field's own error block, which the field points to.
    bound = response.context["form"][field]
    error_id = f"{bound.auto_id}-desc-error"
    html = response.content.decode()
    block = re.search(rf'<[^>]+id="{re.escape(error_id)}"[^>]*>(.*?)</(?:p|div)>', html, re.S)
    assert block is not None, error_id
    assert escape(bound.errors[0]) in block.group(1), (error_id, block.group(1))
    assert re.search(rf'aria-(?:describedby|labelledby)="[^"]*{re.escape(error_id)}', html)


def test_irrelevant_answers_are_ignored_and_cleared(client, here):
    site = site_in(here, water_access_type=WaterAccessType.TANK, water_is_public=True)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    url = reverse("site_edit", args=[site.pk])
    data = page_payload(
        client.get(url),
        water_access_type=WaterAccessType.UNKNOWN,
        water_is_public="True",
        social_diagnosis_status=SocialDiagnosisStatus.NONE,
        social_diagnosis_at="not a date",  # hidden question: even invalid input is ignored
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context and [
        response.context["form"].errors,
        *[f.errors for f in response.context["formsets"].values()],
    ]
    site.refresh_from_db()
    assert site.water_access_type == WaterAccessType.UNKNOWN
    assert site.water_is_public is None
    assert site.social_diagnosis_at is None


def test_conditional_questions_name_their_parent_in_the_html(client, here):
    site = site_in(here)
    client.force_login(user_with(Role.LOCAL_ADMIN, here))
    html = client.get(reverse("site_edit", args=[site.pk])).content.decode()
    assert 'id="row-water_is_public"' in html
    assert 'data-depends-on="water_access_type"' in html
    assert 'data-depends-on="water_on_site"' in html
    assert "js/conditional-fields.js" in html


def test_fields_the_user_may_not_see_are_absent_and_kept(client, here):
    site = site_in(here, justice_procedure=True, justice_decision=True, justice_court=COURT_MARKER)
    SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name=OWNER_MARKER)
    operateur = user_with(Role.OPERATEUR, here)  # updates sites, sees neither owners nor justice
    client.force_login(operateur)
    url = reverse("site_edit", args=[site.pk])
    form_page = client.get(url)
    html = form_page.content.decode()
    assert OWNER_MARKER not in html and COURT_MARKER not in html
    assert 'name="justice_court"' not in html and 'name="owners-TOTAL_FORMS"' not in html

    data = page_payload(form_page, people="25")
    data.update(justice_court="Écrasé", **{"owners-TOTAL_FORMS": "0", "owners-INITIAL_FORMS": "0"})
    response = client.post(url, data)

    assert response.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    assert site.people == 25
    assert site.justice_court == COURT_MARKER
    assert [owner.name for owner in site.owners.all()] == [OWNER_MARKER]


def test_an_edit_is_a_published_revision_after_a_baseline(client, here):
    site = site_in(here, name="Ancien nom", people=10)
    old_title = site.title
    assert site.latest_revision_id is None  # created outside the forms
    user = user_with(Role.LOCAL_ADMIN, here)
    client.force_login(user)
    url = reverse("site_edit", args=[site.pk])

    response = client.post(url, page_payload(client.get(url), name="Nouveau nom", people="12"))

    assert response.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    revisions = list(site.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    assert revisions[0].user is None and revisions[0].content["people"] == 10
    assert revisions[1].user == user and revisions[1].content["people"] == 12
    assert site.live_revision_id == revisions[1].pk
    assert site.title != old_title and site.title.startswith("Nouveau nom")


def test_a_visit_records_the_date_and_nothing_else(client, here):
    site = site_in(
        here, people=30, last_visited_at=timezone.localdate() - datetime.timedelta(days=40)
    )
    user = user_with(Role.OPERATEUR, here)
    client.force_login(user)
    url = reverse("site_visit", args=[site.pk])
    assert client.get(url).status_code == 200  # the confirmation

    response = client.post(url)

    assert response.status_code == 302
    site = SitePage.objects.get(pk=site.pk)
    assert site.last_visited_at == timezone.localdate()
    assert site.people == 30
    assert site.latest_revision.user == user
    assert site.live_revision_id == site.latest_revision_id


@pytest.mark.parametrize(
    "role, closed, status",
    [
        (Role.OPERATEUR, False, 302),
        (Role.OPERATEUR, True, 403),
        (Role.INTERVENANT, False, 403),
    ],
)
def test_who_may_record_a_visit(client, here, role, closed, status):
    extra = {"closed_at": timezone.localdate(), "closing_cause": "unknown"} if closed else {}
    site = site_in(here, **extra)
    client.force_login(user_with(role, here))
    assert client.post(reverse("site_visit", args=[site.pk])).status_code == status


def test_the_edit_form_costs_the_same_whatever_the_number_of_rows(
    client, here, django_assert_num_queries, django_assert_max_num_queries
):
    from directory.enums import Topic
    from sitepages.models import SiteActor

    admin = user_with(Role.LOCAL_ADMIN, here)
    client.force_login(admin)

    def with_rows(count):
        site = site_in(here)
        for index in range(count):
            SiteOwner.objects.create(site=site, type=OwnerType.PRIVATE, name=f"Nom {index}")
            SiteActor.objects.create(
                site=site, user=user_with(Role.OPERATEUR, here), themes=[Topic.HEALTH]
            )
        return reverse("site_edit", args=[site.pk])

    small, large = with_rows(1), with_rows(12)
    client.get(small)  # warm the caches
    with django_assert_max_num_queries(100) as counted:
        client.get(small)
    with django_assert_num_queries(len(counted.captured_queries)):
        response = client.get(large)
    assert len(response.context["formsets"]["actors"].forms) == 13
