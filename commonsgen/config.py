"""``commonsgen.yml`` -> a frozen :class:`SiteConfig`.

The schema is a table: one :class:`Option` per key, each with a type check and a default.
Every key is validated and every problem reported (with line and column), then the build
decides whether to go on; an unknown key is a warning with a "did you mean".
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import regex

from commonsgen import urls, yamlsource
from commonsgen.adopt.profile import Profile, config_defaults, load_profile
from commonsgen.diagnostics import (
    LEVELS,
    UNLOWERABLE,
    Pos,
    Report,
    check_level_problem,
    suggestion,
)
from commonsgen.diagnostics import describe_value as _kind
from commonsgen.markdown.dialect import MarkdownOptions

CONFIG_FILE = "commonsgen.yml"

_LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


class ConfigMissing(Exception):
    """There is no config file: a usage error, not a content error."""


@dataclass(frozen=True, slots=True)
class Language:
    code: str
    title: str
    """How the language names itself ("Deutsch"), for the language switcher."""
    site_title: str | None = None
    """The publication's name in this language ("Programming Historian en español"), for
    citations of its pages; None: the site's ``title``."""


@dataclass(frozen=True, slots=True)
class Citation:
    """``citation:``: how the whole publication is cited (``CITATION.cff``)."""

    cff: bool = False
    """Write ``CITATION.cff`` at the top of the output."""
    authors: tuple[str, ...] = ()
    """Registry ids, in citation order; empty: the site's authors, most pages first."""
    version: str | None = None
    doi: str | None = None
    date_released: str | None = None
    """``YYYY-MM-DD``."""
    message: str | None = None
    names: tuple[str, ...] = ()
    """Authors named whole, from the community's own citation file (a profile's
    ``citation_file``); used when ``authors`` names no one."""
    editors: tuple[str, ...] = ()
    """Editors named whole, from the same file."""


@dataclass(frozen=True, slots=True)
class TranslationSettings:
    """``translations:``: when a translation counts as behind its original, and the notice."""

    notice: bool = True
    """Show an outdated translation's readers that the original has changed."""
    notice_after_days: int = 0
    """Only once it has been outdated this many days (to ``SOURCE_DATE_EPOCH`` or the
    newest commit, never the clock)."""
    count_frontmatter: bool = False
    """Count changes to the original's frontmatter alone."""
    count_excluded: bool = False
    """Count the commits ``history.exclude_*`` and ``.git-blame-ignore-revs`` credit no one."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    """Absolute path of the site folder (where ``commonsgen.yml`` is)."""
    title: str
    description: str
    base_url: str
    """Where the site is published, always ending in '/': ``https://example.org/handbook/``,
    or ``/`` when unknown (then pages carry no absolute canonical URLs)."""
    language: str
    """The default language: pages outside a language folder are in it."""
    languages: tuple[Language, ...]
    """Every language of the site, the default first."""
    default_license: str | None
    """The content licence of pages without their own (``default_license``, or its
    ``content`` when written as ``{content: ..., code: ...}``)."""
    theme: str
    content_dir: str
    output_dir: str
    contributors_file: str
    strict: bool
    extra: dict[str, Any] = field(default_factory=dict)
    """Free-form values for themes (``extra.tagline`` ...)."""
    positions: dict[str, Pos] = field(default_factory=dict)
    """Where each key is written in ``commonsgen.yml``, for later stages' diagnostics."""
    checks: dict[str, str] = field(default_factory=dict)
    """code -> "error" | "warning" | "ignore" for any kind but ``diagnostics.UNLOWERABLE``."""
    default_code_license: str | None = None
    """``default_license``'s ``code``: the code blocks' licence on pages without their own."""
    licenses: dict[str, dict[str, Any]] = field(default_factory=dict)
    """``LicenseRef-`` id -> {name, url, adaptations}: permissions and other licences outside
    the registry that pages and sources may name."""
    unsafe_html: bool = False
    """Publish raw HTML from Markdown as written (trusted sites only); else it is sanitised."""
    unsafe_files: bool = False
    """Publish content files a browser runs (HTML, JavaScript, SVG with script) as they are
    (trusted sites only); else each is an error."""
    git: bool | None = None
    """Read the content's git history: None is ``auto`` (when there is one), or forced."""
    history_exclude_authors: tuple[str, ...] = ()
    """Regular expressions on "Name <email>": people the history never credits."""
    history_exclude_messages: tuple[str, ...] = ()
    """Regular expressions on commit messages: commits that credit no one."""
    repo_url: str | None = None
    """The repository's web page, for "edit this page", "view source" and commit links."""
    repo_branch: str = "main"
    repo_type: str | None = None
    """github, gitlab or forgejo; None: guessed from ``repo_url``'s host."""
    translations: TranslationSettings = field(default_factory=TranslationSettings)
    paginate: int = 0
    """Pages per section listing page; 0 lists a section's pages on one page."""
    citation: Citation = field(default_factory=Citation)
    markdown: MarkdownOptions = field(default_factory=MarkdownOptions)
    """Markdown conventions beyond commonsgen's own (a profile's ``markdown:``)."""
    profile: Profile | None = None
    """How an adopted repository's conventions map onto commonsgen's (``profile:``)."""

    @property
    def content_path(self) -> Path:
        return (self.root / self.content_dir).resolve()

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    @property
    def contributors_path(self) -> Path:
        return (self.root / self.contributors_file).resolve()

    @property
    def templates_path(self) -> Path:
        return self.root / "templates"

    @property
    def static_path(self) -> Path:
        return self.root / "static"

    @property
    def has_absolute_base(self) -> bool:
        return self.base_url.startswith(("http://", "https://"))

    def title_in(self, lang: str) -> str:
        """The publication's name on a page in ``lang``: that language's ``site_title``
        (or its base language's, ``pt`` for ``pt-BR``), else ``title``."""
        titles = {language.code: language.site_title for language in self.languages}
        return titles.get(lang) or titles.get(lang.split("-", 1)[0]) or self.title

    def language_codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)


Check = Callable[[Any], "str | None"]
"""Returns an error message for a bad value, or None."""


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    check: Check
    default: Any
    required: bool = False
    help: str = ""


def _is_str(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return None
    return f"expected a text value, got {_kind(value)}"


def _is_bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else f"expected true or false, got {_kind(value)}"


def _is_mapping(value: Any) -> str | None:
    return None if isinstance(value, dict) else f"expected a mapping, got {_kind(value)}"


def _is_relative_path(value: Any) -> str | None:
    # Where the path leads (absolute, '..', a symbolic link) is checked once every key is
    # known: see _paths_stay_inside.
    return _is_str(value)


def _is_base_url(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    if value.startswith(("http://", "https://", "/")):
        return None
    return f"'{value}' is not a URL; write it as https://example.org/ or /handbook/"


def _is_page_size(value: Any) -> str | None:
    # bool is an int in Python; "paginate: true" is a mistake, not a page size of 1.
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "expected a whole number of pages per listing page (0: all on one page)"
    return None


def _is_language(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    if not _LANG_RE.match(value):
        return f"'{value}' is not a language code such as 'en', 'de' or 'pt-BR'"
    return None


def _is_languages(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a mapping of language codes, got {_kind(value)}"
    for code, entry in value.items():
        problem = _is_language(code)
        if problem:
            return problem
        if not (entry is None or isinstance(entry, str | dict)):
            return f"language '{code}': expected its name or a mapping with 'title'"
        if isinstance(entry, dict):
            for key, item in entry.items():
                if key not in ("title", "site_title"):
                    return f"language '{code}': unknown key '{key}' (title, site_title)"
                if not isinstance(item, str) or not item.strip():
                    return f"language '{code}': {key} must be a text, got {_kind(item)}"
    return None


def _is_checks(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a mapping of check -> error/warning/ignore, got {_kind(value)}"
    for code, level in value.items():
        problem = check_level_problem(str(code))
        if problem is not None and not (code in UNLOWERABLE and level == "error"):
            return problem
        if level == "warn":
            continue
        if level not in LEVELS:
            return f"check '{code}': expected error, warning or ignore, got {_kind(level)}"
    return None


_LICENSE_REF = re.compile(r"^LicenseRef-[A-Za-z0-9.-]+$")


def _is_license_refs(value: Any) -> str | None:
    if not isinstance(value, dict):
        return f"expected a mapping of LicenseRef- ids, got {_kind(value)}"
    for lid, entry in value.items():
        if not isinstance(lid, str) or not _LICENSE_REF.match(lid):
            return (
                f"'{lid}' is not a LicenseRef- id: write LicenseRef- and then letters, "
                "digits, '.' or '-' (SPDX's form), e.g. LicenseRef-museum-permission"
            )
        if not isinstance(entry, dict):
            return f"{lid}: expected a mapping with name and url, got {_kind(entry)}"
        unknown = sorted(set(entry) - {"name", "url", "adaptations"})
        if unknown:
            return f"{lid}: unknown key '{unknown[0]}'; the keys are name, url and adaptations"
        if _is_str(entry.get("name")):
            return f"{lid}: 'name' (what a credit line shows): {_is_str(entry.get('name'))}"
        if not isinstance(entry.get("url"), str) or urls.web_link(entry["url"]) is None:
            return f"{lid}: 'url' must be an http(s) address of the licence or permission text"
        if not isinstance(entry.get("adaptations", False), bool):
            return f"{lid}: 'adaptations': {_is_bool(entry['adaptations'])}"
    return None


def _is_license_value(value: Any) -> str | None:
    if isinstance(value, dict):
        unknown = sorted(str(key) for key in value if key not in ("content", "code"))
        if unknown or "content" not in value:
            return "expected an SPDX id, or {content: CC-BY-4.0, code: MIT}" + (
                f" (unknown key '{unknown[0]}')" if unknown else " (no 'content')"
            )
        for key in ("content", "code"):
            if key in value and _is_str(value[key]):
                return f"{key}: {_is_str(value[key])}"
        return None
    return _is_str(value)


def _default_licenses(value: Any) -> tuple[str | None, str | None]:
    if isinstance(value, dict):
        return str(value["content"]).strip(), (
            str(value["code"]).strip() if "code" in value else None
        )
    return value, None


def _is_git(value: Any) -> str | None:
    if isinstance(value, bool) or value == "auto":
        return None
    return f"expected auto, true or false, got {_kind(value)}"


def _is_patterns(key: str, value: Any) -> str | None:
    if not isinstance(value, list):
        return f"{key}: expected a list of regular expressions, got {_kind(value)}"
    for pattern in value:
        if not isinstance(pattern, str):
            return f"{key}: expected a regular expression, got {_kind(pattern)}"
        try:
            # the engine the history runs them in (with a time limit; see history.py)
            regex.compile(pattern)
        except regex.error as exc:
            return f"{key}: '{pattern}' is not a regular expression: {exc}"
    return None


HISTORY_KEYS: dict[str, Callable[[str, Any], str | None]] = {
    "exclude_authors": _is_patterns,
    "exclude_messages": _is_patterns,
}
"""The keys of ``history:``, each with its check."""


def _is_keyed(value: Any, keys: dict[str, Any], example: str) -> str | None:
    """A mapping of known keys, each value passing its key's check."""
    if not isinstance(value, dict):
        return f"expected a mapping ({example}), got {_kind(value)}"
    for key, entry in value.items():
        check = keys.get(key) if isinstance(key, str) else None
        if check is None:
            close = suggestion(str(key), keys)
            return f"unknown key '{key}'; " + (close or "known keys: " + ", ".join(keys))
        problem = check(key, entry)
        if problem:
            return problem
    return None


def _is_flag(key: str, value: Any) -> str | None:
    return None if isinstance(value, bool) else f"{key}: expected true or false, got {_kind(value)}"


def _is_days(key: str, value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return None
    return f"{key}: expected a number of days (0 or more), got {_kind(value)}"


TRANSLATION_KEYS: dict[str, Callable[[str, Any], str | None]] = {
    "notice": _is_flag,
    "notice_after_days": _is_days,
    "count_frontmatter": _is_flag,
    "count_excluded": _is_flag,
}
"""The keys of ``translations:``, each with its check."""


def _is_translations(value: Any) -> str | None:
    return _is_keyed(value, TRANSLATION_KEYS, "notice, notice_after_days, count_frontmatter")


def _is_history(value: Any) -> str | None:
    return _is_keyed(value, HISTORY_KEYS, "exclude_authors, exclude_messages")


def _is_repo_url(value: Any) -> str | None:
    problem = _is_str(value)
    if problem:
        return problem
    if not value.startswith(("http://", "https://")):
        return f"'{value}' is not a web address; write it as https://github.com/owner/repo"
    return None


def _is_repo_type(value: Any) -> str | None:
    if value in ("github", "gitlab", "forgejo"):
        return None
    return f"expected github, gitlab or forgejo (also for Gitea and Codeberg), got {_kind(value)}"


DOI_RE = re.compile(r"^10\.\d{4,9}(\.\d+)?/[A-Za-z0-9:/_;\-.()\[\]\\]+$")
"""A DOI as Citation File Format 1.2.0 accepts it (no resolver URL in front)."""


def _is_doi(key: str, value: Any) -> str | None:
    if not isinstance(value, str) or not DOI_RE.match(value.strip()):
        return (
            f"{key}: expected a DOI such as 10.5281/zenodo.1003150 (without https://doi.org/), "
            f"got {_kind(value)}"
        )
    return None


def _is_citation_authors(key: str, value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        return f"{key}: expected a list of ids from the contributors file, got {_kind(value)}"
    return None


def _is_version(key: str, value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value):
        return f"{key}: expected a version such as '2026.1', got {_kind(value)}"
    return None


def _is_date(key: str, value: Any) -> str | None:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return None
    if isinstance(value, str):
        try:
            dt.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return f"{key}: expected a date written as 2026-05-01, got {_kind(value)}"


CITATION_KEYS: dict[str, Callable[[str, Any], str | None]] = {
    "cff": lambda key, value: None if isinstance(value, bool) else f"{key}: {_is_bool(value)}",
    "authors": _is_citation_authors,
    "version": _is_version,
    "doi": _is_doi,
    "date_released": _is_date,
    "message": lambda key, value: f"{key}: {_is_str(value)}" if _is_str(value) else None,
}
"""The keys of ``citation:``, each with its check."""


def _is_citation(value: Any) -> str | None:
    return _is_keyed(value, CITATION_KEYS, "cff, authors, version, doi, ...")


def _citation(value: dict[str, Any]) -> Citation:
    released = value.get("date_released")
    version = value.get("version")
    return Citation(
        cff=bool(value.get("cff", False)),
        authors=tuple(value.get("authors", ())),
        version=None if version is None else str(version),
        doi=value["doi"].strip() if value.get("doi") else None,
        date_released=None if released is None else str(released),
        message=value["message"].strip() if value.get("message") else None,
        names=tuple(value.get("names", ())),
        editors=tuple(value.get("editors", ())),
    )


def _is_profile(value: Any) -> str | None:
    if isinstance(value, dict) or (isinstance(value, str) and value.strip()):
        return None  # the profile module checks the rest, with positions
    return f"expected a profile's name, a profile file or a mapping, got {_kind(value)}"


OPTIONS: tuple[Option, ...] = (
    Option("title", _is_str, None, required=True, help="the site's name"),
    Option("description", _is_str, ""),
    Option("base_url", _is_base_url, "/"),
    Option("language", _is_language, "en"),
    Option("languages", _is_languages, {}),
    Option("default_license", _is_license_value, None),
    Option("theme", _is_str, "default"),
    Option("content_dir", _is_relative_path, "content"),
    Option("output_dir", _is_relative_path, "public"),
    Option("contributors", _is_relative_path, "contributors.yml"),
    Option("strict", _is_bool, False),
    Option("extra", _is_mapping, {}),
    Option("checks", _is_checks, {}),
    Option("licenses", _is_license_refs, {}),
    Option("unsafe_html", _is_bool, False),
    Option("unsafe_files", _is_bool, False),
    Option("git", _is_git, "auto"),
    Option("history", _is_history, {}),
    Option("translations", _is_translations, {}),
    Option("repo_url", _is_repo_url, None),
    Option("repo_branch", _is_str, "main"),
    Option("repo_type", _is_repo_type, None),
    Option("paginate", _is_page_size, 0),
    Option("citation", _is_citation, {}),
    Option("profile", _is_profile, None),
)
_BY_KEY = {option.key: option for option in OPTIONS}


def load_config(
    root: Path,
    report: Report,
    *,
    overrides: dict[str, Any] | None = None,
) -> SiteConfig | None:
    """Read ``root/commonsgen.yml``; None when it is unusable (the report says why).

    ``overrides`` (from the command line) replace file values and are checked the same way.
    Raises :class:`ConfigMissing` when the file does not exist.
    """
    root = root.resolve()
    config_file = root / CONFIG_FILE
    if not config_file.is_file():
        raise ConfigMissing(
            f"no {CONFIG_FILE} in {root}; run commonsgen in a site folder or pass its path"
        )
    try:
        text = config_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(CONFIG_FILE, None, None, "encoding", f"not UTF-8 text: {exc.reason}")
        return None
    doc = yamlsource.load(text, path=CONFIG_FILE, report=report)
    if doc is None:
        return None
    raw = doc.value if doc.value is not None else {}
    if not isinstance(raw, dict):
        report.error(
            CONFIG_FILE,
            1,
            1,
            "config-not-mapping",
            f"{CONFIG_FILE} must be a mapping of keys to values, got {_kind(raw)}",
            "start with a line such as: title: River Watch Handbook",
        )
        return None

    values: dict[str, Any] = {}
    positions: dict[str, Pos] = {}
    ok = True
    for key, value in raw.items():
        pos = doc.pos((key,))
        option = _BY_KEY.get(key) if isinstance(key, str) else None
        if option is None:
            hint = suggestion(str(key), _BY_KEY) or "known keys: " + ", ".join(_BY_KEY)
            report.warning(
                CONFIG_FILE,
                pos.line,
                pos.column,
                "unknown-config-key",
                f"unknown key '{key}' is ignored",
                hint,
            )
            continue
        problem = option.check(value)
        if problem:
            report.error(CONFIG_FILE, pos.line, pos.column, "config-type", f"{key}: {problem}")
            ok = False
            continue
        values[key] = value
        positions[key] = pos
    for key, value in (overrides or {}).items():
        problem = _BY_KEY[key].check(value)
        if problem:
            report.error("<command line>", None, None, "config-type", f"{key}: {problem}")
            ok = False
            continue
        values[key] = value
    for option in OPTIONS:
        if option.required and option.key not in values and option.key in raw:
            continue  # already reported as a type error
        if option.key == "title" and "profile" in values:
            continue  # the profile may read it from the site's own files: checked below
        if option.required and option.key not in values:
            report.error(
                CONFIG_FILE,
                1,
                1,
                "config-missing-key",
                f"'{option.key}' is required ({option.help})",
                f"add a line such as: {option.key}: My community handbook",
            )
            ok = False
    if not ok:
        return None
    adopted: Profile | None = None
    if "profile" in values:
        adopted = load_profile(values["profile"], root, doc, CONFIG_FILE, report)
        if adopted is None:
            return None
        values = {**values, **config_defaults(adopted, root, values)}
        if "title" not in values:
            report.error(
                CONFIG_FILE,
                1,
                1,
                "config-missing-key",
                "'title' is required (the site's name), and the profile's files give none",
                "add a line such as: title: My community handbook",
            )
            return None

    def get(key: str) -> Any:
        return values.get(key, _BY_KEY[key].default)

    if not _paths_stay_inside(root, get, positions, report):
        return None
    language: str = get("language")
    return SiteConfig(
        root=root,
        title=get("title").strip(),
        description=get("description").strip(),
        base_url=_normalise_base_url(get("base_url")),
        language=language,
        languages=_languages(language, get("languages")),
        default_license=_default_licenses(get("default_license"))[0],
        default_code_license=_default_licenses(get("default_license"))[1],
        theme=get("theme"),
        content_dir=get("content_dir"),
        output_dir=get("output_dir"),
        contributors_file=get("contributors"),
        strict=get("strict"),
        extra=dict(get("extra")),
        positions=positions,
        checks={
            str(code): "warning" if level == "warn" else level
            for code, level in get("checks").items()
        },
        licenses={str(lid): dict(entry) for lid, entry in get("licenses").items()},
        unsafe_html=get("unsafe_html"),
        unsafe_files=get("unsafe_files"),
        git=None if get("git") == "auto" else get("git"),
        history_exclude_authors=tuple(get("history").get("exclude_authors", ())),
        history_exclude_messages=tuple(get("history").get("exclude_messages", ())),
        repo_url=get("repo_url"),
        repo_branch=get("repo_branch"),
        repo_type=get("repo_type"),
        translations=TranslationSettings(**get("translations")),
        paginate=get("paginate"),
        citation=_citation(get("citation")),
        profile=adopted,
        markdown=adopted.markdown if adopted else MarkdownOptions(),
    )


PATH_KEYS: tuple[str, ...] = ("content_dir", "output_dir", "contributors", "theme")
"""The keys whose value is a path in the site folder (``theme`` only when it is not the
name of a built-in theme). A pull request may change ``commonsgen.yml``, so none of them
may lead the build to read or replace files elsewhere."""


def _paths_stay_inside(
    root: Path, get: Callable[[str], Any], positions: dict[str, Pos], report: Report
) -> bool:
    """Report each configured path that leaves the site folder; True when none does."""
    ok = True
    for key in PATH_KEYS:
        written = get(key)
        problem = outside_site(root, written, theme=key == "theme")
        if problem is None:
            continue
        # A value a profile supplied is reported at the profile key that brought it in.
        pos = positions.get(key) or positions.get("profile") or Pos(1, 1)
        report.error(
            CONFIG_FILE,
            pos.line,
            pos.column,
            "path-outside",
            f"{key}: {problem}",
            "give a path inside the site folder; a build reads and writes nothing else "
            "(on the command line, build --out may name any folder)",
        )
        ok = False
    return ok


def outside_site(root: Path, written: str, *, theme: bool = False) -> str | None:
    """Why the path ``written`` (relative to the site folder ``root``) leads out of it,
    following symbolic links; None when it stays inside. For a theme, both places a name
    is looked for (the site folder and its ``themes/``) are checked, and a name the site
    has no folder of is a built-in theme's."""
    posix = written.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or re.match(r"^[A-Za-z]:", posix):
        return f"'{written}' is an absolute path; give a path relative to the site folder"
    candidates = [root / posix, root / "themes" / posix] if theme else [root / posix]
    for candidate in candidates:
        lexical = Path(os.path.normpath(candidate))
        if not _within(lexical, root):
            return f"'{written}' leads out of the site folder with '..'"
        if theme and not os.path.lexists(candidate):
            continue
        resolved = candidate.resolve()
        if not _within(resolved, root):
            return f"'{written}' is a symbolic link to {resolved}, outside the site folder"
    return None


def _within(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _normalise_base_url(url: str) -> str:
    url = url.strip()
    return url if url.endswith("/") else url + "/"


def _languages(default: str, declared: dict[str, Any]) -> tuple[Language, ...]:
    found: dict[str, Language] = {}
    for code, entry in sorted(declared.items()):
        site_title = None
        if isinstance(entry, dict):
            title = str(entry.get("title") or code)
            site_title = " ".join(str(entry.get("site_title") or "").split()) or None
        elif isinstance(entry, str):
            title = entry
        else:
            title = code
        found[code] = Language(code, title, site_title)
    first = found.pop(default, Language(default, default))
    return (first, *found.values())
