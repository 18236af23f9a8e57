"""``profile:`` -> how an existing repository's conventions map onto commonsgen's model.

A community that already publishes has years of pages written for another generator. A
profile says what its frontmatter fields, registry and folders mean, so that commonsgen
builds the repository as it is, without editing a content file. It is written inline in
``commonsgen.yml``, in a file of the site, or named: ``profile: rdmkit`` reads
``commonsgen/adopt/profiles/rdmkit.yml`` from the package. A profile may ``extends:`` another and
change some keys. Every key is checked here, with its position; later stages only read the
resulting frozen :class:`Profile`.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from commonsgen import yamlsource
from commonsgen.diagnostics import LEVELS, UNLOWERABLE, Pos, Report, check_level_problem, suggestion
from commonsgen.diagnostics import describe_value as _kind
from commonsgen.markdown.dialect import DataFileProblem, MarkdownOptions, markdown_options_from
from commonsgen.model import ROLES
from commonsgen.roles import normalise
from commonsgen.yamlsource import KeyPath, YamlDoc

SHIPPED = Path(__file__).resolve().parent / "profiles"
"""Profiles that ship with commonsgen, one ``<name>.yml`` each."""

PAGE_FIELDS = ("summary", "date", "updated", "tags", "weight", "slug", "lang", "draft", "license")
"""The commonsgen fields another field may be read as (``fields:``)."""

REGISTRY_FIELDS = ("name", "url", "orcid", "emails", "affiliation", "bio", "team_role")
TITLE_SPECIALS = ("heading", "file")
"""Title sources that are not fields: the first Markdown heading, the file's name."""
BY = ("path", "stem")
"""How a translation key names its source page, besides by another frontmatter field."""
_MAX_EXTENDS = 8


@dataclass(frozen=True, slots=True)
class RegistrySpec:
    """The community's own file of people."""

    file: str
    """Site-relative path."""
    shape: str
    """``mapping`` (key -> entry) or ``list`` (entries, each with the key field)."""
    key: str
    """``mapping``: what the keys are, ``id`` or ``name``; ``list``: the field holding the
    id or name (an entry's name is then that field's value unless ``fields`` says else)."""
    key_is_name: bool
    fields: dict[str, str]
    """commonsgen field -> their field, or a template such as ``https://github.com/{git}``."""
    pos: Pos


@dataclass(frozen=True, slots=True)
class SiteCredit:
    """People credited on every page that credits no one itself."""

    names: tuple[str, ...] = ()
    file: str | None = None
    """A site-relative file with one name per line (``AUTHORS``)."""
    role: str = "author"


@dataclass(frozen=True, slots=True)
class TranslationKey:
    field: str
    by: str
    """``path`` (relative to the content folder, ``.md`` optional), ``stem`` (the file name
    without ``.md``) or the name of a frontmatter field the source page has."""


@dataclass(frozen=True, slots=True)
class SiteFileSpec:
    """The community's own site settings file (a Workbench lesson's ``config.yaml``)."""

    file: str
    title: str | None = "title"
    """Its key for the site's title."""
    license: str | None = "license"
    order: tuple[str, ...] = ()
    """Keys that list a folder's pages in reading order (the key is the folder's name:
    ``episodes: [01-intro.md, ...]``); a page of such a folder it does not list is not
    published, as the lesson's own tool does not build it."""


@dataclass(frozen=True, slots=True)
class LessonCitation:
    """How the community cites its work, from its own citation file."""

    file: str
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    doi: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    """As written: a shipped profile's name, a file's path, or ``commonsgen.yml``."""
    content: str | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    section_pages: bool = False
    order: str = "title"
    """Reading order of a section's pages after their weight: ``title`` or ``path``."""
    links: str = "path"
    """``stem``: a link may name a page by its file name alone (``storage``,
    ``storage.html``), as sites with Jekyll's ``permalink: /:basename`` do."""
    roles: dict[str, str] = field(default_factory=dict)
    """Frontmatter field -> the role its people get (``editors: editor``)."""
    split_names: tuple[str, ...] = ()
    """Role fields whose single string lists several people (``A, B and C``); elsewhere a
    string, like a list item, is one person (``Martin Luther King, Jr.``)."""
    fields: dict[str, str] = field(default_factory=dict)
    """Their frontmatter field -> the commonsgen field it is read as."""
    title: tuple[str, ...] = ("title",)
    translation_of: TranslationKey | None = None
    untranslated: str | None = None
    languages_from_folders: bool = False
    language_paths: tuple[tuple[str, str], ...] = ()
    registry: RegistrySpec | None = None
    credit: SiteCredit | None = None
    license: str | None = None
    ignore: tuple[str, ...] = ()
    checks: dict[str, str] = field(default_factory=dict)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    """The Markdown conventions of the pages (``markdown:``, checked by :mod:`mdoptions`)."""
    site_file: SiteFileSpec | None = None
    merged_folders: tuple[str, ...] = ()
    """Folders the community's tool publishes as one (a Workbench lesson's episodes/,
    learners/, instructors/, profiles/): a link from a page in one to a file beside it
    (``fig/x.png``) may find the file in another."""
    citation_file: tuple[str, ...] = ()
    """Citation files to read, the first that exists: ``CITATION.cff``, ``CITATION``."""
    # What the site's own files said, read once by load_profile:
    site_title: str | None = None
    site_license: str | None = None
    page_order: tuple[str, ...] = ()
    ordered_folders: tuple[str, ...] = ()
    citation: LessonCitation | None = None

    def consumed(self) -> frozenset[str]:
        """Frontmatter fields the profile gives a meaning (no unknown-field warning)."""
        found = {*self.roles, *self.fields, *self.ignore, *self.title}
        if self.translation_of is not None:
            found.add(self.translation_of.field)
        if self.untranslated:
            found.add(self.untranslated)
        return frozenset(found - set(TITLE_SPECIALS))

    def published(self, rel_path: str) -> bool:
        """Whether a file of the content folder is part of the site."""
        folder = rel_path.rpartition("/")[0]
        listed = folder not in self.ordered_folders or rel_path in self.page_order
        if rel_path.endswith(".md") and not listed:
            return False
        if self.include and not any(
            rel_path == item or rel_path.startswith(item.rstrip("/") + "/") for item in self.include
        ):
            return False
        return not any(matches(rel_path, pattern) for pattern in self.exclude)

    def language_of_path(self, rel_path: str) -> str | None:
        for pattern, code in self.language_paths:
            if matches(rel_path, pattern):
                return code
        return None


def matches(rel_path: str, pattern: str) -> bool:
    """A glob on the whole path; ``dir/`` matches everything under dir; a pattern without
    '/' also matches a file of that name in any folder (like .gitignore)."""
    if pattern.endswith("/"):
        return rel_path.startswith(pattern) or fnmatch.fnmatchcase(rel_path, pattern + "*")
    if fnmatch.fnmatchcase(rel_path, pattern):
        return True
    return "/" not in pattern and fnmatch.fnmatchcase(rel_path.rsplit("/", 1)[-1], pattern)


def shipped_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in SHIPPED.glob("*.yml")))


class _Source:
    """One profile document and where its keys are, for messages."""

    def __init__(self, path: str, doc: YamlDoc, prefix: KeyPath, report: Report) -> None:
        self.path = path
        self.doc = doc
        self.prefix = prefix
        self.report = report
        self.ok = True

    def pos(self, *keys: str | int) -> Pos:
        return self.doc.pos((*self.prefix, *keys))

    def error(self, keys: KeyPath, message: str, hint: str | None = None) -> None:
        at = self.pos(*keys)
        self.report.error(self.path, at.line, at.column, "bad-profile", message, hint)
        self.ok = False

    def warning(self, keys: KeyPath, code: str, message: str, hint: str | None = None) -> None:
        at = self.pos(*keys)
        self.report.warning(self.path, at.line, at.column, code, message, hint)


def data_reader(root: Path, report: Report) -> Callable[[str], object]:
    """Reads a data file a profile's Liquid tags look names up in (e.g. a tool registry);
    only inside the site folder, like profile files. A file that is missing is a warning
    (a shipped profile names the file its community keeps; a copy without it still builds,
    each tag shown as the profile's ``missing`` text)."""

    def read(written: str) -> object:
        path = (root / written).resolve()
        if root.resolve() not in path.parents:
            raise DataFileProblem(
                f"the data file '{written}' is outside the site folder",
                "name a file inside the repository",
            )
        if not path.exists():
            raise DataFileProblem(
                f"the data file '{written}' does not exist; its tags show their plain text",
                f"add {written}, or drop 'data:' from the tag in the profile",
                warning=True,
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileProblem(
                f"cannot read the data file '{written}': {exc}", "save it as UTF-8 text"
            ) from exc
        doc = yamlsource.load(text, path=written, report=report)
        return doc.value if doc is not None else None

    return read


def load_profile(
    written: Any, root: Path, config_doc: YamlDoc, config_file: str, report: Report
) -> Profile | None:
    """The profile ``profile:`` names or writes; None when it is unusable (reported)."""
    source = _Source(config_file, config_doc, ("profile",), report)
    merged = _resolve(written, root, source, report, depth=0, name="commonsgen.yml")
    if merged is None:
        return None
    values, name = merged
    profile = _build(values, name, report, root)
    if profile is None:
        return None
    return _read_site_files(profile, root, report)


_Values = dict[str, tuple[Any, "_Source"]]
"""Key -> (value, where it was written): later documents (the extending one) win."""


def _resolve(
    written: Any, root: Path, at: _Source, report: Report, *, depth: int, name: str
) -> tuple[_Values, str] | None:
    if depth > _MAX_EXTENDS:
        at.error((), "profiles extend each other in a loop (or more than 8 deep)")
        return None
    if isinstance(written, str):
        return _from_file(written.strip(), root, at, report, depth=depth)
    if not isinstance(written, dict):
        at.error(
            (),
            f"profile: expected a profile's name, a file or a mapping, got {_kind(written)}",
            "shipped profiles: " + ", ".join(shipped_names()),
        )
        return None
    values: _Values = {}
    base = written.get("extends")
    if base is not None:
        found = _resolve(
            base,
            root,
            _Source(at.path, at.doc, (*at.prefix, "extends"), report),
            report,
            depth=depth + 1,
            name=name,
        )
        if found is None:
            return None
        values.update(found[0])
    for key, value in written.items():
        if key == "markdown":
            # Checked where it is written; an extending profile changes single options.
            markdown_options_from(
                value,
                at.path,
                report,
                pos=lambda keys: at.doc.pos((*at.prefix, *keys)),
                read_data=data_reader(root, report),
            )
            if isinstance(value, dict) and isinstance(values.get(key, (None,))[0], dict):
                value = {**values[key][0], **value}
        if key != "extends":
            values[str(key)] = (value, at)
    return values, name


def _from_file(
    written: str, root: Path, at: _Source, report: Report, *, depth: int
) -> tuple[_Values, str] | None:
    looks_like_path = "/" in written or written.endswith((".yml", ".yaml"))
    if looks_like_path:
        path = (root / written).resolve()
        display = written
        if root.resolve() not in path.parents:
            # A pull request must not make the build read files from elsewhere.
            at.error((), f"the profile file '{written}' is outside the site folder")
            return None
        if not path.is_file():
            at.error(
                (),
                f"the profile file '{written}' does not exist",
                "give its path from the site folder",
            )
            return None
    else:
        path = SHIPPED / f"{written}.yml"
        display = f"commonsgen/adopt/profiles/{written}.yml"
        if not re.match(r"^[A-Za-z0-9_-]+$", written) or not path.is_file():
            names = shipped_names()
            at.error(
                (),
                f"no profile named '{written}' ships with commonsgen",
                suggestion(written, names) or "shipped profiles: " + ", ".join(names),
            )
            return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        at.error((), f"cannot read the profile file '{written}': {exc}")
        return None
    doc = yamlsource.load(text, path=display, report=report)
    if doc is None:
        return None
    value = doc.value if doc.value is not None else {}
    if not isinstance(value, dict):
        report.error(
            display,
            1,
            1,
            "bad-profile",
            f"a profile must be a mapping, got {_kind(value)}",
        )
        return None
    found = _resolve(
        value, root, _Source(display, doc, (), report), report, depth=depth + 1, name=written
    )
    if found is None:
        return None
    return found[0], written


def _build(values: _Values, name: str, report: Report, root: Path) -> Profile | None:
    kwargs: dict[str, Any] = {}
    ok = True
    for key, (value, at) in values.items():
        reader = _READERS.get(key)
        if reader is None:
            at.warning(
                (key,),
                "unknown-profile-key",
                f"unknown profile key '{key}' is ignored",
                suggestion(key, _READERS) or "profile keys: " + ", ".join(_READERS),
            )
            continue
        before = at.ok
        result = reader(value, _Key(at, key, root))
        if at.ok and before and key == "languages":
            kwargs["languages_from_folders"], kwargs["language_paths"] = result
        elif at.ok and before:
            kwargs[key] = result
        else:
            ok = False
            at.ok = True
    if not ok:
        return None
    if "split_names" in values:
        value, at = values["split_names"]
        for index, their in enumerate(kwargs.get("split_names", ())):
            if their not in kwargs.get("roles", {}):
                at.warning(
                    ("split_names", index),
                    "unknown-profile-key",
                    f"split_names: '{their}' is not one of the profile's roles fields; "
                    "it splits nothing",
                    "list fields that roles: maps to a role",
                )
    return Profile(name=name, **kwargs)


@dataclass(slots=True)
class _Key:
    at: _Source
    key: str
    root: Path

    def error(self, message: str, hint: str | None = None, *sub: str | int) -> None:
        self.at.error((self.key, *sub), f"profile {self.key}: {message}", hint)


def _text(value: Any, k: _Key, *sub: str | int) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    k.error(f"expected a text value, got {_kind(value)}", None, *sub)
    return ""


def _texts(value: Any, k: _Key) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        k.error(f"expected a list, got {_kind(value)}")
        return ()
    return tuple(_text(item, k, i) for i, item in enumerate(value))


def _relative(value: Any, k: _Key, *sub: str | int) -> str:
    text = _text(value, k, *sub)
    if text and (text.startswith("/") or ".." in text.split("/")):
        k.error(f"'{text}' must be a path inside the site folder, without '..'", None, *sub)
    elif text:
        root = k.root.resolve()
        resolved = (root / text).resolve()
        if resolved != root and root not in resolved.parents:
            # A pull request must not make the build read files from elsewhere.
            k.error(
                f"'{text}' is a symbolic link to {resolved}, outside the site folder", None, *sub
            )
    return text


def _bool(value: Any, k: _Key) -> bool:
    if isinstance(value, bool):
        return value
    k.error(f"expected true or false, got {_kind(value)}")
    return False


def _mapping(value: Any, k: _Key) -> dict[str, Any]:
    if isinstance(value, dict):
        return {str(key): item for key, item in value.items()}
    k.error(f"expected a mapping, got {_kind(value)}")
    return {}


def _roles(value: Any, k: _Key) -> dict[str, str]:
    found: dict[str, str] = {}
    for their, role in _mapping(value, k).items():
        text = normalise(_text(role, k, their))
        if text and text not in ROLES:
            k.error(
                f"'{their}': unknown role '{text}'",
                suggestion(text, ROLES) or "roles: " + ", ".join(ROLES),
                their,
            )
        found[their] = text
    return found


def _fields(value: Any, k: _Key) -> dict[str, str]:
    found: dict[str, str] = {}
    for their, ours in _mapping(value, k).items():
        text = _text(ours, k, their)
        if their == "published" and text == "draft":
            # Jekyll's published: false is draft: true; reading it as draft would publish
            # exactly the pages it holds back.
            k.error(
                "'published' is the inverse of 'draft', and commonsgen already reads "
                "published: false as a draft",
                "remove this line",
                their,
            )
            continue
        if text and text not in PAGE_FIELDS:
            k.error(
                f"'{their}' cannot be read as '{text}'",
                suggestion(text, PAGE_FIELDS)
                or "fields it may be read as: " + ", ".join(PAGE_FIELDS),
                their,
            )
        found[their] = text
    return found


def _translation(value: Any, k: _Key) -> TranslationKey | None:
    if isinstance(value, str):
        value = {"field": value}
    entry = _mapping(value, k)
    if not entry:
        return None
    for key in entry:
        if key not in ("field", "by"):
            k.error(f"unknown key '{key}'", suggestion(key, ("field", "by")), key)
    if "field" not in entry:
        k.error("needs 'field': the frontmatter field naming the page translated")
        return None
    by = _text(entry.get("by", "path"), k, "by")
    return TranslationKey(field=_text(entry["field"], k, "field"), by=by)


def _languages(value: Any, k: _Key) -> tuple[bool, tuple[tuple[str, str], ...]]:
    if value == "folders":
        return True, ()
    if isinstance(value, dict):
        pairs = []
        for pattern, code in value.items():
            text = _text(code, k, str(pattern))
            if text and not re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", text):
                k.error(
                    f"'{text}' is not a language code such as 'en' or 'pt-BR'", None, str(pattern)
                )
            pairs.append((str(pattern), text))
        return False, tuple(pairs)
    k.error(
        f"expected 'folders' or a mapping of path patterns to language codes, got {_kind(value)}",
        "languages: folders   # de/..., fr/... hold the translations",
    )
    return False, ()


def _registry(value: Any, k: _Key) -> RegistrySpec | None:
    entry = _mapping(value, k)
    known = ("file", "shape", "key", "fields")
    for key in entry:
        if key not in known:
            k.error(
                f"unknown key '{key}'", suggestion(key, known) or "keys: " + ", ".join(known), key
            )
    if "file" not in entry:
        k.error("needs 'file': the registry's path from the site folder")
        return None
    shape = entry.get("shape", "mapping")
    if shape not in ("mapping", "list"):
        k.error(f"shape: expected mapping or list, got {_kind(shape)}", None, "shape")
    key = _text(entry.get("key", "id"), k, "key")
    fields: dict[str, str] = {}
    for ours, theirs in _mapping(entry.get("fields", {}), k).items():
        if ours not in REGISTRY_FIELDS:
            k.error(
                f"fields: '{ours}' is no registry field",
                suggestion(ours, REGISTRY_FIELDS)
                or "registry fields: " + ", ".join(REGISTRY_FIELDS),
                "fields",
                ours,
            )
        fields[ours] = _text(theirs, k, "fields", ours)
    return RegistrySpec(
        file=_relative(entry["file"], k, "file"),
        shape=str(shape),
        key=key,
        key_is_name=(key == "name") if shape == "mapping" else fields.get("name", key) == key,
        fields=fields,
        pos=k.at.pos(k.key),
    )


def _credit(value: Any, k: _Key) -> SiteCredit | None:
    if isinstance(value, str | list):
        value = {"names": value}
    entry = _mapping(value, k)
    known = ("names", "file", "role")
    for key in entry:
        if key not in known:
            k.error(
                f"unknown key '{key}'", suggestion(key, known) or "keys: " + ", ".join(known), key
            )
    role = normalise(_text(entry.get("role", "author"), k, "role"))
    if role and role not in ROLES:
        k.error(f"unknown role '{role}'", suggestion(role, ROLES), "role")
    names = _texts(entry.get("names", []), _Key(k.at, k.key, k.root))
    file = _relative(entry["file"], k, "file") if "file" in entry else None
    return SiteCredit(names=names, file=file, role=role)


def _checks(value: Any, k: _Key) -> dict[str, str]:
    """Like the site's ``checks:``: any kind but those :data:`UNLOWERABLE` names (years of
    pages written for another generator link to files it made or kept elsewhere, and a
    site must be able to publish while they are fixed)."""
    found: dict[str, str] = {}
    for code, level in _mapping(value, k).items():
        level = "warning" if level == "warn" else level
        problem = check_level_problem(code)
        if problem is not None and not (code in UNLOWERABLE and level == "error"):
            k.error(problem, None, code)
            continue
        if level not in LEVELS:
            k.error(
                f"'{code}': expected error, warning or ignore, got {_kind(level)}",
                None,
                code,
            )
        found[code] = str(level)
    return found


def _site_file(value: Any, k: _Key) -> SiteFileSpec | None:
    if isinstance(value, str):
        value = {"file": value}
    entry = _mapping(value, k)
    known = ("file", "title", "license", "order")
    for key in entry:
        if key not in known:
            k.error(
                f"unknown key '{key}'", suggestion(key, known) or "keys: " + ", ".join(known), key
            )
    if "file" not in entry:
        k.error("needs 'file': the site settings file's path from the site folder")
        return None
    order = entry.get("order", [])
    return SiteFileSpec(
        file=_relative(entry["file"], k, "file"),
        title=_text(entry["title"], k, "title") if entry.get("title") else None,
        license=_text(entry["license"], k, "license") if entry.get("license") else None,
        order=tuple(_text(x, k, "order") for x in (order if isinstance(order, list) else [order])),
    )


def _links(value: Any, k: _Key) -> str:
    if value in ("path", "stem"):
        return str(value)
    k.error(f"expected path or stem, got {_kind(value)}", "links: stem   # [x](storage)")
    return "path"


def _order(value: Any, k: _Key) -> str:
    if value in ("title", "path"):
        return str(value)
    k.error(f"expected title or path, got {_kind(value)}", "order: path   # 01-intro.md first")
    return "title"


def _title(value: Any, k: _Key) -> tuple[str, ...]:
    return _texts(value, k) or ("title",)


_READERS: dict[str, Any] = {
    "content": lambda v, k: _relative(v, k),
    "include": lambda v, k: (
        tuple(_relative(x, k, i) for i, x in enumerate(v))
        if isinstance(v, list)
        else (_relative(v, k),)
    ),
    "exclude": _texts,
    "section_pages": _bool,
    "order": _order,
    "links": _links,
    "title": _title,
    "roles": _roles,
    "fields": _fields,
    "split_names": _texts,
    "translation_of": _translation,
    "untranslated": _text,
    "languages": _languages,
    "registry": _registry,
    "credit": _credit,
    "license": _text,
    "ignore": _texts,
    "checks": _checks,
    "site_file": lambda v, k: _site_file(v, k),
    "citation_file": lambda v, k: tuple(_relative(x, k) for x in _texts(v, k)),
    "merged_folders": lambda v, k: tuple(_relative(x, k).strip("/") for x in _texts(v, k)),
    # Checked (and its problems reported) where it is written, in _resolve.
    "markdown": lambda v, k: markdown_options_from(
        v, k.at.path, Report(), read_data=data_reader(k.root, Report())
    ),
}
"""Every profile key with its reader; a reader reports through its ``_Key``."""


_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


# The community's own files (a lesson's config.yaml, CITATION.cff), read once -----------


def _read_site_files(profile: Profile, root: Path, report: Report) -> Profile:
    """The profile with what the site's own settings and citation files say. A missing
    file says nothing (a copy of a repository may lack it); a broken one is reported at
    its line and says nothing either."""
    found: dict[str, Any] = {}
    spec = profile.site_file
    doc = _read_yaml(root, spec.file, report) if spec is not None else None
    if spec is not None and isinstance(doc, dict):
        title = doc.get(spec.title) if spec.title else None
        if isinstance(title, str) and title.strip():
            found["site_title"] = " ".join(title.split())
        written = doc.get(spec.license) if spec.license else None
        if isinstance(written, str) and written.strip():
            found["site_license"] = spdx_of(written)
        order: list[str] = []
        folders: list[str] = []
        for key in spec.order:
            listed = doc.get(key)
            if isinstance(listed, list):
                folders.append(key)
                order += [f"{key}/{item.strip()}" for item in listed if isinstance(item, str)]
        found["page_order"], found["ordered_folders"] = tuple(order), tuple(folders)
    for file in profile.citation_file:
        if (root / file).is_file():
            found["citation"] = _lesson_citation(root, file, report)
            break
    return replace(profile, **found) if found else profile


def _read_yaml(root: Path, file: str, report: Report) -> Any:
    path = root / file
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.warning(file, None, None, "unreadable", f"cannot read {file}: {exc}")
        return None
    loaded = yamlsource.load(text, path=file, report=report)
    return loaded.value if loaded is not None else None


_SPDX_SHORT = re.compile(r"^CC[ -]?(BY(?:[ -](?:NC|SA|ND)){0,2})[ -]+(\d\.\d)$", re.IGNORECASE)


def spdx_of(written: str) -> str:
    """A licence as lessons write it -> its SPDX id where the shape is clear:
    ``CC-BY 4.0`` and ``CC BY-SA 4.0`` are ``CC-BY-4.0`` and ``CC-BY-SA-4.0``, ``CC0`` is
    ``CC0-1.0``; anything else as written, for the licence check to judge (with a
    suggestion)."""
    text = " ".join(written.split())
    short = _SPDX_SHORT.match(text)
    if short is not None:
        return "CC-" + re.sub(r"[ -]+", "-", short[1].upper()) + "-" + short[2]
    if text.upper() in ("CC0", "CC0 1.0", "CC0-1.0"):
        return "CC0-1.0"
    return text


_DOI_IN_TEXT = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/[^\s\"'<>,;]+)")


def _lesson_citation(root: Path, file: str, report: Report) -> LessonCitation:
    """``CITATION.cff`` (Citation File Format): its authors and the preferred citation's
    editors, whole names, and its DOI; a plain ``CITATION`` text: its DOI alone (names in
    free text cannot be told apart reliably)."""
    if not file.endswith((".cff", ".yml", ".yaml")):
        try:
            text = (root / file).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return LessonCitation(file)
        match = _DOI_IN_TEXT.search(text)
        return LessonCitation(file, doi=match[1].rstrip(".)") if match else None)
    doc = _read_yaml(root, file, report)
    if not isinstance(doc, dict):
        return LessonCitation(file)
    preferred = doc.get("preferred-citation")
    preferred = preferred if isinstance(preferred, dict) else {}
    authors = _cff_names(doc.get("authors"))
    editors = _cff_names(preferred.get("editors") or doc.get("editors"))
    doi = doc.get("doi") or preferred.get("doi")
    if not doi:
        for ident in doc.get("identifiers") or []:
            if isinstance(ident, dict) and ident.get("type") == "doi":
                doi = ident.get("value")
                break
    return LessonCitation(
        file, authors, editors, str(doi).strip() if isinstance(doi, str | float) else None
    )


def _cff_names(value: Any) -> tuple[str, ...]:
    """CFF persons (given-names, name-particle, family-names, name-suffix) and entities
    (name), as whole names in the order the file gives them."""
    found: list[str] = []
    for person in value if isinstance(value, list) else []:
        if not isinstance(person, dict):
            continue
        parts = [
            person.get(key)
            for key in ("given-names", "name-particle", "family-names")
            if isinstance(person.get(key), str)
        ]
        name = " ".join(str(p).strip() for p in parts if str(p).strip()) or person.get("name")
        if isinstance(person.get("name-suffix"), str) and parts:
            name = f"{name}, {person['name-suffix'].strip()}"
        if isinstance(name, str) and name.strip():
            found.append(" ".join(name.split()))
    return tuple(dict.fromkeys(found))


def config_defaults(profile: Profile, root: Path, values: dict[str, Any]) -> dict[str, Any]:
    """The ``commonsgen.yml`` values a profile supplies: each applies only where the site's
    own file says nothing (its ``checks:`` are merged, the site's winning)."""
    found: dict[str, Any] = {}
    if profile.content and "content_dir" not in values:
        found["content_dir"] = profile.content
    license_ = profile.site_license or profile.license
    if license_ and "default_license" not in values:
        found["default_license"] = license_
    if profile.site_title and "title" not in values:
        found["title"] = profile.site_title
    if profile.citation is not None:
        own = values.get("citation", {})
        lesson = {
            "names": profile.citation.authors,
            "editors": profile.citation.editors,
            "doi": profile.citation.doi,
        }
        found["citation"] = {**{k: v for k, v in lesson.items() if v}, **own}
    if profile.checks:
        found["checks"] = {**profile.checks, **values.get("checks", {})}
    if profile.languages_from_folders and "languages" not in values:
        content = root / found.get("content_dir", values.get("content_dir", "content"))
        found["languages"] = {code: code for code in language_folders(content)}
    return found


def language_folders(content: Path) -> tuple[str, ...]:
    """Top-level folders of the content named like a language code that hold pages."""
    if not content.is_dir():
        return ()
    return tuple(
        sorted(
            entry.name
            for entry in content.iterdir()
            if entry.is_dir() and _LANG_RE.match(entry.name) and any(entry.glob("*.md"))
        )
    )
