"""Search documents follow the content, in the same transaction (PostgreSQL rows)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from directory.enums import Role, UserStatus
from search import access
from search.enums import DocStatus, DocType
from search.models import SearchDocument
from tests.directory.factories import OrganizationFactory, UserFactory, give_area
from tests.search import factories as world
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db


def doc(obj, doc_type):
    return SearchDocument.objects.filter(ref=f"{doc_type}:{obj.pk}").first()


def test_a_site_document_follows_its_page():
    territories = world.Territories()
    site = SitePageFactory(commune=territories.c1, name="Terrain des Saules")
    row = doc(site, "site")
    assert row.title == site.title and row.commune_name == "Villeurbanne"
    assert row.department_code == "69" and row.region_code == "84"
    assert row.status == DocStatus.OPEN and row.es_pending and not row.deleted
    assert row.access_keys == sorted(access.site_keys(site))
    assert row.url == site.url
    revision = row.revision

    site.name = "Brouillon secret"
    site.save_revision()  # a draft: the live site, and its document, do not change
    row.refresh_from_db()
    assert "Brouillon" not in row.title and "Brouillon" not in row.text
    assert row.revision == revision

    site.commune = territories.c4
    site.save_revision().publish()
    row.refresh_from_db()
    assert row.department_code == "13" and "site:dept:13" in row.access_keys
    assert row.revision > revision

    site.unpublish()
    row.refresh_from_db()
    assert row.deleted and row.access_keys == [] and row.es_pending
    site.save_revision().publish()
    row.refresh_from_db()
    assert not row.deleted
    site.delete()
    row.refresh_from_db()
    assert row.deleted and row.es_pending


def test_a_rolled_back_change_leaves_no_document():
    territories = world.Territories()
    with pytest.raises(RuntimeError), transaction.atomic():
        SitePageFactory(commune=territories.c1, name="Jamais enregistré")
        raise RuntimeError
    assert not SearchDocument.objects.filter(title__contains="Jamais").exists()


def test_forum_approval_moves_documents_between_audiences():
    forum = world.forum()
    author = UserFactory()
    topic = world.make_topic(
        forum, author, subject="Accès aux soins", content="Où consulter ?", approved=False
    )
    reply = world.make_reply(topic, author, content="Au centre de santé.")
    assert doc(topic, "topic").access_keys == [access.FORUM_MODERATOR]
    assert doc(topic, "topic").status == DocStatus.PENDING_APPROVAL
    assert doc(reply, "post").access_keys == [access.FORUM_MODERATOR]
    assert "Où consulter" in doc(topic, "topic").text
    assert doc(topic.first_post, "post") is None  # the first post is the topic's document

    topic.approved = True
    topic.save()
    assert doc(topic, "topic").access_keys == [access.FORUM_MEMBER]
    assert doc(reply, "post").access_keys == [access.FORUM_MEMBER]
    ref = f"post:{reply.pk}"
    reply.delete()
    assert SearchDocument.objects.get(ref=ref).deleted


def test_directory_documents_follow_accounts_and_organisations():
    organization = OrganizationFactory(name="Collectif Solidaire")
    user = UserFactory(first_name="Léa", last_name="Martin", organization=organization)
    assert "Collectif Solidaire" in doc(user, "person").text
    organization.name = "Collectif Entraide"
    organization.save()
    assert doc(organization, "organization").title == "Collectif Entraide"
    assert "Collectif Entraide" in doc(user, "person").text

    give_area(user, world.Territories().d1)
    assert doc(user, "person").department_code == "69"

    user.status = UserStatus.INACTIVE
    user.save()
    assert doc(user, "person").deleted
    organization.is_active = False
    organization.save()
    assert doc(organization, "organization").deleted


def test_frequent_user_writes_do_not_touch_the_index():
    user = UserFactory()
    row = doc(user, "person")
    user.save(update_fields=["last_login"])
    row_after = doc(user, "person")
    assert row_after.revision == row.revision


def test_rebuild_command_reports_counts_per_type_and_removes_strays():
    territories = world.Territories()
    SitePageFactory(commune=territories.c1)
    world.content_page("Guide", "<p>Texte.</p>")
    SearchDocument.objects.create(
        ref="site:999999",
        doc_type="site",
        object_id="999999",
        title="Disparu",
        access_keys=["site:national"],
        url="/x/",
    )
    SearchDocument.objects.filter(doc_type="page").delete()
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    output = out.getvalue()
    assert re.search(r"Site\s+1 indexed, 1 removed", output)
    assert str(DocType.PAGE.label) in output and "100%" in output
    assert SearchDocument.objects.alive().filter(doc_type="page", title="Guide").exists()
    assert SearchDocument.objects.get(ref="site:999999").deleted
    # Idempotent
    call_command("rebuild_search_index", stdout=StringIO())
    assert SearchDocument.objects.alive().filter(doc_type="site").count() == 1


def test_search_push_without_elasticsearch_says_so():
    out = StringIO()
    call_command("search_push", stdout=out)
    assert "nothing to push" in out.getvalue()


def test_no_push_is_scheduled_with_postgres(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        world.content_page("Guide", "<p>Texte.</p>")
    assert not any(getattr(callback, "search_push", False) for callback in callbacks)


@pytest.mark.parametrize("role", [Role.NATIONAL_ADMIN, Role.INTERVENANT])
def test_reader_keys_cost_a_bounded_number_of_queries(role):
    """One area of each kind, then several of each kind: the same number of queries (at most
    4), while the keys do grow with the areas (of a reader whose reach depends on them)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    territories = world.Territories()

    def measure(areas):
        user = UserFactory(role=role)
        for index, area in enumerate(areas):
            give_area(user, area, is_main=index == 0)
        user = type(user).objects.get(pk=user.pk)
        with CaptureQueriesContext(connection) as captured:
            keys = access.reader_keys(user)
        # The keys of the reader themself (author, pilot…) name their own id: compare them as one.
        return len(captured), {re.sub(rf":{user.pk}(?![0-9])", ":me", key) for key in keys}

    t = territories
    # One area of each kind (region, department, EPCI, commune), then several of each kind.
    small, few_keys = measure([t.r1, t.d3, t.epci, t.c4])
    large, many_keys = measure([t.r1, t.r2, t.d3, t.d1, t.d2, t.epci, t.c4, t.c3, t.c2, t.c1])
    assert large == small <= 4, (small, large)
    if role == Role.NATIONAL_ADMIN:  # reads the whole country: more areas add no key
        assert few_keys <= many_keys, (few_keys, many_keys)
    else:
        assert few_keys < many_keys, (few_keys, many_keys)


@pytest.fixture
def journal():
    from journal import access as journal_access
    from journal.models import Entry

    return Entry, journal_access


def test_journal_entries_carry_the_journal_keys(journal):
    entry_model, journal_access = journal
    territories = world.Territories()
    site = SitePageFactory(commune=territories.c1, name="Terrain du journal")
    author = UserFactory()
    entry = entry_model.objects.create(site=site, author=author, text="Visite du **terrain**.")
    row = doc(entry, "journal")
    assert row.access_keys == sorted(
        f"journal|{k}" for k in journal_access.entry_access_keys(entry)
    )
    assert row.department_code == "69" and row.url == entry.get_absolute_url()
    assert "Terrain du journal" in row.title

    entry.audience = "chosen"
    entry.save()
    organization = OrganizationFactory()
    entry.audience_organizations.set([organization])  # m2m_changed re-indexes the entry
    row = doc(entry, "journal")
    assert row.access_keys == sorted(
        f"journal|{k}" for k in journal_access.entry_access_keys(entry)
    )
    assert any(f"org:{organization.pk}" in key for key in row.access_keys)

    # A site that moves takes its entries along.
    site.commune = territories.c4
    site.save_revision().publish()
    assert doc(entry, "journal").department_code == "13"

    pk = entry.pk
    entry.delete()
    assert SearchDocument.objects.get(ref=f"journal:{pk}").deleted


def test_the_demo_loader_indexes_what_migrations_created():
    from cms.models import HomePage
    from search.demo import load_demo

    home = HomePage.objects.get()
    SearchDocument.objects.filter(ref=f"page:{home.pk}").delete()
    load_demo(stdout=StringIO())
    load_demo(stdout=StringIO())
    assert SearchDocument.objects.alive().filter(ref=f"page:{home.pk}").count() == 1


@pytest.mark.parametrize(
    ("config", "ids"),
    [
        ({"BACKEND": "postgres"}, []),
        ({"BACKEND": "elasticsearch", "ELASTICSEARCH_URL": "http://es:9200"}, []),
        ({"BACKEND": "solr"}, ["platform_search.E001"]),
        ({"BACKEND": "elasticsearch", "ELASTICSEARCH_URL": ""}, ["platform_search.E002"]),
    ],
)
def test_settings_are_checked(settings, config, ids):
    from search.checks import check_search_settings

    settings.PLATFORM_SEARCH = config
    assert [error.id for error in check_search_settings()] == ids
