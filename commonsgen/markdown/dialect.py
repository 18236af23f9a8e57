"""Which Markdown conventions a site's pages follow: the ``markdown:`` block of a profile.

Repositories written for Jekyll (kramdown + Liquid) or for Pandoc carry syntax that plain
CommonMark shows as text: ``{% tool "x" %}``, ``{: .class}``, ``::: challenge``,
``![](a.png){alt='...'}``, ``<aside markdown="1">``. :class:`MarkdownOptions` switches
each extension on; the defaults are commonsgen's own Markdown, so a site that says nothing
renders exactly as before. The options are frozen and made of tuples: they are hashed into
render caches and pickled to worker processes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from commonsgen.diagnostics import Pos, Report, suggestion

LIQUID_MODES = ("text", "strip", "map")


@dataclass(frozen=True)
class TagData:
    """A data file that a Liquid tag looks its first argument up in (``{% tool "zenodo" %}``
    -> the record whose ``key`` field is ``zenodo``)."""

    file: str
    """As written in the profile, relative to the site folder (for messages)."""
    records: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]
    """key -> the record's scalar fields, as text; sorted, so equal files compare equal."""
    missing: str = "{0}"
    """Markdown for an argument that is not in the file."""
    _index: dict[str, dict[str, str]] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self._index.update((key, dict(fields)) for key, fields in self.records)

    # The index is derived: pickles (worker processes, cache fingerprints) carry the
    # records once and rebuild it.
    def __getstate__(self) -> tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...]], ...], str]:
        return self.file, self.records, self.missing

    def __setstate__(self, state: tuple[Any, Any, Any]) -> None:
        for name, value in zip(("file", "records", "missing"), state, strict=True):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_index", {})
        self.__post_init__()

    def lookup(self, key: str) -> dict[str, str] | None:
        return self._index.get(key)


@dataclass(frozen=True, slots=True)
class MarkdownOptions:
    liquid: str = "text"
    """What ``{% ... %}`` and ``{{ ... }}`` become: ``text`` shows them as written,
    ``strip`` removes them, ``map`` replaces the ones it knows and removes the rest."""
    liquid_tags: tuple[tuple[str, str], ...] = ()
    """Tag name -> Markdown template for ``liquid: map`` (``{0}`` is the first argument,
    ``{name}`` a ``name=value`` argument, ``{args}`` everything after the tag name)."""
    liquid_data: tuple[tuple[str, TagData], ...] = ()
    """Tag name -> the data file its first argument is looked up in; the record's fields
    fill the template's other placeholders (``{name}``, ``{url}``)."""
    attribute_lists: bool = False
    """kramdown ``{: .class #id key="v"}`` after a block or a link/image."""
    pandoc_attributes: bool = False
    """Pandoc ``{#id .class key=v}`` after headings, images and links, ``[text]{#id}`` spans."""
    fenced_divs: bool = False
    """Pandoc ``::: name`` ... ``:::`` blocks, rendered as admonitions."""
    html_markdown: bool = False
    """Markdown inside HTML elements marked ``markdown="1"`` (kramdown)."""

    @property
    def active(self) -> bool:
        """Whether any extension is on (off: the renderer does exactly what it always did)."""
        return self != _DEFAULT

    def tag_template(self, name: str) -> str | None:
        for tag, template in self.liquid_tags:
            if tag == name:
                return template
        return None

    def tag_data(self, name: str) -> TagData | None:
        for tag, data in self.liquid_data:
            if tag == name:
                return data
        return None


_DEFAULT = MarkdownOptions()
_FLAGS = ("attribute_lists", "pandoc_attributes", "fenced_divs", "html_markdown")
KEYS = ("liquid", "liquid_tags", *_FLAGS)

PosOf = Callable[[tuple[str, ...]], Pos]
ReadData = Callable[[str], object]
"""Reads a data file named in a profile (relative to the site folder): its parsed YAML;
None once it has reported why it could not (a YAML error, at its line in the data file), or
:class:`DataFileProblem` for the caller to report where the file is named."""


class DataFileProblem(Exception):
    """A data file that cannot be used; ``warning``: the tags still work without it."""

    def __init__(self, message: str, hint: str, *, warning: bool = False) -> None:
        super().__init__(message)
        self.message, self.hint, self.warning = message, hint, warning


_TAG_KEYS = ("template", "data", "key", "missing")


def markdown_options_from(
    raw: object,
    source_file: str,
    report: Report,
    *,
    pos: PosOf | None = None,
    prefix: tuple[str, ...] = ("markdown",),
    read_data: ReadData | None = None,
) -> MarkdownOptions:
    """Read a ``markdown:`` mapping; every problem becomes a diagnostic in ``source_file``
    (``pos`` gives the position of a key path such as ``("markdown", "liquid")``), and a bad
    value leaves that option at its default. ``read_data`` reads the data files that
    ``liquid_tags`` entries name; without it they are not read (and not reported)."""

    def where(*keys: str) -> tuple[int | None, int | None]:
        if pos is None:
            return None, None
        found = pos((*prefix, *keys))
        return found.line, found.column

    name = ".".join(prefix)
    if raw is None:
        return _DEFAULT
    if not isinstance(raw, Mapping):
        report.error(
            source_file,
            *where(),
            "config-type",
            f"{name}: expected a mapping of options, got {_kind(raw)}",
            "write for example 'liquid: strip' and 'fenced_divs: true' under it",
        )
        return _DEFAULT
    values: dict[str, Any] = {}
    for key, value in raw.items():
        key_text = str(key)
        if key_text not in KEYS:
            report.warning(
                source_file,
                *where(key_text),
                "unknown-config-key",
                f"unknown key '{name}.{key_text}' is ignored",
                suggestion(key_text, KEYS) or "known keys: " + ", ".join(KEYS),
            )
            continue
        if value is None:
            continue
        if key_text == "liquid":
            if value not in LIQUID_MODES:
                report.error(
                    source_file,
                    *where(key_text),
                    "config-type",
                    f"{name}.liquid: '{value}' is not one of {', '.join(LIQUID_MODES)}",
                    suggestion(str(value), LIQUID_MODES)
                    or "text shows tags as written, strip removes them, map replaces them",
                )
                continue
            values["liquid"] = value
        elif key_text == "liquid_tags":
            found = _tags(value, f"{name}.liquid_tags", source_file, report, where, read_data)
            if found is not None:
                values["liquid_tags"], values["liquid_data"] = found
        elif not isinstance(value, bool):
            report.error(
                source_file,
                *where(key_text),
                "config-type",
                f"{name}.{key_text}: expected true or false, got {_kind(value)}",
                None,
            )
        else:
            values[key_text] = value
    if "liquid_tags" in values and values.get("liquid", "text") != "map":
        report.warning(
            source_file,
            *where("liquid_tags"),
            "config-type",
            f"{name}.liquid_tags is used only with 'liquid: map'",
            "add 'liquid: map' or remove liquid_tags",
        )
    return MarkdownOptions(**values)


def _tags(
    value: object,
    name: str,
    source_file: str,
    report: Report,
    where: Callable[..., tuple[int | None, int | None]],
    read_data: ReadData | None,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, TagData], ...]] | None:
    if not isinstance(value, Mapping):
        report.error(
            source_file,
            *where("liquid_tags"),
            "config-type",
            f"{name}: expected a mapping of tag name -> Markdown, got {_kind(value)}",
            """for example: tool: "[{0}](https://example.org/tools/{0})\"""",
        )
        return None
    tags: list[tuple[str, str]] = []
    data: list[tuple[str, TagData]] = []
    for tag, template in value.items():
        tag = str(tag)
        if template is None:
            template = ""
        if isinstance(template, Mapping):
            looked_up = _tag_data(template, f"{name}.{tag}", source_file, report, where, read_data)
            if looked_up is None:
                continue
            template, found = looked_up
            if found is not None:
                data.append((tag, found))
        if not isinstance(template, str | int | float) or isinstance(template, bool):
            report.error(
                source_file,
                *where("liquid_tags", tag),
                "config-type",
                f"{name}.{tag}: expected Markdown text, got {_kind(template)}",
                "an empty string removes the tag; a mapping with 'template' and 'data' "
                "looks the argument up in a data file",
            )
            continue
        tags.append((tag, str(template)))
    return tuple(sorted(tags)), tuple(sorted(data, key=lambda item: item[0]))


def _tag_data(
    spec: Mapping[Any, Any],
    name: str,
    source_file: str,
    report: Report,
    where: Callable[..., tuple[int | None, int | None]],
    read_data: ReadData | None,
) -> tuple[object, TagData | None] | None:
    """``{template, data, key, missing}`` -> the template and the looked-up records."""
    tag = name.rsplit(".", 1)[1]

    def problem(message: str, hint: str | None, *keys: str) -> None:
        report.error(source_file, *where("liquid_tags", tag, *keys), "config-type", message, hint)

    for key in spec:
        if str(key) not in _TAG_KEYS:
            report.warning(
                source_file,
                *where("liquid_tags", tag, str(key)),
                "unknown-config-key",
                f"unknown key '{name}.{key}' is ignored",
                suggestion(str(key), _TAG_KEYS) or "known keys: " + ", ".join(_TAG_KEYS),
            )
    template = spec.get("template", "")
    file = spec.get("data")
    key_field = str(spec.get("key") or "id")
    missing = spec.get("missing", "{0}")
    if not isinstance(missing, str):
        problem(f"{name}.missing: expected Markdown text, got {_kind(missing)}", None, "missing")
        missing = "{0}"
    if file is None:
        return template, None
    if not isinstance(file, str) or not file.strip():
        problem(f"{name}.data: expected a file path, got {_kind(file)}", None, "data")
        return None
    if read_data is None:
        return template, None
    try:
        parsed = read_data(file)
    except DataFileProblem as exc:
        at = where("liquid_tags", tag, "data")
        if not exc.warning:
            report.error(source_file, *at, "profile-data", exc.message, exc.hint)
            return None
        report.warning(source_file, *at, "profile-data", exc.message, exc.hint)
        parsed = []
    if parsed is None:
        return None
    items: list[object]
    if isinstance(parsed, Mapping):
        items = [{key_field: k, **v} if isinstance(v, Mapping) else None for k, v in parsed.items()]
    elif isinstance(parsed, list):
        items = parsed
    else:
        problem(
            f"{name}.data: {file} holds {_kind(parsed)}, not a list or mapping of records",
            None,
            "data",
        )
        return None
    records: dict[str, tuple[tuple[str, str], ...]] = {}
    for item in items:
        if not isinstance(item, Mapping) or item.get(key_field) is None:
            continue
        fields = tuple(
            sorted(
                (str(k), str(v))
                for k, v in item.items()
                if isinstance(v, str | int | float) and not isinstance(v, bool)
            )
        )
        records.setdefault(str(item[key_field]), fields)
    if not records and items:  # an empty file (or a missing one, reported) has none
        problem(
            f"{name}.data: no record in {file} has the field '{key_field}'",
            "set 'key' to the field that holds what the tag names",
            "key",
        )
        return None
    return template, TagData(file, tuple(sorted(records.items())), missing)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, int | float):
        return "a number"
    return f"'{value}'" if isinstance(value, str) else type(value).__name__
