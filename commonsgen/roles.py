"""The roles a person may have on a page: one table for commonsgen's own roles, the
fourteen roles of CRediT, the Contributor Roles Taxonomy (ANSI/NISO Z39.104-2022,
https://credit.niso.org/), and the roles of translated works (translation editor and
reviewer) and of software lessons (tester).

Every role has a word in each of the default theme's languages (``role_<id>`` in
``themes/default/i18n/<lang>.yml``; tests/unit/test_roles.py checks that none is missing).
"""

from __future__ import annotations

from dataclasses import dataclass

CREDIT_URL = "https://credit.niso.org/contributor-roles/{}/"
"""A CRediT role's term page; its id is the last segment."""


@dataclass(frozen=True, slots=True)
class Role:
    id: str
    maker: bool
    """Whether a work's credit line may name them after "by" when it has no author (nor
    editor): the people who made it. Reviewers, translators, funders and supervisors are
    credited in their role, never as its makers."""
    credit: bool = False
    """One of CRediT's fourteen roles (its term page is ``CREDIT_URL`` with the id)."""
    translation: bool = False
    """A role on a translation itself, shown apart from the original's people."""


TABLE: tuple[Role, ...] = (
    Role("author", maker=True),
    Role("editor", maker=False),
    Role("translator", maker=False, translation=True),
    Role("translation-editor", maker=False, translation=True),
    Role("translation-reviewer", maker=False, translation=True),
    Role("reviewer", maker=False),
    Role("tester", maker=False),
    Role("illustrator", maker=True),
    Role("photographer", maker=True),
    Role("contributor", maker=True),
    Role("maintainer", maker=True),
    # CRediT, in its own (alphabetical) order
    Role("conceptualization", maker=True, credit=True),
    Role("data-curation", maker=True, credit=True),
    Role("formal-analysis", maker=True, credit=True),
    Role("funding-acquisition", maker=False, credit=True),
    Role("investigation", maker=True, credit=True),
    Role("methodology", maker=True, credit=True),
    Role("project-administration", maker=False, credit=True),
    Role("resources", maker=False, credit=True),
    Role("software", maker=True, credit=True),
    Role("supervision", maker=False, credit=True),
    Role("validation", maker=True, credit=True),
    Role("visualization", maker=True, credit=True),
    Role("writing-original-draft", maker=True, credit=True),
    Role("writing-review-editing", maker=True, credit=True),
)

BY_ID: dict[str, Role] = {role.id: role for role in TABLE}
ROLES: tuple[str, ...] = tuple(role.id for role in TABLE)
MAKERS: tuple[str, ...] = tuple(r.id for r in TABLE if r.maker and r.id != "author")
"""Roles named after "by" when a work has neither authors nor editors."""
TRANSLATION_ROLES: tuple[str, ...] = tuple(r.id for r in TABLE if r.translation)


def normalise(written: str) -> str:
    """A role as pages write it -> its id: ``Translation Editor``, ``translation_editor``
    and ``Writing – original draft`` are ``translation-editor`` and
    ``writing-original-draft``."""
    words = "".join(c if c.isalnum() else " " for c in written.casefold()).split()
    return "-".join(words)


def credit_url(role_id: str) -> str | None:
    role = BY_ID.get(role_id)
    return CREDIT_URL.format(role.id) if role is not None and role.credit else None
