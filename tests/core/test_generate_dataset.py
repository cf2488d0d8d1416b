"""`manage.py generate_dataset`: synthetic national data, deterministic for a seed, refused on a
database holding real accounts, consistent with the validation rules and the statistics."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from machina.core.db.models import get_model
from notifications.models import Notification
from wagtail.models import Revision

from actions.models import Action, ActionFinance, ActionIndicators
from activity.models import SiteEvent
from core.dataset import EMAIL_DOMAIN, weighted_counts
from directory.enums import Role
from directory.models import Organization, User
from journal.models import Entry
from search.models import SearchDocument
from sitepages.models import SitePage
from tests.directory.factories import UserFactory, give_area

pytestmark = pytest.mark.django_db(transaction=False)

SCALE = 0.02


def generate(**options) -> str:
    out = io.StringIO()
    call_command(
        "generate_dataset", scale=SCALE, seed=options.pop("seed", 7), stdout=out, **options
    )
    return out.getvalue()


def fingerprint() -> str:
    """A digest of what was generated, by natural keys (primary keys and sequences differ
    from one run to the next)."""
    Post = get_model("forum_conversation", "Post")  # noqa: N806
    generated = f"@{EMAIL_DOMAIN}"
    parts = {
        "users": sorted(
            User.objects.filter(email__endswith=generated).values_list(
                "email", "role", "status", "organization__name", "last_access"
            )
        ),
        "organisations": sorted(Organization.objects.values_list("name", "type__name")),
        "actions": sorted(
            Action.objects.values_list("name", "started_at", "ended_at", "location_type")
        ),
        "sites": sorted(
            SitePage.objects.values_list(
                "url_path",
                "title",
                "people",
                "declared_at",
                "closed_at",
                "closing_cause",
                "latitude",
                "longitude",
                "first_published_at",
            )
        ),
        "revisions": sorted(
            (page.url_path, str(created), content.get("people"), content.get("updated_at"))
            for page, created, content in (
                (SitePage.objects.get(pk=r.object_id), r.created_at, r.content)
                for r in Revision.page_revisions.filter(content_type__model="sitepage").order_by(
                    "pk"
                )
            )
        ),
        "entries": sorted(
            Entry.objects.values_list(
                "site__url_path", "author__email", "created_at", "audience", "state", "text"
            )
        ),
        "posts": sorted(
            Post.objects.values_list("topic__subject", "poster__email", "created", "content")
        ),
        "events": sorted(SiteEvent.objects.values_list("site__url_path", "kind", "occurred_at")),
        "notifications": sorted(
            Notification.objects.values_list("recipient__email", "verb", "timestamp", "unread")
        ),
    }
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def test_weighted_counts_split_the_total_in_proportion():
    import random

    counts = weighted_counts(random.Random(1), 100, [1, 1, 2])  # noqa: S311
    assert sum(counts) == 100 and counts[2] >= counts[0]


def test_refuses_a_database_with_real_accounts():
    UserFactory(email="agent@prefecture.gouv.fr")
    with pytest.raises(CommandError, match="--force"):
        generate()
    assert not User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()


def test_generates_plausible_consistent_data_the_same_for_a_seed(client):
    sid = transaction.savepoint()
    output = generate()
    assert "Données synthétiques générées" in output
    first = fingerprint()
    # The planner knows the tables were filled (never analysed: reltuples = -1).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN "
            "('activity_siteevent', 'journal_entry', 'directory_user')"
        )
        estimated = dict(cursor.fetchall())
    assert estimated["activity_siteevent"] >= SiteEvent.objects.count() * 0.5, estimated
    assert estimated["journal_entry"] >= Entry.objects.count() * 0.5, estimated

    # Plausible counts at this scale (scale 1: ~450 open, ~2,500 closed, 1,000 accounts…).
    sites = SitePage.objects.live()
    assert 5 <= sites.open().count() <= 20
    assert 40 <= sites.closed().count() <= 60
    assert sites.resorbed().exists()
    assert User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count() >= 20
    assert Entry.objects.count() >= 300
    assert get_model("forum_conversation", "Post").objects.count() >= 50
    assert SiteEvent.objects.count() == (
        Revision.page_revisions.filter(content_type__model="sitepage").count()
    )
    assert SearchDocument.objects.alive().filter(doc_type="site").count() == sites.count()

    # Every site follows the validation rules, its page tree is sound, its last revision live.
    assert SitePage.find_problems() == ([], [], [], [], [])
    for site in sites.select_related("commune"):
        site.full_clean()
        assert site.live_revision_id == site.latest_revision_id is not None

    # Actions (~300 at scale 1) follow their rules: dates, operators, finances, indicators;
    # each has its first history entry and its search document.
    actions = Action.objects.prefetch_related("operator_rows", "sites")
    assert 2 <= actions.count() <= 15
    for action in actions:
        action.full_clean()
        rows = list(action.operator_rows.all())
        assert rows and sum(row.is_principal for row in rows) == 1
        assert all(site.closed_at is None for site in action.sites.all())
        assert action.revisions.exists()
    for row in ActionFinance.objects.select_related("action"):
        row.full_clean()
    for row in ActionIndicators.objects.select_related("action"):
        row.full_clean()
    assert ActionIndicators.objects.exists()
    assert SearchDocument.objects.alive().filter(doc_type="action").count() == actions.count()

    # Statistics agree with the sites.
    from cms import statistics

    totals = statistics.compute()["totals"]
    assert totals["open_sites"] == sites.open().count()

    # Every generated site page renders for a national administrator.
    admin = UserFactory(role=Role.NATIONAL_ADMIN)
    give_area(admin, None)
    client.force_login(admin)
    for site in sites.filter(slug__regex=r"-[0-9]+$"):
        assert client.get(site.url).status_code == 200, site.url
    pages = ["/sites/", "/sites/carte/", "/sites/tableau-de-bord/", "/notifications/activite/"]
    pages += ["/entraide/", "/journal/moderation/", "/recherche/?q=terrain", "/actions/"]
    pages += [f"/actions/{pk}/" for pk in Action.objects.values_list("pk", flat=True)[:5]]
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page

    # Running it again on the same database is refused; the same seed gives the same data.
    with pytest.raises(CommandError, match="already holds generated data"):
        generate()
    transaction.savepoint_rollback(sid)
    generate()
    assert fingerprint() == first


def test_make_demo_adds_synthetic_data_once_and_survives_a_refusal(monkeypatch):
    from core.management.commands import rundemo

    calls = []

    def fake_call_command(name, **options):
        calls.append((name, options))
        raise CommandError("This database holds accounts that are not demo accounts")

    monkeypatch.setattr(rundemo, "call_command", fake_call_command)
    command = rundemo.Command(stdout=io.StringIO())
    command.add_synthetic_data()  # refused: said, not raised
    assert calls == [("generate_dataset", {"scale": rundemo.DEMO_SCALE, "seed": 1})]
    assert "non ajoutées" in command.stdout._out.getvalue()
    UserFactory(email=f"someone.1@{EMAIL_DOMAIN}")
    command.add_synthetic_data()  # already there: nothing called
    assert len(calls) == 1
