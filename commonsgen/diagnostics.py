"""Diagnostics: what every stage reports instead of raising.

A build collects every problem of every file into one :class:`Report`, so that an editor
sees all their mistakes at once. Diagnostics are plain frozen dataclasses: they pickle
across worker processes and compare equal in tests.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from typing import Any


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


CHECKS: dict[str, tuple[Severity, str]] = {
    "no-contributors": (Severity.WARNING, "a page credits no one"),
    "missing-alt": (Severity.WARNING, "an image has no alternative text"),
    "source-without-url": (Severity.WARNING, "an outside source has no URL"),
    "media-without-license": (Severity.ERROR, "a media entry names no licence"),
    "uncredited-contributor": (Severity.WARNING, "someone in the registry is credited nowhere"),
    "broken-anchor": (Severity.ERROR, "a link's #anchor is no heading of its page"),
    "shallow-history": (Severity.WARNING, "a shallow clone: git history, credits, dates cut short"),
    "translation-outdated": (Severity.WARNING, "a translation is behind its original"),
    "translation-unknown": (Severity.WARNING, "a pinned revision is not in the history"),
    "unlisted-media": (Severity.WARNING, "an image in the text is not credited under media"),
}
"""The kinds of problem a site may set to error, warning or ignore (``checks:`` in
commonsgen.yml), with their default severity. Licence and link errors are not among them:
a site cannot choose to publish wrong credits."""

_WRONG_LICENCE = "lowering it would publish a page under a licence its sources do not allow"
_LICENCE = (
    "it protects the licence terms re-users rely on (CC legal code, section 3: "
    "attribution, ShareAlike, NonCommercial and NoDerivatives conditions of every work "
    "up the chain)"
)
_CREDIT = "it protects the credit the licence requires (CC legal code, section 3(a)(1))"
_SECURITY = "it protects readers and the build machine from what a pull request may hold"
_NOTHING = "nothing can be built past it"

UNLOWERABLE: dict[str, str] = {
    # licences
    "unknown-license": "a licence commonsgen cannot read cannot be shown or checked",
    "no-license-fits": _WRONG_LICENCE,
    "unlicensed-source": "a work without a licence may not be adapted at all",
    "nd-source": _WRONG_LICENCE,
    "nc-dropped": _WRONG_LICENCE,
    "sa-downgrade": _WRONG_LICENCE,
    "sa-older-version": _WRONG_LICENCE,
    "sa-no-later-version": _WRONG_LICENCE,
    "incompatible-licence": _WRONG_LICENCE,
    "licenseref-no-adaptations": "the permission the site declared does not cover adaptations",
    "public-domain-adaptation": (
        "lowering it would mark as free of copyright a work that is not (or, for CC0 over "
        "BY material, hide that the source's conditions still apply)"
    ),
    "public-domain-mark": _LICENCE,
    "missing-source": "a credit would name a source that does not exist",
    "source-is-draft": "a published credit would point to an unpublished page",
    "self-source": _LICENCE,
    "derivation-cycle": "a credit chain that loops cannot name who made what",
    "changed-nd-media": _WRONG_LICENCE,
    "changed-include": "an included work is shown unchanged; a changed one is an adaptation",
    "unlicensed-include": "a work shown without a licence or a permission may not be shown",
    "pdm-includes-copyrighted": (
        "lowering it would mark as free of copyright a page that shows copyrighted works"
    ),
    # credits
    "unknown-contributor": _CREDIT,
    "contributor-without-name": _CREDIT,
    "bad-contributor-id": _CREDIT,
    "bad-orcid": _CREDIT + "; a wrong ORCID iD credits someone else",
    # security
    "active-content": _SECURITY,
    "bad-url": _SECURITY,
    "path-outside": _SECURITY,
    "symlink-outside": _SECURITY,
    "template-unsafe": _SECURITY,
    "yaml-too-large": _SECURITY,
    "frontmatter-too-large": _SECURITY,
    "page-too-large": _SECURITY,
    "untrusted-cache": _SECURITY,
    "url-collision": "one output file would overwrite another",
    "design-file-changed": _SECURITY + ": a changed template or script runs for readers",
    # the build cannot go on
    "no-config": _NOTHING,
    "no-content": _NOTHING,
    "config-not-mapping": _NOTHING,
    "config-missing-key": _NOTHING,
    "config-type": _NOTHING,
    "bad-profile": _NOTHING,
    "profile-data": _NOTHING,
    "unknown-theme": _NOTHING,
    "template-not-found": _NOTHING,
    "template-syntax": _NOTHING,
    "template-error": _NOTHING,
    "internal-error": _NOTHING,
    "file-system": _NOTHING + " (the operating system refused to read or write a file)",
    "git-missing": _NOTHING + " with git: true (set git: auto instead)",
}
"""The kinds of problem no site or profile may change (``checks:``), and why. Every other
kind may be raised, lowered or ignored: ``broken-link``, ``missing-file``, ``yaml-syntax``
(the page is left out, with a warning) ... The licence and security checks of other
modules add their rows here."""

KINDS: frozenset[str] = frozenset(
    {
        *CHECKS,
        *UNLOWERABLE,
        "bad-date", "bad-doi", "bad-language", "bad-page-path", "bad-pin", "bad-slug",
        "bad-template", "broken-link", "control-character", "include-without-title",
        "pattern-too-slow",
        "tag-slug-collision", "duplicate-key", "empty-value",
        "frontmatter-not-mapping", "frontmatter-unclosed", "license-spelling",
        "link-outside", "link-scheme", "link-to-draft", "media-without-file", "missing-file",
        "missing-image", "missing-license", "missing-media", "missing-title",
        "registry-missing", "registry-not-mapping", "slug-on-index",
        "source-without-title", "unknown-config-key", "unknown-field", "unknown-language",
        "unknown-profile-key", "unknown-role", "unknown-translation-source", "unreadable",
        "wrong-type", "yaml-syntax",
    }
)  # fmt: skip
"""Every kind of problem commonsgen reports (tests/unit/test_diagnostics_table.py finds
them in the source and checks that none is missing)."""


def check_level_problem(code: str) -> str | None:
    """Why ``checks: {code: ...}`` cannot be, or None when it can."""
    if code in UNLOWERABLE:
        return f"'{code}' cannot be changed: {UNLOWERABLE[code]}"
    if code not in KINDS:
        close = suggestion(code, sorted(KINDS))
        return f"unknown check '{code}'" + (f"; {close}" if close else "")
    return None


LEVELS = ("error", "warning", "ignore")

OFF_UNLESS_SET = frozenset({"unlisted-media"})
"""Checks made only when a site's ``checks:`` names them (the stage that makes one asks
the config: a worker's own report knows no levels). An image the text shows and
``media`` does not list is taken to be the page's own work, under the page's licence; a
community that must credit every figure asks for ``unlisted-media: warning`` (or error)."""


@dataclass(slots=True)
class Report:
    """The one collector a build threads through its stages."""

    items: list[Diagnostic] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)
    """code -> "error" | "warning" | "ignore", from the site's ``checks:``; applied as
    diagnostics arrive, so every stage (and every replay of a cached stage) agrees."""

    def _leveled(self, diagnostic: Diagnostic) -> Diagnostic | None:
        level = self.levels.get(diagnostic.code)
        if level is None or level == diagnostic.severity or diagnostic.code in UNLOWERABLE:
            return diagnostic
        if level == "ignore":
            return None
        return replace(diagnostic, severity=Severity(level))

    def add(self, diagnostic: Diagnostic) -> None:
        leveled = self._leveled(diagnostic)
        if leveled is not None:
            self.items.append(leveled)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            self.add(diagnostic)

    def error(
        self,
        path: str,
        line: int | None,
        column: int | None,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.ERROR, code, message, hint))

    def warning(
        self,
        path: str,
        line: int | None,
        column: int | None,
        code: str,
        message: str,
        hint: str | None = None,
    ) -> None:
        self.add(Diagnostic(path, line, column, Severity.WARNING, code, message, hint))

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


WARNINGS_SHOWN = 5
"""Warnings of one kind that build and serve print before they count the rest (check
prints all)."""


def format_text(
    diagnostics: Sequence[Diagnostic], *, path_prefix: str = "", group_after: int | None = None
) -> str:
    """``path:line:col: error[code]: message`` with the hint indented under it.

    ``group_after``: show at most that many warnings of one kind, then one line with the
    count of the rest (as Pelican's log filter does), so that one habit of a corpus does
    not bury the other problems. Errors are always shown one by one."""
    lines: list[str] = []
    shown: Counter[str] = Counter()
    for d in diagnostics:
        if group_after is not None and d.severity == Severity.WARNING:
            shown[d.code] += 1
            if shown[d.code] > group_after:
                continue
        prefix = "" if d.path.startswith("/") else path_prefix
        lines.append(f"{prefix}{d.location()}: {d.severity}[{d.code}]: {d.message}")
        if d.hint:
            lines.extend(f"    {hint_line}" for hint_line in d.hint.splitlines())
    for code, count in sorted(shown.items()):
        if count > group_after:  # type: ignore[operator]  # only counted with a limit
            rest = count - group_after  # type: ignore[operator]
            lines.append(
                f"... and {rest:,} more warning[{code}] (build -v or check lists every one)"
            )
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(diagnostics: Sequence[Diagnostic], *, path_prefix: str = "") -> str:
    """A JSON list of ``{path, line, column, severity, code, message, hint}`` objects.

    The schema is documented in docs/content/reference/diagnostics.md and stable: CI
    scripts parse it.
    """
    rows = [
        asdict(d)
        | {
            "path": d.path if d.path.startswith("/") else path_prefix + d.path,
            "severity": str(d.severity),
        }
        for d in diagnostics
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _github_data(text: str) -> str:
    # GitHub's workflow-command escaping (actions/toolkit, command.ts): the message part.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # Property values additionally escape the separators of the property list.
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Sequence[Diagnostic], *, path_prefix: str = "") -> str:
    """GitHub Actions workflow commands (``::error file=..,line=..::message``), one a line,
    so that a pull request shows each problem on the line it is about."""
    lines: list[str] = []
    for d in diagnostics:
        command = "error" if d.severity is Severity.ERROR else "warning"
        path = d.path if d.path.startswith("/") else path_prefix + d.path
        props = [f"file={_github_property(path)}"]
        if d.line is not None:
            props.append(f"line={d.line}")
            if d.column is not None:
                props.append(f"col={d.column}")
        props.append(f"title={_github_property(f'commonsgen {d.code}')}")
        message = d.message + (f"\n{d.hint}" if d.hint else "")
        lines.append(f"::{command} {','.join(props)}::{_github_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")


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


def describe_value(value: Any) -> str:
    """A YAML value as a message names it: "a list", "the number 3", "'yes'" ..."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (true/false)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, int | float):
        return f"the number {value}"
    return f"'{value}'"
