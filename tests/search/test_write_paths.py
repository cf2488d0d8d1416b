"""Every write that bypasses `save()` (`.update()`, `bulk_create`, `bulk_update`) is listed here,
with how the search index follows it (issue 16, item 3). A new one fails this test until it is
reviewed: either it re-indexes (a signal the search app listens to) or it touches nothing indexed.

Data migrations are followed by `manage.py rebuild_search_index` (docs/search.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "core",
    "directory",
    "sitepages",
    "actions",
    "journal",
    "forum",
    "activity",
    "search",
    "cms",
)
BYPASSING = {"update", "bulk_create", "bulk_update"}
QUERYSET_HINTS = ("objects", "filter(", "exclude(", ".all(", "reports")

REINDEXED = "re-indexed: sends forum.forum_conversation.signals.topic_changed"
NOT_INDEXED = "touches no indexed field"
DATASET = "generate_dataset: its last step (search/dataset.py) writes every search document"

#: (file, enclosing function) -> how the index follows the write
WRITE_PATHS = {
    ("forum/services.py", "solve_topic"): REINDEXED,
    ("forum/services.py", "unsolve_topic"): REINDEXED,
    ("activity/digest.py", "send_digests"): NOT_INDEXED + " (notifications, emails)",
    ("forum/forum_conversation/forms.py", "update_topic"): REINDEXED,
    ("forum/demo.py", "load_demo"): REINDEXED,
    ("journal/services.py", "_close_reports"): NOT_INDEXED + " (reports)",
    ("directory/services/access_requests.py", "send_reminders"): NOT_INDEXED,
    ("directory/services/wagtail_access.py", "sync_wagtail_access"): NOT_INDEXED + " (is_staff)",
    ("directory/services/second_factor.py", "_new_recovery_codes"): NOT_INDEXED,
    ("directory/management/commands/fill_commune_centres.py", "handle"): NOT_INDEXED
    + " (a commune's centre coordinates)",
    ("directory/management/commands/load_territories.py", "upsert"): (
        "territory names: followed by rebuild_search_index --type site (docs/operations.md)"
    ),
    ("directory/middleware.py", "__call__"): NOT_INDEXED + " (last_access)",
    ("activity/management/commands/email_failures.py", "handle"): NOT_INDEXED,
    ("activity/emails.py", "give_up"): NOT_INDEXED,
    ("activity/services.py", "create_notifications"): NOT_INDEXED,
    ("activity/services.py", "queue_email"): NOT_INDEXED,
    ("activity/services.py", "mark_all_read"): NOT_INDEXED + " (notifications)",
    ("search/indexing.py", "upsert"): "the index itself",
    ("search/indexing.py", "remove"): "the index itself",
    ("search/rebuild.py", "write_batch"): "the index itself",
    ("search/replication.py", "_settle"): "the index itself",
    (
        "search/management/commands/search_benchmark.py",
        "_generate",
    ): "the index itself (benchmark documents)",
    ("search/signals.py", "user_anonymized"): "the index itself (erasure of a person)",
    ("actions/services.py", "_set_relations"): (
        "re-indexed: the caller then records an ActionRevision (search/signals.action_changed)"
    ),
    ("actions/services.py", "save_finances"): NOT_INDEXED + " (finances are never indexed)",
    ("directory/services/erasure.py", "anonymize_user"): (
        "re-indexed: sends directory.signals.user_anonymized (search/signals.user_anonymized)"
    ),
    ("directory/services/erasure.py", "replace_everywhere"): (
        "called under user_anonymized, search documents included"
    ),
    ("directory/dataset.py", "generate_directory"): DATASET,
    ("sitepages/dataset.py", "generate_sites"): DATASET,
    ("sitepages/dataset.py", "_indexes"): DATASET,
    ("sitepages/dataset.py", "_insert_pages"): DATASET,
    ("journal/dataset.py", "generate_journal"): DATASET,
    ("actions/dataset.py", "generate_actions"): DATASET,
    ("forum/forum_conversation/dataset.py", "generate_forum"): DATASET,
    ("activity/dataset.py", "generate_activity"): NOT_INDEXED + " (notifications, site events)",
}


def _bypassing_writes():
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text())
            for function in ast.walk(tree):
                if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(function):
                    if (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in BYPASSING
                        and any(hint in ast.unparse(node.func.value) for hint in QUERYSET_HINTS)
                    ):
                        found.add((str(path.relative_to(ROOT)), function.name))
    return found


def test_every_write_bypassing_save_is_reviewed_for_the_search_index():
    found = _bypassing_writes()
    assert found - set(WRITE_PATHS) == set(), "new write path: review it and list it here"
    assert set(WRITE_PATHS) - found == set(), "listed write path gone: remove it from the list"
