"""A small text progress bar for management commands (no dependency)."""

import sys


class ProgressBar:
    def __init__(self, stdout, label: str, total: int, *, width: int = 30):
        self.stdout, self.label, self.total, self.width = stdout, label, max(total, 0), width
        self.done = 0
        self.interactive = getattr(sys.stdout, "isatty", lambda: False)()
        self._last_percent = -1

    def advance(self, count: int = 1) -> None:
        self.done += count
        percent = 100 if not self.total else min(100, self.done * 100 // self.total)
        if percent == self._last_percent:
            return
        self._last_percent = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        line = f"{self.label:<14} [{bar}] {percent:3d}% ({self.done}/{self.total})"
        if self.interactive:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()
        elif percent in (0, 25, 50, 75, 100):
            self.stdout.write(line)

    def finish(self, summary: str) -> None:
        if self.interactive:
            self.stdout.write("")
        self.stdout.write(f"{self.label:<14} {summary}")
