"""Every action button shows its text at every width (issue 16, item 8).

DSFR squeezes a button carrying an icon class to a bare icon (2 to 2.5rem, text hidden) inside a
button group that is not an icon group. The groups holding such buttons must say where the icon
goes (`fr-btns-group--icon-left` or `--icon-right`), and a lone icon button must say it too
(`fr-btn--icon-left` or `--icon-right`) unless it has a visible label elsewhere (`title` and
`aria-label` are not enough for sighted users)."""

from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
#: The header's tool links: DSFR shows their texts beside the icons (its own rules).
HEADER = {"templates/includes/header.html", "activity/templates/activity/includes/header_bell.html"}


def _templates():
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        if ".venv" in path.parts or str(path.relative_to(ROOT)) in HEADER:
            continue
        yield path


def _classes(element) -> list[str]:
    return element.get("class") or []


def _has_icon(element) -> bool:
    return any(name.startswith(("fr-icon-", "fr-fi-")) for name in _classes(element))


def test_button_groups_with_icons_show_the_button_texts():
    squeezed = []
    for path in _templates():
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for group in soup.select(".fr-btns-group"):
            if any(name.startswith("fr-btns-group--icon-") for name in _classes(group)):
                continue
            if any(_has_icon(button) for button in group.select(".fr-btn")):
                squeezed.append(str(path.relative_to(ROOT)))
                break
    assert squeezed == []


def test_icon_buttons_outside_groups_show_their_text():
    icon_only = []
    for path in _templates():
        soup = BeautifulSoup(path.read_text(), "html.parser")
        for button in soup.select(".fr-btn"):
            if not _has_icon(button) or button.find_parent(class_="fr-btns-group"):
                continue
            if not any(name.startswith("fr-btn--icon-") for name in _classes(button)):
                icon_only.append(f"{path.relative_to(ROOT)}: {' '.join(_classes(button))}")
    assert icon_only == []
