"""Diagnostics: what every stage reports instead of raising.

A build collects every problem of every file into one :class:`Report`, so that an editor
sees all their mistakes at once. Diagnostics are plain frozen dataclasses: they pickle
across worker processes and compare equal in tests.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Pos:
    """A 1-based line and column in a file."""

    line: int
    column: int


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    path: str
    """File the problem is in, posix, relative to the site root ("content/guide/a.md")."""
    line: int | None
    """1-based line in the file (not in the frontmatter block); None when unknown."""
    column: int | None
    """1-based column; None when unknown."""
    severity: Severity
    code: str
    """Stable kebab-case kind, e.g. ``unknown-contributor``; tests and config refer to it."""
    message: str
    hint: str | None = None

    def location(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def _sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    return (d.path, d.line or 0, d.column or 0, d.code, d.message)


@dataclass(slots=True)
class Report:
    """The one collector a build threads through its stages."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def error(
        self,
        path: str,
        line: int | None,
        column: int | None,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(path, line, column, Severity.ERROR, code, message, hint))

    def warning(
        self,
        path: str,
        line: int | None,
        column: int | None,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.items.append(Diagnostic(path, line, column, Severity.WARNING, code, message, hint))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def failed(self, *, strict: bool) -> bool:
        """True when the build must stop: any error, or any warning under ``--strict``."""
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Diagnostic]:
        """Stable order, duplicates removed (two stages may notice the same thing)."""
        return sorted(set(self.items), key=_sort_key)


def format_text(diagnostics: Sequence[Diagnostic], *, path_prefix: str = "") -> str:
    """``path:line:col: error[code]: message`` with the hint indented under it."""
    lines: list[str] = []
    for d in diagnostics:
        prefix = "" if d.path.startswith("/") else path_prefix
        lines.append(f"{prefix}{d.location()}: {d.severity}[{d.code}]: {d.message}")
        if d.hint:
            lines.extend(f"    {hint_line}" for hint_line in d.hint.splitlines())
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    rows = [asdict(d) | {"severity": str(d.severity)} for d in diagnostics]
    return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def did_you_mean(word: str, candidates: Iterable[str], *, n: int = 3) -> list[str]:
    """Close matches for ``word``, compared case-insensitively, returned in their own spelling."""
    by_folded: dict[str, str] = {}
    for candidate in candidates:
        by_folded.setdefault(candidate.casefold(), candidate)
    folded = word.casefold()
    if folded in by_folded:
        return [by_folded[folded]]
    matches = difflib.get_close_matches(folded, sorted(by_folded), n=n, cutoff=0.6)
    return [by_folded[m] for m in matches]


def suggestion(word: str, candidates: Iterable[str]) -> str | None:
    """A ready "did you mean ...?" phrase, or None when nothing is close."""
    matches = did_you_mean(word, candidates)
    if not matches:
        return None
    if len(matches) == 1:
        return f"did you mean '{matches[0]}'?"
    quoted = ", ".join(f"'{m}'" for m in matches)
    return f"did you mean one of {quoted}?"
