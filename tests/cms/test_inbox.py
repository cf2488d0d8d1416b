"""The inbox of contact messages and site reports: who reads what (a table of users × messages),
handling recorded with who and when and in the audit log, filters, pagination, the header link,
no 500 on malformed input, flat query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from cms import inbox
from cms.enums import ContactRequestType, Recipients
from cms.models import ContactMessage, SiteReport
from directory.enums import Role
from tests.directory.factories import (
    CommuneFactory,
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    give_area,
)

pytestmark = pytest.mark.django_db

LIST = reverse("inbox:list")
REPORTS = reverse("inbox:reports")


def message(department=None, **fields):
    defaults = {
        "request_type": ContactRequestType.HELP,
        "first_name": "Camille",
        "last_name": "Martin",
        "email": "camille@exemple.test",
        "message": "Bonjour",
        "routed_to": Recipients.LOCAL if department else Recipients.NATIONAL,
    }
    return ContactMessage.objects.create(department=department, **{**defaults, **fields})


def report(commune, **fields):
    defaults = {"description": "Des cabanes", "routed_to": Recipients.LOCAL}
    return SiteReport.objects.create(commune=commune, **{**defaults, **fields})


@pytest.fixture
def world():
    region = RegionFactory(code="84")
    rhone = DepartmentFactory(code="69", name="Rhône", region=region)
    ain = DepartmentFactory(code="01", name="Ain", region=region)
    nord = DepartmentFactory(code="59", name="Nord", region=RegionFactory(code="32"))
    villeurbanne = CommuneFactory(code="69266", name="Villeurbanne", department=rhone)
    bourg = CommuneFactory(code="01053", name="Bourg-en-Bresse", department=ain)
    lille = CommuneFactory(code="59350", name="Lille", department=nord)

    users = {"anonymous": None}
    users["rhone_admin"] = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(users["rhone_admin"], rhone)
    users["regional_admin"] = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(users["regional_admin"], region)
    users["nord_admin"] = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(users["nord_admin"], nord)
    users["commune_admin"] = UserFactory(role=Role.LOCAL_ADMIN)
    give_area(users["commune_admin"], villeurbanne)  # a commune does not cover its department
    users["national_admin"] = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(users["national_admin"], None)
    users["correspondant"] = UserFactory(role=Role.CORRESPONDANT)
    give_area(users["correspondant"], rhone)
    users["inactive_admin"] = UserFactory(role=Role.LOCAL_ADMIN, is_active=False)
    give_area(users["inactive_admin"], rhone)

    items = {
        "msg_69": message(rhone, first_name="Rhône", message="Message du Rhône"),
        "msg_01": message(ain, first_name="Ain", message="Message de l’Ain"),
        "msg_59": message(nord, first_name="Nord", message="Message du Nord"),
        "msg_none": message(None, first_name="Sans", message="Message sans département"),
        "rep_69": report(villeurbanne, description="Signalement à Villeurbanne"),
        "rep_01": report(bourg, description="Signalement à Bourg"),
        "rep_59": report(lille, description="Signalement à Lille"),
    }
    return {"users": users, "items": items, "departments": {"69": rhone, "01": ain, "59": nord}}


def detail(item):
    kind = "messages" if isinstance(item, ContactMessage) else "signalements"
    return reverse("inbox:detail", args=[kind, item.pk])


def action_url(name, item):
    kind = "messages" if isinstance(item, ContactMessage) else "signalements"
    return reverse(f"inbox:{name}", args=[kind, item.pk])


def listed(html) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-submission="(\d+)"', html)}


def log_in(client, user):
    if user is not None:
        client.force_login(user)


# --- Who reads what -----------------------------------------------------------------------------

ALL = {"msg_69", "msg_01", "msg_59", "msg_none", "rep_69", "rep_01", "rep_59"}

#: user -> the messages and reports they read; None: no inbox at all.
VISIBLE = {
    "national_admin": ALL,
    "rhone_admin": {"msg_69", "rep_69"},
    "regional_admin": {"msg_69", "msg_01", "rep_69", "rep_01"},
    "nord_admin": {"msg_59", "rep_59"},
    "commune_admin": None,
    "correspondant": None,
    "inactive_admin": None,
    "anonymous": None,
}


@pytest.mark.parametrize(("user", "visible"), VISIBLE.items())
def test_who_reads_which_messages(client, world, user, visible):
    log_in(client, world["users"][user])
    items = world["items"]
    list_responses = [client.get(LIST + "?statut=tous"), client.get(REPORTS + "?statut=tous")]
    if visible is None:
        expected = 302 if user in ("anonymous", "inactive_admin") else 403
        assert [r.status_code for r in list_responses] == [expected, expected]
        for item in items.values():
            assert client.get(detail(item)).status_code == expected
            assert client.post(action_url("mark_handled", item)).status_code == expected
        assert not ContactMessage.objects.filter(handled=True).exists()
        return
    assert [r.status_code for r in list_responses] == [200, 200]
    shown = listed(list_responses[0].content.decode()) | {
        -pk for pk in listed(list_responses[1].content.decode())
    }
    expected_pks = {items[key].pk if key.startswith("msg") else -items[key].pk for key in visible}
    assert shown == expected_pks
    for key, item in items.items():
        response = client.get(detail(item))
        # Another department's message does not exist for this user, even by its URL.
        assert response.status_code == (200 if key in visible else 404), key
        post = client.post(action_url("mark_handled", item))
        assert post.status_code == (302 if key in visible else 404), key
        item.refresh_from_db()
        assert item.handled is (key in visible), key


def test_a_local_admin_never_reads_another_departments_message(client, world):
    items = world["items"]
    client.force_login(world["users"]["rhone_admin"])
    html = client.get(LIST + "?statut=tous").content.decode()
    assert "Rhône" in html and "Message du Nord" not in html
    for key in ("msg_59", "msg_01", "msg_none", "rep_59", "rep_01"):
        response = client.get(detail(items[key]))
        assert response.status_code == 404
        assert "Message du Nord" not in response.content.decode()
        assert client.post(action_url("reopen", items[key])).status_code == 404
    # The department filter cannot open another department either.
    response = client.get(LIST + "?statut=tous&departement=59")
    assert response.status_code == 200
    assert listed(response.content.decode()) == {items["msg_69"].pk}


# --- Handling -----------------------------------------------------------------------------------


def test_marking_handled_and_reopening_are_recorded(client, world):
    admin = world["users"]["rhone_admin"]
    item = world["items"]["msg_69"]
    client.force_login(admin)
    response = client.post(action_url("mark_handled", item))
    assert response.status_code == 302 and response.url == detail(item)
    item.refresh_from_db()
    assert item.handled and item.handled_by == admin and item.handled_at is not None
    page = client.get(detail(item)).content.decode()
    assert 'data-handled="true"' in page and admin.get_full_name() in page
    assert action_url("reopen", item) in page
    # Twice: nothing changes, nothing more is logged.
    client.post(action_url("mark_handled", item))
    assert ModelLogEntry.objects.for_instance(item).count() == 1

    other = world["users"]["regional_admin"]
    client.force_login(other)
    client.post(action_url("reopen", item))
    item.refresh_from_db()
    assert not item.handled and item.handled_by is None and item.handled_at is None
    entries = list(ModelLogEntry.objects.for_instance(item).order_by("timestamp", "pk"))
    assert [(e.action, e.user_id) for e in entries] == [
        (inbox.ACTION_HANDLED, admin.pk),
        (inbox.ACTION_REOPENED, other.pk),
    ]
    page = client.get(detail(item)).content.decode()
    assert 'data-handled="false"' in page
    for entry in entries:
        assert str(entry.message) in page  # the history, with the registered labels


def test_site_reports_are_handled_the_same_way(client, world):
    item = world["items"]["rep_01"]
    admin = world["users"]["regional_admin"]
    client.force_login(admin)
    client.post(action_url("mark_handled", item))
    item.refresh_from_db()
    assert (item.handled, item.handled_by) == (True, admin)
    assert ModelLogEntry.objects.for_instance(item).get().action == inbox.ACTION_HANDLED


def test_the_audit_log_actions_have_labels():
    for action in (inbox.ACTION_HANDLED, inbox.ACTION_REOPENED):
        assert log_registry.get_action_label(action) != action


def test_handling_needs_a_post_with_a_csrf_token(world):
    from django.test import Client

    item = world["items"]["msg_69"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["rhone_admin"])
    assert client.get(action_url("mark_handled", item)).status_code == 405
    assert client.post(action_url("mark_handled", item)).status_code == 403
    item.refresh_from_db()
    assert not item.handled


# --- Detail -------------------------------------------------------------------------------------


def test_the_detail_shows_every_field_and_a_reply_link(client, world):
    item = message(
        world["departments"]["69"],
        request_type=ContactRequestType.OTHER,
        first_name="Dominique",
        last_name="Durand",
        email="dominique@exemple.test",
        phone="06 12 34 56 78",
        organization="Association Solidarité",
        message="Première ligne\nDeuxième ligne",
        recipients=["admin.rhone@exemple.test"],
    )
    client.force_login(world["users"]["national_admin"])
    html = client.get(detail(item)).content.decode()
    for text in (
        "Dominique",
        "Durand",
        "dominique@exemple.test",
        "06 12 34 56 78",
        "Association Solidarité",
        "Rhône",
        "Première ligne<br>Deuxième ligne",
        "admin.rhone@exemple.test",
        item.get_request_type_display(),
        item.get_routed_to_display(),
    ):
        assert text in html, text
    assert 'href="mailto:dominique@exemple.test?subject=' in html


def test_a_report_without_an_email_has_no_reply_link(client, world):
    item = report(
        CommuneFactory(department=world["departments"]["69"], name="Vaulx-en-Velin"),
        address="Sous le pont",
        approximate_people=12,
        reporter_name="Témoin",
        reporter_phone="04 00 00 00 00",
    )
    client.force_login(world["users"]["rhone_admin"])
    html = client.get(detail(item)).content.decode()
    for text in ("Vaulx-en-Velin", "Sous le pont", "12", "Témoin", "04 00 00 00 00", "Des cabanes"):
        assert text in html, text
    assert "mailto:" not in html
    with_email = report(item.commune, reporter_email="temoin@exemple.test")
    assert "mailto:temoin@exemple.test" in client.get(detail(with_email)).content.decode()


# --- List: filters, pagination, empty states ----------------------------------------------------


def test_status_and_department_filters(client, world):
    items = world["items"]
    items["msg_01"].handled = True
    items["msg_01"].save()
    client.force_login(world["users"]["regional_admin"])
    assert listed(client.get(LIST).content.decode()) == {items["msg_69"].pk}  # to handle
    assert listed(client.get(LIST + "?statut=traites").content.decode()) == {items["msg_01"].pk}
    assert listed(client.get(LIST + "?statut=tous").content.decode()) == {
        items["msg_69"].pk,
        items["msg_01"].pk,
    }
    response = client.get(LIST + "?statut=tous&departement=01")
    assert listed(response.content.decode()) == {items["msg_01"].pk}
    assert set(response.context["filters"].departments) == {"69", "01"}
    assert 'value="59"' not in response.content.decode()
    assert listed(client.get(REPORTS + "?departement=69").content.decode()) == {items["rep_69"].pk}


@pytest.mark.parametrize(
    "query",
    [
        "?statut=n-importe",
        "?departement=zz",
        "?departement=" + "9" * 200,
        "?page=abc",
        "?page=999",
        "?page=-1",
        "?statut=tous&departement=&page=",
    ],
)
def test_malformed_filters_never_fail(client, world, query):
    client.force_login(world["users"]["rhone_admin"])
    for url in (LIST, REPORTS):
        assert client.get(url + query).status_code == 200


def test_unknown_kinds_and_ids_are_404(client, world):
    client.force_login(world["users"]["national_admin"])
    assert client.get("/messages-recus/autre/1/").status_code == 404
    assert client.get(reverse("inbox:detail", args=["messages", 999999])).status_code == 404
    assert client.post(reverse("inbox:reopen", args=["autre", 1])).status_code == 404


def test_pagination_by_25(client, world):
    rhone = world["departments"]["69"]
    for index in range(30):
        message(rhone, first_name=f"Personne{index}")
    client.force_login(world["users"]["rhone_admin"])
    first = client.get(LIST)
    assert len(listed(first.content.decode())) == 25
    second = client.get(LIST + "?page=2")
    assert len(listed(second.content.decode())) == 6  # 30 + the world's message of the Rhône
    assert 'aria-label="Pagination"' in first.content.decode() or "fr-pagination" in (
        first.content.decode()
    )


def test_empty_states(client, world):
    client.force_login(world["users"]["nord_admin"])
    html = client.get(LIST + "?statut=traites").content.decode()
    assert 'data-empty="true"' in html and not listed(html)
    ContactMessage.objects.all().delete()
    html = client.get(LIST).content.decode()
    assert 'data-empty="true"' in html


# --- Header link --------------------------------------------------------------------------------


def inbox_link(html):
    """The text of the header's link to the inbox (in the « Gestion » menu), None without it."""
    match = re.search(
        rf'<a class="fr-nav__link"\s+href="{re.escape(LIST)}"[^>]*>(.*?)</a>', html, re.S
    )
    return " ".join(match.group(1).split()) if match else None


def test_the_header_links_to_the_inbox_with_the_count(client, world):
    client.force_login(world["users"]["regional_admin"])
    html = client.get(reverse("account")).content.decode()
    assert f'href="{LIST}"' in html
    assert "(4 " in inbox_link(html)  # 2 messages + 2 reports of the region
    ContactMessage.objects.update(handled=True)
    SiteReport.objects.update(handled=True)
    assert "(" not in inbox_link(client.get(reverse("account")).content.decode())
    for user in ("correspondant", "commune_admin"):
        client.force_login(world["users"][user])
        assert inbox_link(client.get(reverse("account")).content.decode()) is None


def test_the_count_is_one_query_cached_per_request(rf, world, django_assert_num_queries):
    user = world["users"]["national_admin"]
    request = rf.get("/")
    request.user = user
    with django_assert_num_queries(1):
        assert inbox.unhandled_counts_for_request(request) == {"messages": 4, "signalements": 3}
        assert inbox.unhandled_counts_for_request(request) == {"messages": 4, "signalements": 3}


# --- Query counts -------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("user", ["national_admin", "regional_admin"])
@pytest.mark.parametrize("url", [LIST + "?statut=tous", REPORTS + "?statut=tous", "detail"])
def test_query_counts_are_flat_from_3_to_60_messages(
    client, world, user, url, django_assert_num_queries
):
    rhone = world["departments"]["69"]
    villeurbanne = world["items"]["rep_69"].commune
    ContactMessage.objects.all().delete()
    SiteReport.objects.all().delete()
    for _index in range(3):
        message(rhone)
        report(villeurbanne)
    item = ContactMessage.objects.order_by("pk").first()
    target = detail(item) if url == "detail" else url
    client.force_login(world["users"][user])
    client.get(target)  # warm the per-process caches (content types, charter version)
    small = count_queries(client, target)
    for _index in range(57):
        message(rhone, handled=True, handled_by=world["users"]["rhone_admin"])
        report(villeurbanne)
    if url == "detail":
        client.post(action_url("mark_handled", item))  # its history now has an entry
    with django_assert_num_queries(small):
        response = client.get(target)
    assert response.status_code == 200
