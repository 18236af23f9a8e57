"""SPDX licence expressions: ``CC-BY-4.0 OR MIT``, ``(CC-BY-SA-4.0 AND MIT)``, ``LicenseRef-x``.

The grammar is SPDX's (SPDX specification, annex "SPDX License Expressions"): ids joined by
``AND`` and ``OR`` (``AND`` binds tighter), parentheses; ``WITH`` exceptions are not
supported (no CC licence has one). Operators are written in capitals; lower case is
understood with a warning, as SPDX matching is case-insensitive for ids but not operators.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from commonsgen import licenses
from commonsgen.licenses import License

_TOKEN = re.compile(r"\s*(\(|\)|[^\s()]+)")
_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.-]+$")


@dataclass(frozen=True, slots=True)
class Parsed:
    license: License | None
    problem: str | None = None
    """What is wrong, when license is None."""
    hint: str | None = None
    inexact: tuple[tuple[str, str], ...] = ()
    """(as written, understood as) for each part not written as its id, and operators."""


def is_expression(text: str) -> bool:
    """Whether ``text`` needs the expression parser: an operator, a parenthesis or a ref."""
    # Only capital operators start an expression: "GPL v3 or later" is a spelling of one
    # licence, not "GPL v3" OR "later".
    return (
        "(" in text
        or any(w in ("AND", "OR", "WITH") for w in text.split())
        or text.strip().startswith("LicenseRef-")
    )


class _Error(Exception):
    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.problem, self.hint = problem, hint


def parse(text: str, refs: Mapping[str, License]) -> Parsed:
    """The licence of an expression; ``refs`` are the site's declared ``LicenseRef-`` ids."""
    tokens = _TOKEN.findall(text)
    inexact: list[tuple[str, str]] = []
    position = 0

    def peek() -> str | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def operator(word: str | None) -> str | None:
        if word is None or word.upper() not in ("AND", "OR", "WITH"):
            return None
        if word != word.upper():
            inexact.append((word, word.upper()))
        if word.upper() == "WITH":
            raise _Error(
                "licence exceptions ('WITH') are not supported",
                "write the licences alone, joined by AND or OR",
            )
        return word.upper()

    def chain(level: str) -> License:
        parts = [term() if level == "AND" else chain("AND")]
        while operator(peek()) == level:
            take()
            parts.append(term() if level == "AND" else chain("AND"))
        return parts[0] if len(parts) == 1 else licenses.compound(level, parts)

    def term() -> License:
        word = peek()
        if word is None or operator(word):
            raise _Error(
                f"'{text.strip()}' ends or continues where a licence id is expected",
                "write it like 'CC-BY-4.0 OR MIT'",
            )
        take()
        if word == "(":
            inner = chain("OR")
            if peek() != ")":
                raise _Error(f"'{text.strip()}' has an unclosed parenthesis", "add the ')'")
            take()
            return inner
        if word == ")":
            raise _Error(f"'{text.strip()}' has a ')' without its '('", "remove it")
        return _one(word, refs, inexact)

    try:
        found = chain("OR")
        if peek() is not None:
            raise _Error(
                f"'{text.strip()}': expected AND or OR before '{peek()}'",
                "join licences with AND or OR, like 'CC-BY-4.0 OR MIT'",
            )
    except _Error as error:
        return Parsed(None, error.problem, error.hint)
    return Parsed(found, inexact=tuple(dict.fromkeys(inexact)))


def _one(word: str, refs: Mapping[str, License], inexact: list[tuple[str, str]]) -> License:
    if _REF.match(word):
        if word in refs:
            return refs[word]
        known = ", ".join(sorted(refs)) or "none are declared"
        raise _Error(
            f"'{word}' is not declared",
            f"declare it under 'licenses:' in commonsgen.yml with a name and a url "
            f"(declared: {known})",
        )
    found = licenses.lookup(word)
    if found.license is None:
        raise _Error(f"unknown licence '{word}'", found.hint)
    if not found.exact:
        inexact.append((word, found.license.id))
    return found.license
