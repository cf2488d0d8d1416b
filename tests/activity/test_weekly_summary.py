"""The weekly summary: its figures against counts computed here independently (plain Python over
the data the test built), who receives which variant, and the command (dry run, department,
re-run)."""

import datetime
import random
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext, override

from activity import preferences, summary
from activity.enums import NotificationKind
from directory.enums import Role, UserStatus
from sitepages.models import SitePage
from tests.activity.helpers import run_tasks
from tests.directory.factories import CommuneFactory, DepartmentFactory, UserFactory, give_area
from tests.sitepages.factories import SitePageFactory

pytestmark = pytest.mark.django_db

UNTIL = datetime.date(2026, 11, 16)  # a Monday: the week is 9–15 November
START, END = summary.week_ending(UNTIL)


def at(day_offset, hour=12):
    """A moment `day_offset` days after the start of the week (negative: before)."""
    return START + datetime.timedelta(days=day_offset, hours=hour)


@pytest.fixture
def territory():
    here = DepartmentFactory(name="Département-Ici")
    neighbour = DepartmentFactory(region=here.region, name="Département-Voisin")
    far = DepartmentFactory(name="Département-Loin")
    return {"here": here, "neighbour": neighbour, "far": far, "region": here.region}


def make_sites(department, rng, count=12):
    """Sites with random dates around the week; returns plain dicts of what was stored."""
    made = []
    for _index in range(count):
        first = at(rng.randint(-400, 6), rng.randint(0, 23))
        last = first + datetime.timedelta(days=rng.randint(0, 420))
        last = min(last, at(6, 23))
        declared = (first - datetime.timedelta(days=rng.randint(0, 30))).date()
        updated = rng.choice([None, (last - datetime.timedelta(days=rng.randint(0, 300))).date()])
        if updated is not None and updated < declared:
            updated = declared
        closed = rng.choice([None, None, at(rng.randint(-10, 8)).date()])
        if closed is not None and closed < declared:
            closed = declared
        people = rng.choice([None, rng.randint(1, 80)])
        site = SitePageFactory(commune=CommuneFactory(department=department), people=people)
        SitePage.objects.filter(pk=site.pk).update(
            first_published_at=first,
            last_published_at=last,
            declared_at=declared,
            updated_at=updated,
            closed_at=closed,
        )
        made.append(
            {
                "first": first,
                "last": last,
                "declared": declared,
                "updated": updated,
                "closed": closed,
                "people": people,
            }
        )
    return made


def expected(sites):
    recent = END.date() - datetime.timedelta(days=summary.UP_TO_DATE_DAYS)
    open_sites = [s for s in sites if s["closed"] is None]
    return {
        "new_sites": sum(START <= s["first"] < END for s in sites),
        "closed_sites": sum(
            s["closed"] is not None and START.date() <= s["closed"] < END.date() for s in sites
        ),
        "updated_sites": sum(START <= s["last"] < END and s["first"] < START for s in sites),
        "open_sites": len(open_sites),
        "people": sum(s["people"] or 0 for s in open_sites),
        "up_to_date_sites": sum((s["updated"] or s["declared"]) >= recent for s in open_sites),
    }


def figures_dict(figures):
    return {key: getattr(figures, key) for key in expected([])}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_site_figures_per_department_region_and_nation(territory, seed):
    rng = random.Random(seed)
    here = make_sites(territory["here"], rng)
    neighbour = make_sites(territory["neighbour"], rng)
    far = make_sites(territory["far"], rng)

    department = summary.figures(
        summary.Scope.for_department(territory["here"]), start=START, end=END
    )
    assert figures_dict(department) == expected(here)
    region = summary.figures(summary.Scope.for_region(territory["region"]), start=START, end=END)
    assert figures_dict(region) == expected(here + neighbour)
    nation = summary.figures(summary.Scope.nation(), start=START, end=END)
    assert figures_dict(nation) == expected(here + neighbour + far)
    share = department.up_to_date_share
    if department.open_sites:
        assert share == round(
            100 * expected(here)["up_to_date_sites"] / len([s for s in here if s["closed"] is None])
        )
    else:
        assert share is None


def test_new_users_and_journal_messages(territory):
    here = territory["here"]

    def newcomer(joined, territory_=here, **kwargs):
        user = UserFactory(date_joined=joined, **kwargs)
        give_area(user, territory_)
        return user

    newcomer(at(1))
    newcomer(at(6, 23))
    commune_user = UserFactory(date_joined=at(2))
    give_area(commune_user, CommuneFactory(department=here))
    newcomer(at(-1))  # before the week
    newcomer(at(7, 1))  # after the week
    newcomer(at(3), territory["far"])  # elsewhere
    newcomer(at(3), status=UserStatus.INACTIVE)
    figures = summary.figures(summary.Scope.for_department(here), start=START, end=END)
    assert figures.new_users == 3
    national = summary.figures(summary.Scope.nation(), start=START, end=END)
    assert national.new_users == 4

    entry_model = apps.get_model("journal", "Entry")
    site = SitePageFactory(commune=CommuneFactory(department=here))
    far_site = SitePageFactory(commune=CommuneFactory(department=territory["far"]))
    author = UserFactory()
    for created, on, state in [
        (at(0, 1), site, "published"),
        (at(5), site, "published"),
        (at(4), site, "hidden"),
        (at(-2), site, "published"),
        (at(3), far_site, "published"),
    ]:
        entry = entry_model.objects.create(
            site=on,
            author=author,
            text="Passage sur le site.",
            created_at=created,
            state=state,
            hidden_reason="Propos personnels." if state == "hidden" else "",
        )
        assert entry.pk
    figures = summary.figures(summary.Scope.for_department(here), start=START, end=END)
    assert figures.new_entries == 2


def reader(territory, role=Role.INTERVENANT, **kwargs):
    user = UserFactory(role=role, **kwargs)
    give_area(user, territory)
    return user


def test_who_receives_which_variant(territory):
    here, region = territory["here"], territory["region"]
    department_reader = reader(here)
    commune_reader = reader(CommuneFactory(department=here))
    region_reader = reader(region)
    national_reader = reader(None, Role.NATIONAL_ADMIN)
    opted_out = reader(here)
    preferences.set_preference(opted_out, NotificationKind.WEEKLY_SUMMARY, False)
    reader(here, status=UserStatus.INACTIVE)
    UserFactory()  # no area at all

    groups = summary.recipients_by_scope()
    received = {key: sorted(u.pk for u in users) for key, (_scope, users) in groups.items()}
    assert received == {
        f"D{here.code}": sorted([department_reader.pk, commune_reader.pk]),
        f"R{region.code}": [region_reader.pk],
        "FR": [national_reader.pk],
    }
    only = summary.recipients_by_scope(department=here.code)
    assert list(only) == [f"D{here.code}"]


def test_the_command_sends_once_and_dry_run_sends_nothing(territory):
    here = territory["here"]
    department_reader = reader(here)
    region_reader = reader(territory["region"])
    rng = random.Random(4)
    sites = make_sites(here, rng, count=6)

    out = StringIO()
    call_command("send_weekly_summary", "--dry-run", "--until", UNTIL.isoformat(), stdout=out)
    assert "Dry run" in out.getvalue()
    run_tasks()
    assert mail.outbox == []

    call_command(
        "send_weekly_summary",
        "--until",
        UNTIL.isoformat(),
        "--department",
        here.code,
        stdout=StringIO(),
    )
    run_tasks()
    assert [message.to for message in mail.outbox] == [[department_reader.email]]
    (message,) = mail.outbox
    assert "Département-Ici" in message.subject
    figures = expected(sites)
    # Each figure on its own labelled line (a bare number is found anywhere: dates, URLs).
    lines = set(message.body.splitlines())
    with override("fr"):
        for label, key in [
            ("Sites declared:", "new_sites"),
            ("Sites closed:", "closed_sites"),
            ("Sites updated:", "updated_sites"),
            ("Open sites:", "open_sites"),
            ("People living there:", "people"),
        ]:
            line = f"- {gettext(label)} {figures[key]}"
            assert line in lines, (line, message.body)
    assert "List-Unsubscribe" in message.extra_headers

    call_command("send_weekly_summary", "--until", UNTIL.isoformat(), stdout=StringIO())
    call_command("send_weekly_summary", "--until", UNTIL.isoformat(), stdout=StringIO())
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [department_reader.email, region_reader.email]
    )


def test_a_bad_date_is_a_clear_error():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_weekly_summary", "--until", "demain", stdout=StringIO())


def test_week_bounds_are_local_midnights():
    start, end = summary.week_ending(UNTIL)
    assert timezone.localtime(start).date() == datetime.date(2026, 11, 9)
    assert timezone.localtime(end).hour == 0 and end - start == datetime.timedelta(days=7)
