"""An adopted repository's people (a ``profile:``): its own registry file, in its own
shape, read as registry entries; a name index, since its pages credit people by name; and
the people credited site-wide (``AUTHORS``, a list of names).

Real registries are messy: an odd entry is a warning and is left out, or kept without the
odd value, so that years of pages still build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from commonsgen import urls, yamlsource
from commonsgen.adopt.pages import person_name
from commonsgen.adopt.profile import Profile, RegistrySpec
from commonsgen.content.contributors import (
    ABOUT_FIELDS,
    ORCID_RE,
    about_fields,
    is_person_id,
    name_key,
    orcid_checksum_ok,
    person_slug,
)
from commonsgen.diagnostics import Report
from commonsgen.model import Contributor, Credit

_TEMPLATE_RE = re.compile(r"\{([^{}]+)\}")


@dataclass(frozen=True, slots=True)
class People:
    """Who an adopted site's pages may name, and how."""

    registry: dict[str, Contributor]
    names: dict[str, str]
    """Case-folded full name -> id, for pages that credit people by name."""
    site_credits: tuple[Credit, ...]
    file: str | None = None
    """The registry file pages' names are looked up in, for messages."""


def adopt_people(
    root: Path, profile: Profile | None, registry: dict[str, Contributor], report: Report
) -> People:
    """The site's registry plus the profile's (commonsgen's own entries win), a name index
    over both, and the people the profile credits site-wide."""
    if profile is None:
        return People(registry, {}, ())
    merged = dict(registry)
    if profile.registry is not None:
        for cid, person in _community_registry(root, profile.registry, report).items():
            merged.setdefault(cid, person)
    merged = dict(sorted(merged.items()))
    names: dict[str, str] = {}
    for cid, person in merged.items():
        names.setdefault(name_key(person.name), cid)
    credits: list[Credit] = []
    if profile.credit is not None:
        for name in _credit_names(root, profile.credit.file, report) + list(profile.credit.names):
            cid = name if name in merged else names.get(name_key(name))
            shown = merged[cid].name if cid else name
            if all(c.name != shown for c in credits):
                credits.append(Credit(shown, (profile.credit.role,), cid))
    file = profile.registry.file if profile.registry else None
    return People(merged, names, tuple(credits), file)


def _credit_names(root: Path, file: str | None, report: Report) -> list[str]:
    """One person a line (``AUTHORS``): blank lines, ``#`` comments and heading lines
    ending in ':' skipped, an e-mail address in <> dropped. A missing file credits no one
    (the names still do)."""
    if file is None:
        return []
    path = root / file
    if not path.is_file():
        return []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.warning(file, None, None, "unreadable", f"cannot read the credit file: {exc}")
        return []
    found: list[str] = []
    for line in text.splitlines():
        name = re.sub(r"<[^>]*>|\(.*?\)", "", line).strip(" \t-*,")
        if name.endswith(":"):
            continue  # a heading ("python-ecology was written by:"), not a person
        if name and not name.startswith("#") and name not in found:
            found.append(person_name(name))
    return found


def _community_registry(root: Path, spec: RegistrySpec, report: Report) -> dict[str, Contributor]:
    """The community's own file of people, in its shape, as registry entries. An entry
    keyed by full name gets an id made from the name; anything odd is a warning and the
    entry is left out or kept without the odd value: the pages must still build."""
    path = root / spec.file
    if not path.is_file():
        report.warning(
            "commonsgen.yml",
            spec.pos.line,
            spec.pos.column,
            "registry-missing",
            f"the profile's registry '{spec.file}' does not exist; people are credited by name",
        )
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.error(spec.file, None, None, "unreadable", f"cannot read the registry: {exc}")
        return {}
    doc = yamlsource.load(text, path=spec.file, report=report)
    if doc is None or doc.value is None:
        return {}
    value = doc.value
    entries: list[tuple[tuple[Any, ...], str, dict[str, Any]]] = []
    if spec.shape == "mapping" and isinstance(value, dict):
        for key, entry in value.items():
            entry = entry if isinstance(entry, dict) else {}
            entries.append(((key,), str(key), entry))
    elif spec.shape == "list" and isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, dict) and entry.get(spec.key) not in (None, ""):
                entries.append(((index,), str(entry[spec.key]), entry))
            else:
                at = doc.pos((index,))
                report.warning(
                    spec.file,
                    at.line,
                    at.column,
                    "contributor-without-name",
                    f"an entry without '{spec.key}' is left out",
                )
    else:
        report.error(
            spec.file,
            1,
            1,
            "registry-not-mapping",
            f"the profile says this file is a {spec.shape}, but it is not",
            "set registry.shape to mapping or list in the profile",
        )
        return {}
    found: dict[str, Contributor] = {}
    for path_, key, entry in entries:
        name = _field(entry, spec.fields.get("name"), key if spec.key_is_name else None)
        if not name:
            at = doc.pos(path_)
            report.warning(
                spec.file, at.line, at.column, "contributor-without-name", f"'{key}' has no name"
            )
            continue
        cid = person_slug(person_name(key)) if spec.key_is_name else key
        if not is_person_id(cid) or cid in found:
            base = cid if is_person_id(cid) else "person"
            cid = next(
                f"{base}-{n}" for n in range(2, len(found) + 3) if f"{base}-{n}" not in found
            )
        url = _field(entry, spec.fields.get("url"), None)
        orcid_text = _field(entry, spec.fields.get("orcid", "orcid"), None)
        match = ORCID_RE.match(orcid_text or "")
        orcid = match.group(1) if match and orcid_checksum_ok(match.group(1)) else None
        if orcid_text and orcid is None:
            at = doc.pos((*path_, spec.fields.get("orcid", "orcid")))
            report.warning(
                spec.file,
                at.line,
                at.column,
                "bad-orcid",
                f"'{orcid_text}' is not a valid ORCID iD; it is left out",
            )
        email = _field(entry, spec.fields.get("emails", "email"), None)
        link = urls.web_link(url) if url else None
        if url and link is None and urls.has_scheme(url):
            # javascript:, data: ... in a file the site adopted would run in readers' browsers
            at = doc.pos((*path_, spec.fields.get("url", "url")))
            report.error(
                spec.file,
                at.line,
                at.column,
                "bad-url",
                f"'{cid}' has the url '{url}', which is no web address (https://...)",
                "fix it in the file, or remove it",
            )
        theirs = {ours: spec.fields.get(ours, ours) for ours in ABOUT_FIELDS}

        def odd(key: str, message: str, path_: tuple[Any, ...] = path_) -> None:
            at = doc.pos((*path_, theirs[key]))  # noqa: B023 - this entry's fields
            report.warning(spec.file, at.line, at.column, "wrong-type", f"{message}; left out")

        about = about_fields({ours: entry.get(t) for ours, t in theirs.items()}, odd)
        found[cid] = Contributor(
            id=cid,
            name=person_name(name),
            url=link,
            orcid=orcid,
            emails=(email.strip().lower(),) if email and "@" in email else (),
            extra={str(k): v for k, v in entry.items()},
            pos=doc.pos(path_),
            **about,
        )
    return found


def _field(entry: dict[str, Any], spec: str | None, default: str | None) -> str | None:
    """A value of the entry: a field's name, or a template such as
    ``https://github.com/{git}`` (None when a field it needs is missing)."""
    if spec is None:
        return default
    if "{" not in spec:
        value = entry.get(spec)
        return (
            str(value) if value not in (None, "") and not isinstance(value, dict | list) else None
        )
    missing = [name for name in _TEMPLATE_RE.findall(spec) if entry.get(name) in (None, "")]
    if missing:
        return None
    return _TEMPLATE_RE.sub(lambda m: str(entry[m.group(1)]), spec)
