"""The content model: frozen dataclasses only.

Relations are ids, never object references: a page is known by its :data:`PageId`, the
posix path of its Markdown file relative to the content folder ("guide/rivers.md").
Stages build new values and never change the ones they are given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NewType

from commonsgen import roles
from commonsgen.diagnostics import Pos

PageId = NewType("PageId", str)
"""Posix path of a page's Markdown file relative to the content folder."""


@dataclass(frozen=True, slots=True)
class SourceFile:
    rel_path: str
    """Posix path relative to the content folder: the file's id."""
    abs_path: Path
    site_path: str
    """Posix path relative to the site root, as diagnostics name it ("content/a.md")."""

    @property
    def is_page(self) -> bool:
        return self.rel_path.endswith(".md")


@dataclass(frozen=True, slots=True)
class Contributor:
    """A person in the site's registry (``contributors.yml``)."""

    id: str
    name: str
    url: str | None = None
    orcid: str | None = None
    """The bare ORCID iD, ``0000-0002-1825-0097``."""
    emails: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    pos: Pos = field(default_factory=lambda: Pos(1, 1))
    affiliation: tuple[str, ...] = ()
    """Institutions, as written (shown on their contributor page)."""
    bio: dict[str, str] = field(default_factory=dict)
    """Language code -> a short biography; "" for one in no particular language."""
    team_role: dict[str, str] = field(default_factory=dict)
    """Language code -> their role in the community's team ("Managing editor"); "" as above."""


ROLES: tuple[str, ...] = roles.ROLES
"""Roles the default theme knows words for (:mod:`commonsgen.roles`); others are accepted
with a warning."""


@dataclass(frozen=True, slots=True)
class Credit:
    """One person credited on a page, with their roles there."""

    name: str
    roles: tuple[str, ...]
    contributor_id: str | None = None
    """The registry id, or None for someone written inline by name."""
    url: str | None = None
    """Only for inline people; registry people have theirs in the registry."""
    pos: Pos = field(default_factory=lambda: Pos(1, 1))


@dataclass(frozen=True, slots=True)
class WorkRef:
    """A work outside this site that a page adapts."""

    title: str
    authors: tuple[str, ...]
    url: str | None
    license: str | None
    """As written; the licence stage normalises and checks it."""
    author_url: str | None = None
    """A web page of the author (or of all of them), linked from their name in credits."""
    copyright: str | None = None
    """The copyright notice as the work gives it ("© 2019 Jane Doe"), kept with the credit:
    CC 4.0 legal code §3(a)(1)(A)(ii) asks re-users to retain it."""


EdgeKind = Literal["derived_from", "translation_of"]


@dataclass(frozen=True, slots=True)
class Edge:
    """One step of a page's derivation: from a page of this site or an outside work."""

    kind: EdgeKind
    page: PageId | None
    """The source page, resolved to an id (it may not exist; the attribution stage checks)."""
    work: WorkRef | None
    written: str
    """The path or title as the editor wrote it, for messages."""
    changes: str | None
    pos: Pos
    pin: Pin | None = None
    """For ``translation_of``: the version of the original the translation follows."""


@dataclass(frozen=True, slots=True)
class Pin:
    """The version of its original a translation says it follows (``translation_of:
    {page: ..., revision: ..., hash: ...}``): it wins over the translation's own commits."""

    revision: str | None = None
    """A commit of the repository (hex, at least 7 digits), lowercase."""
    content_hash: str | None = None
    """``sha256:`` and hex digits (at least 12) of the original's body: decides without git."""
    pos: Pos = field(default_factory=lambda: Pos(1, 1))
    """Where ``revision`` (else ``hash``) is written: the pin command rewrites it there."""


@dataclass(frozen=True, slots=True)
class Media:
    """An image or other work shown on a page, with its own credit."""

    file: str
    """As written in the frontmatter, relative to the page."""
    title: str | None
    author: str | None
    source: str | None
    license: str | None
    pos: Pos
    changes: str | None = None
    """What was changed in the medium shown (cropped, recoloured ...): an adapted work must
    say so (CC 4.0 legal code §3(a)(1)(B)); None: shown as the author made it."""
    author_url: str | None = None
    copyright: str | None = None
    """The medium's copyright notice, as its author gives it."""


@dataclass(frozen=True, slots=True)
class Inclusion:
    """An outside work shown on a page unchanged (a quotation, an ND or public-domain
    image, an item of a collection): credited, never an adaptation, so no licence rule
    of adaptation applies to it (CC 3.0 §1(b): a work "included in its entirety in
    unmodified form" in a collection "will not be considered an Adaptation")."""

    work: WorkRef
    pos: Pos


@dataclass(frozen=True, slots=True)
class Page:
    id: PageId
    source: SourceFile
    title: str
    body: str
    body_line: int
    """The file line on which the Markdown body starts (after the frontmatter)."""
    lang: str
    contributors: tuple[Credit, ...] = ()
    license: str | None = None
    """As written (or the site default); the licence stage normalises it."""
    code_license: str | None = None
    """The code blocks' licence when it differs (``license: {content: ..., code: MIT}``, or
    the site default's ``code``); None: the code is under ``license`` too."""
    date: dt.date | None = None
    updated: dt.date | None = None
    tags: tuple[str, ...] = ()
    summary: str | None = None
    weight: int = 0
    slug: str | None = None
    template: str | None = None
    draft: bool = False
    derived_from: tuple[Edge, ...] = ()
    translation_of: Edge | None = None
    media: tuple[Media, ...] = ()
    includes: tuple[Inclusion, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    """Frontmatter keys commonsgen does not know, for themes."""
    positions: dict[str, Pos] = field(default_factory=dict)
    """Where each frontmatter key is written, for later stages' diagnostics."""

    @property
    def is_index(self) -> bool:
        return self.id == "index.md" or self.id.endswith("/index.md")

    def pos(self, key: str) -> Pos:
        return self.positions.get(key, Pos(1, 1))
