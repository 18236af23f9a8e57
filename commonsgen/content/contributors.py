"""``contributors.yml`` -> the registry of people, by id.

The file maps ids to people::

    ada:
      name: Ada Mensah
      url: https://ada.example.org
      orcid: 0000-0002-1825-0097
      emails: [ada@example.org]

A missing file is an empty registry: a site that credits people only inline needs none.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

from commonsgen import urls, yamlsource
from commonsgen.diagnostics import FILE_SYSTEM_HINT, Report, suggestion
from commonsgen.model import Contributor

_ID_PUNCTUATION = frozenset("._-")
ORCID_RE = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$")
ABOUT_FIELDS = ("affiliation", "bio", "team_role")
"""Fields a contributor page shows about the person, beyond their name and links."""
_FIELDS = ("name", "url", "orcid", "emails", *ABOUT_FIELDS)


def _is_word_char(char: str) -> bool:
    # Letters, combining marks and digits of any script: a Devanagari vowel sign or a
    # Hangul syllable is part of a name, where re's \w would drop the marks.
    return unicodedata.category(char)[0] in "LMN"


def is_person_id(text: str) -> bool:
    """Whether ``text`` can be a contributor id: NFC, starting with a letter or digit of
    any script, then letters, marks, digits, '.', '_' and '-' (it is a URL segment)."""
    return (
        bool(text)
        and unicodedata.normalize("NFC", text) == text
        and _is_word_char(text[0])
        and all(_is_word_char(c) or c in _ID_PUNCTUATION for c in text)
    )


def person_slug(name: str) -> str:
    """The one id rule for a person known by name (an adopted registry keyed by name, a
    name written inline, AUTHORS, a git name): NFC, lower case, words joined by '-',
    letters of any script kept (``Kim Møller`` -> ``kim-møller``, ``Xènia`` stays
    ``xènia``), other signs dropped (``D'Anna`` -> ``danna``). The same name always gives
    the same id, so a person's page keeps its URL when they join the registry."""
    text = unicodedata.normalize("NFC", name).strip().lower()
    kept = "".join(c if _is_word_char(c) else "-" if c.isspace() or c in "-_" else "" for c in text)
    slug = re.sub(r"-{2,}", "-", kept).strip("-")
    return slug if is_person_id(slug) else "person"


def name_key(name: str) -> str:
    """How names are compared: NFC, case-folded, runs of spaces as one."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 11,2 check digit, as ORCID computes it."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def load_registry(path: Path, site_path: str, report: Report) -> dict[str, Contributor]:
    """Read the registry; problems are reported and the faulty entries left out."""
    return read_registry(path, site_path, report) or {}


def read_registry(path: Path, site_path: str, report: Report) -> dict[str, Contributor] | None:
    """As :func:`load_registry`; None when the file is there but cannot be read at all
    (its error says why): then no id a page gives can be told unknown."""
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(
            site_path, None, None, "unreadable", f"cannot read the contributors file: {exc}"
        )
        return None
    except OSError as exc:
        reason = f"cannot read this file: {exc.strerror or exc}"
        report.error(site_path, None, None, "file-system", reason, FILE_SYSTEM_HINT)
        return None
    doc = yamlsource.load(text, path=site_path, report=report)
    if doc is None:
        return None
    if doc.value is None:
        return {}
    if not isinstance(doc.value, dict):
        report.error(
            site_path,
            1,
            1,
            "registry-not-mapping",
            "the contributors file must map ids to people",
            "ada:\n  name: Ada Mensah",
        )
        return None
    registry: dict[str, Contributor] = {}
    for cid, entry in doc.value.items():
        pos = doc.pos((cid,))

        def error(key: tuple[Any, ...], code: str, message: str, hint: str | None = None) -> None:
            at = doc.pos((cid, *key))  # noqa: B023 - used inside this iteration only
            report.error(site_path, at.line, at.column, code, message, hint)

        if not isinstance(cid, str) or not is_person_id(cid):
            error(
                (),
                "bad-contributor-id",
                f"'{cid}' cannot be an id: use letters, digits, '-', '_' and '.'",
            )
            continue
        if isinstance(entry, str):
            entry = {"name": entry}
        if not isinstance(entry, dict):
            error((), "wrong-type", f"'{cid}' must be a mapping with at least 'name'")
            continue
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            error(
                (), "contributor-without-name", f"'{cid}' has no name", f"{cid}:\n  name: Full Name"
            )
            continue
        for key in entry:
            if key not in _FIELDS and suggestion(str(key), _FIELDS):
                at = doc.pos((cid, key))
                report.warning(
                    site_path,
                    at.line,
                    at.column,
                    "unknown-field",
                    f"unknown field '{key}'",
                    suggestion(str(key), _FIELDS),
                )
        url = entry.get("url")
        if url is not None:
            link = urls.web_link(url) if isinstance(url, str) else None
            if link is None:
                error(
                    ("url",),
                    "bad-url",
                    f"url must be a web address (https://...), got '{url}'",
                    "write the whole web address, starting with https:// (or http://)",
                )
            url = link
        orcid = _orcid(
            entry.get("orcid"), lambda msg, hint: error(("orcid",), "bad-orcid", msg, hint)
        )
        emails = entry.get("emails", [])
        if isinstance(emails, str):
            emails = [emails]
        if not isinstance(emails, list) or not all(isinstance(e, str) and "@" in e for e in emails):
            error(("emails",), "wrong-type", "emails must be a list of e-mail addresses")
            emails = []
        about = about_fields(entry, lambda key, msg: error((key,), "wrong-type", msg))
        extra = {str(k): v for k, v in entry.items() if k not in _FIELDS}
        registry[cid] = Contributor(
            id=cid,
            name=name.strip(),
            url=url,
            orcid=orcid,
            emails=tuple(e.strip().lower() for e in emails),
            extra=extra,
            pos=pos,
            **about,
        )
    return dict(sorted(registry.items()))


def affiliations(value: Any) -> tuple[str, ...] | None:
    """``affiliation:`` as registries write it: a name, a list of names, or mappings with
    ``name`` (ROR-style); None when it is none of these."""
    items = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in items:
        name = item.get("name") if isinstance(item, dict) else item
        if not isinstance(name, str) or not name.strip():
            return None
        found.append(" ".join(name.split()))
    return tuple(dict.fromkeys(found))


def texts_by_language(value: Any) -> dict[str, str] | None:
    """A text, or language code -> text (``bio: {en: ..., es: ...}``); None otherwise."""
    if isinstance(value, str):
        return {"": value.strip()} if value.strip() else {}
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return {k: v.strip() for k, v in sorted(value.items()) if v.strip()}
    return None


def about_fields(values: dict[str, Any], problem: Callable[[str, str], None]) -> dict[str, Any]:
    """The optional fields a contributor page shows (affiliation, bio, team role), read
    from ``values`` (commonsgen's names -> as written); a value of the wrong shape is
    reported through ``problem(field, message)`` and left out."""
    found: dict[str, Any] = {}
    if values.get("affiliation") is not None:
        names = affiliations(values["affiliation"])
        if names is None:
            problem("affiliation", "affiliation must be a name or a list of names")
        else:
            found["affiliation"] = names
    for key in ("bio", "team_role"):
        if values.get(key) is None:
            continue
        texts = texts_by_language(values[key])
        if texts is None:
            problem(key, f"{key} must be a text, or language codes mapped to texts")
        else:
            found[key] = texts
    return found


def _orcid(value: Any, error: Any) -> str | None:
    if value is None:
        return None
    match = ORCID_RE.match(str(value).strip())
    if match is None:
        error(f"'{value}' is not an ORCID iD", "write it as 0000-0002-1825-0097")
        return None
    if not orcid_checksum_ok(match.group(1)):
        error(
            f"'{value}' is not a valid ORCID iD (its check digit is wrong)",
            "copy it again from orcid.org",
        )
        return None
    return match.group(1)
