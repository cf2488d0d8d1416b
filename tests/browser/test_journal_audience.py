"""The chosen users of a private message, in a browser: the author types three letters, picks a
user with the keyboard, posts for « organisations et utilisateurs choisis », and the entry is
saved with that user. axe checks the form with the list of suggestions open."""

import pytest
from playwright.sync_api import expect

from directory.enums import Role
from journal.enums import Audience
from journal.models import Entry
from tests.browser.test_journal_journey import assert_no_violation, session
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_choose_a_user_with_the_keyboard_and_post(live_server, browser, axe):
    department = DepartmentFactory()
    site = SitePageFactory(commune=CommuneFactory(department=department), name="Site des Acacias")
    author = UserFactory(email="auteur@exemple.test", role=Role.OPERATEUR)
    give_area(author, department)
    people = {}
    for first, last in (("Bérénice", "Lambert"), ("Bernard", "Martin"), ("Claire", "Petit")):
        people[first] = UserFactory(first_name=first, last_name=last, role=Role.CORRESPONDANT)
        give_area(people[first], department)
    outsider = UserFactory(first_name="Berthe", last_name="Ailleurs", role=Role.CORRESPONDANT)
    give_area(outsider, DepartmentFactory())

    page = session(browser, live_server, "auteur@exemple.test")
    page.goto(live_server.url + site.url)
    form = page.locator("form.journal-form")
    form.locator("#journal_text").fill("Réunion de coordination jeudi.")
    chosen_audience = form.locator(f'input[name="audience"][value="{Audience.CHOSEN}"]')
    form.locator(f'label[for="{chosen_audience.get_attribute("id")}"]').click()
    assert chosen_audience.is_checked()

    search = form.locator("#journal_users")
    assert search.get_attribute("role") == "combobox"
    assert search.get_attribute("name") is None  # the search text is not posted
    search.press_sequentially("ber", delay=50)
    listbox = form.locator("#journal_users_listbox")
    options = listbox.locator('[role="option"]')
    options.first.wait_for()
    assert search.get_attribute("aria-expanded") == "true"
    labels = options.all_inner_texts()
    # Accents ignored; ordered by last name; never the outsider.
    assert labels == ["Bérénice Lambert", "Bernard Martin"]
    assert_no_violation(page, axe)

    search.press("ArrowDown")
    search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "journal_users_listbox_option_1"
    search.press("Enter")
    assert listbox.is_hidden()
    assert search.input_value() == ""
    chosen = form.locator(".rb-combobox__chosen")
    checkbox = chosen.locator(
        f'input[type="checkbox"][name="users"][value="{people["Bernard"].pk}"]'
    )
    assert checkbox.is_checked()
    assert "Bernard Martin" in chosen.inner_text()
    # (wait_for_function would evaluate a string in the page: the CSP forbids it)
    expect(page.locator("#journal_users_status")).to_contain_text("Bernard Martin")

    # Another pick, then « Retirer » removes it and gives the focus back to the search.
    search.press_sequentially("cla", delay=50)
    options.first.wait_for()
    search.press("ArrowDown")
    search.press("Enter")
    claire = chosen.locator("li", has_text="Claire Petit")
    claire.get_by_role("button").click()
    assert claire.count() == 0
    assert page.evaluate("document.activeElement.id") == "journal_users"

    # Escape closes the list without choosing.
    search.press_sequentially("ber", delay=50)
    options.first.wait_for()
    search.press("Escape")
    assert listbox.is_hidden()
    search.press("Escape")
    assert search.input_value() == ""

    assert_no_violation(page, axe)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    entry = Entry.objects.get()
    assert entry.audience == Audience.CHOSEN
    assert list(entry.audience_users.all()) == [people["Bernard"]]
    page.context.close()
