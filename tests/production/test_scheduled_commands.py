"""The crontab of docs/operations.md, run as the operator's cron would: every `manage.py` line,
with the production settings, on the deployed platform (demo data), succeeds — twice, since each
command is said to be idempotent."""

import re
import shlex
from pathlib import Path

import pytest

from bench import stack

pytestmark = pytest.mark.production

OPERATIONS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"


def documented_commands() -> list[list[str]]:
    text = OPERATIONS.read_text()
    block = text.split("## Scheduled commands", 1)[1].split("```cron", 1)[1].split("```", 1)[0]
    commands = []
    for line in block.splitlines():
        match = re.search(r"manage\.py (.+)$", line)
        if match and not line.lstrip().startswith("#"):
            commands.append(shlex.split(match.group(1)))
    return commands


def test_the_crontab_is_read():
    names = [command[0] for command in documented_commands()]
    # A sample the parser must find: if the section moves or changes shape, this says so.
    for expected in ("send_weekly_summary", "purge_sign_in_log", "send_indicator_reminders"):
        assert expected in names
    assert len(names) >= 10


@pytest.mark.parametrize("command", documented_commands(), ids=lambda command: command[0])
def test_every_scheduled_command_succeeds_with_the_production_settings(deployed, command):
    for _ in range(2):
        stack.manage(deployed["environment"], *command, timeout=600)
