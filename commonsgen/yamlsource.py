"""Read YAML safely and keep where every key and item sits in the file.

Config, contributors and frontmatter are all YAML written by people, and every error about
them must point at a line and column. PyYAML's composer gives each node a start mark; we
construct plain Python values with the safe constructor and keep the marks beside them,
keyed by the path of keys and indexes that leads to each value.

Only the safe loader is ever used (the C one when libyaml is there, it is ~8x faster).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from commonsgen.diagnostics import Pos, Report

try:
    _Base: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Base = yaml.SafeLoader


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """The safe loader, except that a date that does not exist stays text.

    PyYAML raises a bare ValueError for ``2026-13-01``; as text, the field that expects a
    date reports it with its position and a hint.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)

KeyPath = tuple[str | int, ...]

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""C0 control characters but tab and line ends: no text needs them, no XML may hold them,
and most editors do not show them."""


MAX_NODES = 200_000
"""Documents with more nodes than this are refused: frontmatter and config are small, and
alias-expansion bombs are not."""

MAX_EXPANDED = 200_000
"""Values a document may have once every alias is expanded. Construction shares aliased
values, so a bomb is small in memory, but anything that walks the values later (templates,
JSON, comparisons) would walk every copy: "billion laughs" is refused here, before that."""


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A parsed YAML document: plain values plus the position of each key and item."""

    value: Any
    key_positions: dict[KeyPath, Pos]
    """Where the key of a mapping entry, or the start of a list item, is written."""
    value_positions: dict[KeyPath, Pos]
    """Where the value itself starts."""

    def pos(self, path: KeyPath) -> Pos:
        """The position of ``path``'s key, or of the nearest enclosing one that is known."""
        for i in range(len(path), -1, -1):
            found = self.key_positions.get(path[:i])
            if found is not None:
                return found
        return Pos(1, 1)

    def value_pos(self, path: KeyPath) -> Pos:
        found = self.value_positions.get(path)
        return found if found is not None else self.pos(path)


class _TooLarge(Exception):
    pass


def load(
    text: str,
    *,
    path: str,
    report: Report,
    line_offset: int = 0,
) -> YamlDoc | None:
    """Parse ``text`` as one YAML document; on failure add a diagnostic and return None.

    ``line_offset`` is the number of file lines before ``text`` starts (1 for frontmatter,
    whose opening ``---`` is line 1), so that positions are lines of the file.
    """

    def shift(mark: yaml.Mark) -> Pos:
        return Pos(mark.line + 1 + line_offset, mark.column + 1)

    text = without_control(text, path, report, line_offset)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(None, {}, {})
        key_positions: dict[KeyPath, Pos] = {(): shift(node.start_mark)}
        value_positions: dict[KeyPath, Pos] = {(): shift(node.start_mark)}
        # Only a double-quoted escape ("\\x07", "\\0", "\\e") makes a control character
        # once the text itself holds none: without a backslash no scalar need be looked at.
        escapes = "\\" in text
        for key_path, key_mark, value_mark in _walk(node, loader, report, path, shift, escapes):
            key_positions.setdefault(key_path, shift(key_mark))
            value_positions.setdefault(key_path, shift(value_mark))
        # Without an anchor (&name) there is no alias, and a text this short cannot hold
        # MAX_EXPANDED values: the walk above bounded it (most frontmatter, most of a page).
        if ("&" in text or len(text) > MAX_EXPANDED) and _expanded_size(node) > MAX_EXPANDED:
            raise _TooLarge
        value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = shift(mark) if mark is not None else Pos(1 + line_offset, 1)
        message = _describe(exc)
        context = exc.context_mark
        if context is not None and mark is not None and context.line != mark.line:
            message += f" (it starts on line {shift(context).line})"
        report.error(path, pos.line, pos.column, "yaml-syntax", message, _hint(exc))
        return None
    except yaml.YAMLError as exc:
        report.error(path, 1 + line_offset, 1, "yaml-syntax", f"cannot read YAML: {exc}")
        return None
    except _TooLarge:
        report.error(
            path,
            1 + line_offset,
            1,
            "yaml-too-large",
            f"the YAML here has more than {MAX_NODES:,} values once its aliases (*name) are "
            "expanded, or an alias that contains itself",
            "frontmatter and config should be short; a document this size is refused "
            "(it may be an alias-expansion bomb)",
        )
        return None
    finally:
        loader.dispose()
    return YamlDoc(value, key_positions, value_positions)


def without_control(text: str, path: str, report: Report, line_offset: int = 0) -> str:
    """``text`` without its control characters, reported once, at the first one's line and
    column: they are invisible in most editors, XML (feeds, the sitemap) cannot carry them
    at all, and libyaml would refuse the whole file at a character offset."""
    found = CONTROL.search(text)
    if found is None:
        return text
    before = text[: found.start()]
    count = len(CONTROL.findall(text))
    more = f" ({count} in the file)" if count > 1 else ""
    report.error(
        path,
        before.count("\n") + 1 + line_offset,
        found.start() - (before.rfind("\n") + 1) + 1,
        "control-character",
        f"an invisible control character U+{ord(found.group()):04X} is in the text{more}",
        "delete it (an editor that shows invisible characters helps); they are left out "
        "of the site",
    )
    return CONTROL.sub("", text)


def _check_scalar(node: yaml.Node, report: Report, path: str, shift: Any) -> None:
    """Report a scalar whose escapes decode to control characters, and leave them out of
    the value it constructs (a title must not carry a NUL into a page or a feed)."""
    if not isinstance(node, yaml.ScalarNode) or not isinstance(node.value, str):
        return
    found = CONTROL.search(node.value)
    if found is None:
        return
    pos = shift(node.start_mark)
    count = len(CONTROL.findall(node.value))
    more = f" ({count} in the value)" if count > 1 else ""
    report.error(
        path,
        pos.line,
        pos.column,
        "control-character",
        f"this value holds the invisible control character U+{ord(found.group()):04X}{more}, "
        'written as an escape such as "\\x07", "\\0" or "\\e"',
        "remove the escape; control characters are left out of the site",
    )
    node.value = CONTROL.sub("", node.value)


def _walk(
    root: yaml.Node,
    loader: Any,
    report: Report,
    path: str,
    shift: Any,
    escapes: bool = True,
) -> Iterator[tuple[KeyPath, yaml.Mark, yaml.Mark]]:
    """Yield (key path, key mark, value mark) for every entry, each node visited once.

    Aliases make the node graph a DAG; visiting each node once keeps this linear in the
    size of the text even for alias bombs. With ``escapes``, every scalar (key or value)
    is checked for control characters its escapes decode to.
    """
    seen: set[int] = set()
    stack: list[tuple[KeyPath, yaml.Node]] = [((), root)]
    count = 0
    while stack:
        key_path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        count += 1
        if count > MAX_NODES:
            raise _TooLarge
        if escapes:
            _check_scalar(node, report, path, shift)
        if isinstance(node, yaml.MappingNode):
            keys_seen: dict[object, yaml.Mark] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # complex keys: the constructor reports them
                if escapes:
                    _check_scalar(key_node, report, path, shift)
                key = loader.construct_object(key_node)
                if key == "<<":
                    continue  # merge keys are resolved by the constructor
                if key in keys_seen:
                    pos = shift(key_node.start_mark)
                    first = shift(keys_seen[key])
                    report.warning(
                        path,
                        pos.line,
                        pos.column,
                        "duplicate-key",
                        f"'{key}' is given twice (first on line {first.line}); the last one wins",
                        "remove one of them",
                    )
                keys_seen[key] = key_node.start_mark
                child = (*key_path, key if isinstance(key, str | int) else str(key))
                yield child, key_node.start_mark, value_node.start_mark
                stack.append((child, value_node))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                child = (*key_path, index)
                yield child, item.start_mark, item.start_mark
                stack.append((child, item))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _expanded_size(root: yaml.Node) -> int:
    """How many values the document has with every alias expanded, counted over the node
    graph once per node (memoised), so a bomb costs its size in text, not its expansion.
    A node that contains itself (``&a [*a]``) expands without end."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[key] = min(total, MAX_EXPANDED + 1)
            continue
        if key in sizes:
            continue
        if key in on_path:
            return MAX_EXPANDED + 1
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                return MAX_EXPANDED + 1
            if id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(root)]


def _describe(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if "could not determine a constructor for the tag" in problem:
        return f"YAML tags such as {problem.split('tag', 1)[1].strip()} are not allowed"
    context = f" {exc.context}" if exc.context else ""
    return f"YAML syntax error: {problem}{context}".rstrip()


def _hint(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    if "constructor for the tag" in problem:
        return "commonsgen reads plain YAML only; remove the '!' tag"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted, e.g. title: \"Rivers: a guide\""
    if "found character '\\t'" in problem:
        return "YAML does not allow tabs for indentation; use spaces"
    return "check indentation and quoting on this line and the one before it"
