"""A day of real use (issue 16), on a phone (390 px) and a desktop (1,280 px), axe on every page
and nothing passing the screen's edge:

- the field worker posts a journal message with a file, forgets the text, is told the file must be
  attached again, attaches it and finds the message with its file;
- the field worker follows a question to solved, searches the questions from the forum's index and
  finds it labelled solved;
- the préfecture agent updates the population of a site and reads the new population date;
- the local administrator moderates a reported message, its buttons in view.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import override
from machina.core.db.models import get_model

from directory.enums import Role
from journal import services
from journal.enums import Audience
from journal.models import Entry
from sitepages.models import SitePage
from tests.browser.conftest import assert_no_violation, log_in
from tests.browser.test_phone_layouts import overflow
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.journal.conftest import PDF_BYTES
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Forum = get_model("forum", "Forum")
Topic = get_model("forum_conversation", "Topic")
Post = get_model("forum_conversation", "Post")

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture(params=list(WIDTHS))
def sized_page(request, page):
    page.set_viewport_size(WIDTHS[request.param])
    return page


def check(page, axe, heading=None):
    """The page rendered its heading, axe finds nothing, nothing passes the screen's edge."""
    page.wait_for_load_state("networkidle")
    assert_no_violation(page, axe, heading)
    assert overflow(page) == [], f"{page.url}: {overflow(page)}"


def in_view(page, locator) -> bool:
    """`locator` lies within the screen's width (not cut off, no sideways scrolling needed)."""
    box = locator.bounding_box()
    return (
        box is not None and box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
    )


@pytest.fixture
def territory():
    department = DepartmentFactory(name="Département du Jour")
    commune = CommuneFactory(department=department, name="Bourg-du-Jour")
    return department, commune


def member(email, role, department, **attributes):
    user = UserFactory(email=email, role=role, **attributes)
    give_area(user, department)
    return user


def test_a_journal_post_whose_text_was_forgotten_gets_its_file_back(
    live_server, sized_page, axe, territory, settings, tmp_path
):
    page = sized_page
    settings.MEDIA_ROOT = tmp_path
    department, commune = territory
    site = SitePageFactory(commune=commune, name="Terrain des Acacias")
    member("intervenante@exemple.test", Role.INTERVENANT, department)
    attachment = tmp_path / "compte-rendu.pdf"
    attachment.write_bytes(PDF_BYTES)
    log_in(page, live_server, "intervenante@exemple.test")

    page.goto(live_server.url + f"/journal/site/{site.pk}/")
    page.locator("details:has(form.journal-form) > summary").click()
    form = page.locator("form.journal-form")
    form.locator("input[name=attachments]").set_input_files(str(attachment))
    check(page, axe)
    form.locator("button[type=submit]").click()

    # The text was forgotten: the form comes back with both errors, the file named.
    page.wait_for_load_state()
    assert not Entry.objects.exists()
    errors = page.locator("main form.journal-form").inner_text()
    assert "joignez-le de nouveau (compte-rendu.pdf)" in errors
    check(page, axe, "Publier un message")

    form = page.locator("main form.journal-form")
    form.locator("textarea[name=text]").fill("Passage ce matin, compte rendu joint.")
    form.locator("input[name=attachments]").set_input_files(str(attachment))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    entry = Entry.objects.get()
    assert entry.attachments.get().name == "compte-rendu.pdf"
    assert page.url.endswith(f"#message-{entry.pk}")
    message = page.locator(f"#message-{entry.pk}")
    assert message.locator(f"a[href='/journal/piece-jointe/{entry.attachments.get().pk}/']").count()
    assert in_view(page, message.locator("a[href^='/journal/piece-jointe/']").first)
    check(page, axe)


def test_a_question_followed_to_solved_is_found_solved_from_the_forum_search(
    live_server, sized_page, axe, territory
):
    page = sized_page
    call_command("load_forum_demo", stdout=StringIO())
    department, _ = territory
    forum = Forum.objects.get(name="Santé")
    asker = member("intervenante@exemple.test", Role.INTERVENANT, department)
    helper = member("operateur@exemple.test", Role.OPERATEUR, department)
    topic = Topic.objects.create(
        forum=forum, poster=asker, subject="Ouverture des droits AME", type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED, approved=True,
    )  # fmt: skip
    Post.objects.create(
        topic=topic, poster=asker, subject=topic.subject, approved=True,
        content="Combien de temps faut-il pour ouvrir les droits à l’AME ?",
    )  # fmt: skip
    answer = Post.objects.create(
        topic=topic, poster=helper, subject=topic.subject, approved=True,
        content="Trois semaines environ avec un dossier complet.",
    )  # fmt: skip
    topic_path = reverse(
        "forum_conversation:topic",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk, "slug": topic.slug, "pk": topic.pk},
    )

    # The asker reads the answer and accepts it.
    log_in(page, live_server, asker.email)
    page.goto(live_server.url + topic_path)
    check(page, axe)
    accept = page.locator(f"main article[id='{answer.pk}'] form button[type=submit]")
    assert in_view(page, accept) and accept.inner_text().strip()
    accept.click()
    page.wait_for_load_state()
    topic.refresh_from_db()
    assert topic.solved_post_id == answer.pk
    assert page.locator(f"main article[id='{answer.pk}'].forum-accepted-answer").count() == 1
    check(page, axe)

    # From the forum's index, « Rechercher dans les questions » finds it, labelled solved.
    page.goto(live_server.url + "/entraide/")
    check(page, axe)
    page.fill("#forum-search-input", "droits AME")
    page.locator("#forum-search button[type=submit]").click()
    page.wait_for_load_state()
    assert "type=forum" in page.url
    # (text_content: the badges are upper-cased by the style sheet, not in the page)
    result = page.locator("li.search-result", has_text="Combien de temps faut-il")
    assert result.count() == 1, page.locator("main").inner_text()
    assert "Question résolue" in result.text_content()
    assert "Question non résolue" not in result.text_content()
    check(page, axe)


def test_a_population_update_moves_the_population_date(live_server, sized_page, axe, territory):
    page = sized_page
    department, commune = territory
    long_ago = timezone.localdate() - timezone.timedelta(days=40)
    site = SitePageFactory(
        commune=commune,
        name="Terrain rue des Peupliers",
        people=126,
        population_updated_at=long_ago,
    )
    member("correspondant@exemple.test", Role.CORRESPONDANT, department)
    log_in(page, live_server, "correspondant@exemple.test")

    page.goto(live_server.url + site.url)
    with override("fr"):
        before, today = (
            date_format(day, "SHORT_DATE_FORMAT") for day in (long_ago, timezone.localdate())
        )
    population = page.locator("section[aria-labelledby=site-population]")
    assert f"Population mise à jour le {before}" in population.inner_text()
    check(page, axe)
    page.locator("#site-edit-link").click()
    page.wait_for_load_state()
    check(page, axe)
    page.fill("#id_people", "131")
    page.locator("#site-form-submit").click()
    page.wait_for_load_state()

    site = SitePage.objects.get(pk=site.pk)
    assert site.people == 131 and site.population_updated_at == timezone.localdate()
    population = page.locator("section[aria-labelledby=site-population]")
    assert f"Population mise à jour le {today}" in population.inner_text()
    check(page, axe)


def test_the_moderation_queue_keeps_its_buttons_in_view(live_server, sized_page, axe, territory):
    page = sized_page
    department, commune = territory
    site = SitePageFactory(commune=commune, name="Terrain des Ormes")
    author = member("auteur@exemple.test", Role.OPERATEUR, department)
    reader = member("lecteur@exemple.test", Role.INTERVENANT, department)
    member("moderatrice@exemple.test", Role.LOCAL_ADMIN, department)
    entry = services.post_entry(
        site=site,
        author=author,
        text="Un_message_sans_espace_" * 12,
        audience=Audience.SITE_READERS,
    )
    services.report_entry(entry=entry, by=reader, reason="Des noms d’habitants sont cités.")
    log_in(page, live_server, "moderatrice@exemple.test")

    page.goto(live_server.url + "/journal/moderation/")
    check(page, axe, "Modération des journaux")
    item = page.locator(f"#queue-message-{entry.pk}")
    assert "Des noms d’habitants sont cités." in item.inner_text()
    for name in ("Masquer", "Classer"):
        button = item.locator("a.fr-btn", has_text=name)
        assert button.is_visible() and in_view(page, button), name
