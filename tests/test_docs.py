"""The documentation stays true and self-contained: README.md stays short, every link of README.md
and docs/ leads somewhere, no file points outside the repository, and the permission table of
docs/permissions.md is the role matrix of the code."""

import re
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation

from directory.enums import Role
from directory.permission_matrix import (
    OPTION_GRANTS,
    READ_FEATURES,
    ROLE_DEFAULTS,
    ROLE_ORDER,
    Feature,
    Scope,
)

ROOT = Path(settings.BASE_DIR).resolve()
README = ROOT / "README.md"
DOCS = ROOT / "docs"
README_MAX_BYTES = 15_000

MATRIX_START = "<!-- matrix:start (generated from directory/permission_matrix.py) -->"
MATRIX_END = "<!-- matrix:end -->"

#: Markdown inline links and images: [text](target) / ![alt](target).
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
#: A mention of a docs page anywhere (code comments, templates, docs), with its heading if any.
DOCS_MENTION = re.compile(r"(?<![\w/.-])docs/([\w.-]+\.md)(#[\w-]+)?")


def tracked_text_files():
    """(relative path, text) of every file of the repository (tracked, or new and not ignored),
    binary files left out."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout.decode()
        paths = [ROOT / name for name in listed.split("\0") if name]
    except (OSError, subprocess.CalledProcessError):  # not a git checkout: walk the tree
        skipped = {".git", ".venv", "var", "node_modules", "__pycache__"}
        paths = [
            path
            for path in ROOT.rglob("*")
            if path.is_file() and not skipped & set(path.relative_to(ROOT).parts)
        ]
    for path in paths:
        if not path.is_file():  # deleted in the work tree, not yet committed
            continue
        data = path.read_bytes()
        if b"\0" in data:
            continue
        try:
            yield path.relative_to(ROOT).as_posix(), data.decode("utf-8")
        except UnicodeDecodeError:
            continue


def markdown_pages():
    return [README, *sorted(DOCS.glob("*.md"))]


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found, seen = set(), {}
    in_code = False
    for line in page.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        match = re.match(r"(#{1,6})\s+(.*)", line)
        if match and not in_code:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


# --- Size and self-containment ------------------------------------------------------------------


def test_readme_stays_short():
    size = README.stat().st_size
    assert size < README_MAX_BYTES, (
        f"README.md is {size} bytes: move the detail into docs/ (limit {README_MAX_BYTES})"
    )


def test_no_file_refers_outside_the_repository():
    """A fresh clone is all a reader has: no path to the author's machine or to documents kept
    next to the repository."""
    outside = re.compile(
        "|".join(
            [
                r"(?<![\w-])" + "shared" + r"/",  # the sibling folder of notes, in any form
                r"/" + "work" + r"/",  # the development machine's absolute paths
                r"/home/\w",
            ]
        )
    )
    offenders = [
        f"{path}:{number}: {line.strip()}"
        for path, text in tracked_text_files()
        for number, line in enumerate(text.splitlines(), start=1)
        if outside.search(line)
    ]
    assert not offenders, "\n".join(offenders)


def test_every_relative_link_of_the_docs_leads_to_a_file_and_anchor():
    broken = []
    for page in markdown_pages():
        in_code = False
        for number, line in enumerate(page.read_text().splitlines(), start=1):
            if line.startswith("```"):
                in_code = not in_code
            if in_code:
                continue
            for target in LINK.findall(line):
                if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
                    continue
                path_part, _, anchor = target.partition("#")
                destination = (page.parent / path_part).resolve() if path_part else page
                where = f"{page.relative_to(ROOT)}:{number}: {target}"
                if not destination.is_relative_to(ROOT):
                    broken.append(f"{where} (outside the repository)")
                elif not destination.exists():
                    broken.append(f"{where} (no such file)")
                elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
                    broken.append(f"{where} (no such heading)")
    assert not broken, "\n".join(broken)


def test_every_mention_of_a_docs_page_names_an_existing_page_and_heading():
    """Code comments point to a page of docs/ and one of its headings: both must exist."""
    broken = []
    for path, text in tracked_text_files():
        for match in DOCS_MENTION.finditer(text):
            page = DOCS / match.group(1)
            anchor = (match.group(2) or "").lstrip("#")
            if not page.exists():
                broken.append(f"{path}: {match.group(0)} (no such page)")
            elif anchor and anchor not in anchors(page):
                broken.append(f"{path}: {match.group(0)} (no such heading)")
    assert not broken, "\n".join(broken)


def test_every_docs_page_is_listed_in_the_index():
    index = (DOCS / "README.md").read_text()
    listed = {target.partition("#")[0] for target in LINK.findall(index)}
    missing = {page.name for page in DOCS.glob("*.md")} - listed - {"README.md"}
    assert not missing, f"docs/README.md does not link to {sorted(missing)}"


# --- The permission table -----------------------------------------------------------------------


def matrix_table() -> str:
    """docs/permissions.md's table, from the role matrix (English labels)."""
    names = {Scope.NATIONAL: "national", Scope.LOCAL: "local", Scope.NONE: "—"}
    with translation.override("en"):
        roles = [str(Role(role).label) for role in ROLE_ORDER]
        lines = [
            "| feature | allows | " + " | ".join(roles) + " | read |",
            "|---|---|" + "---|" * len(roles) + "---|",
        ]
        for feature in Feature:
            cells = [names[ROLE_DEFAULTS[role][feature]] for role in ROLE_ORDER]
            reads = "yes" if feature in READ_FEATURES else ""
            lines.append(
                f"| `{feature.value}` | {feature.label} | " + " | ".join(cells) + f" | {reads} |"
            )
        lines += ["", "| user option | grants |", "|---|---|"]
        for option, (feature, scope) in OPTION_GRANTS.items():
            lines.append(f"| `{option}` | `{feature}` {names[scope]} |")
    return "\n".join(lines)


def test_the_permission_table_of_the_docs_is_the_role_matrix():
    text = (DOCS / "permissions.md").read_text()
    assert MATRIX_START in text and MATRIX_END in text
    documented = text.split(MATRIX_START, 1)[1].split(MATRIX_END, 1)[0].strip()
    expected = matrix_table()
    assert documented == expected, (
        "docs/permissions.md is out of date; put this between the matrix markers:\n\n" + expected
    )


#: How the settings read the environment: env("NAME"…), env_int("NAME"…), os.environ.get("NAME"…).
SETTING_READ = re.compile(r"""(?:\benv\w*|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""")
#: Former names still read for compatibility, documented under their current name.
LEGACY_VARIABLES = {"AXES_PROXY_COUNT"}


def test_env_example_lists_every_variable_the_settings_read():
    """An operator configures the platform from .env.example: a variable the settings read and the
    example leaves out is a setting nobody finds."""
    read = set()
    for path in (ROOT / "config" / "settings").glob("*.py"):
        if path.name == "test.py":  # the test suite's own knobs are not an operator's
            continue
        read |= set(SETTING_READ.findall(path.read_text()))
    assert "DATABASE_URL" in read and "TRUSTED_PROXY_COUNT" in read  # the pattern still matches
    example = (ROOT / ".env.example").read_text()
    listed = set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - LEGACY_VARIABLES - listed == set()
    duplicated = [
        name
        for name in listed
        if len(re.findall(rf"^#?\s?{name}=", example, flags=re.MULTILINE)) > 1
    ]
    assert duplicated == []
