"""The benchmark's per-page profile (bench/server_time.py) and its table in the report: each
page measured says where its time goes — SQL, templates, the project's costliest functions."""

import pytest

from bench import report as bench_report
from bench.pages import MAIN_ROLE, ROLES
from bench.server_time import measure
from directory.enums import Role
from tests.directory.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_page_is_measured_with_the_profile_of_its_time():
    UserFactory(email=ROLES[MAIN_ROLE], role=Role.NATIONAL_ADMIN)

    results = measure({"health": "/sante/", "notifications": "/notifications/"}, 2)

    page = results["notifications"]
    assert page["status"] == 200 and page["queries"] > 0
    assert page["sql_ms"] > 0
    # A member's page is rendered through templates; its own view is among the costliest code.
    assert 0.2 < page["profile"]["templates_share"] <= 1
    labels = [label for label, _share in page["profile"]["top"]]
    assert any(label.startswith("activity/views") for label in labels), labels
    assert all(0 < share <= 1 for _label, share in page["profile"]["top"])
    # The health check renders no template and runs no query of the project's pages.
    assert results["health"]["profile"]["templates_share"] < page["profile"]["templates_share"]


def test_the_report_shows_where_each_pages_time_goes():
    server_time = {
        "site_edit": {
            "median_ms": 117.0,
            "queries": 14,
            "status": 200,
            "sql_ms": 5.2,
            "profile": {
                "templates_share": 0.81,
                "top": [["sitepages/views_edit.py:40 edit", 0.97]],
            },
        }
    }
    lines = bench_report.profile_lines(server_time)
    assert "| site_edit | 117.0 | 5.2 | 81% | `sitepages/views_edit.py:40 edit` 97% |" in lines
    assert bench_report.profile_lines({"old": {"median_ms": 1, "queries": 1, "status": 200}}) == []
