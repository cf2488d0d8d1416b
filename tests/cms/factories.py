"""Factories of the public side: editorial pages (created under the home page)."""

import datetime

from django.utils import timezone

from cms.models import HomePage
from sitepages.models import ClosingSolution
from tests.sitepages.factories import SitePageFactory


def add_page(model, parent=None, **fields):
    parent = parent or HomePage.objects.get()
    fields.setdefault("slug", fields["title"].lower().replace(" ", "-"))
    page = model(**fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def closed_site(*, year, people=None, solutions=(), resorbed=True, **kwargs):
    """A site closed on 1 June of `year`; `solutions` = [(solution_type, people)]."""
    closed_at = datetime.date(year, 6, 1)
    site = SitePageFactory(
        declared_at=closed_at - datetime.timedelta(days=400),
        closed_at=closed_at,
        closed_with_solutions=resorbed,
        people=people,
        **kwargs,
    )
    for solution_type, count in solutions:
        ClosingSolution.objects.create(site=site, solution_type=solution_type, people=count)
    return site


def this_year() -> int:
    return timezone.localdate().year
