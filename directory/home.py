"""The blocks of the home after login (« Tableau de bord », `/tableau-de-bord/`).

The home belongs to the directory (the lowest app that knows the user), but most of what it
shows belongs to higher apps: the user's sites and what changed on them (activity), the
messages to moderate (journal), the inbox (cms)… Each app registers its blocks here from its
`AppConfig.ready()`; the home renders the blocks in their `order`.

A block is a function `(request) -> dict | None`: None hides the block (the user has no use for
it); a dict gives the `template` to include and the context it needs. Each block costs a
constant number of queries, whatever the number of sites.
"""

from collections.abc import Callable
from dataclasses import dataclass

HomeBlock = Callable[[object], dict | None]


@dataclass(frozen=True)
class _Registered:
    order: int
    name: str
    function: HomeBlock


_BLOCKS: dict[str, _Registered] = {}


def register(name: str, function: HomeBlock, *, order: int = 50) -> None:
    """Register (or replace) the block `name`; lower `order` comes first."""
    _BLOCKS[name] = _Registered(order=order, name=name, function=function)


def blocks_for(request) -> list[dict]:
    shown = []
    for registered in sorted(_BLOCKS.values(), key=lambda block: (block.order, block.name)):
        block = registered.function(request)
        if block is not None:
            shown.append({"name": registered.name, **block})
    return shown
