"""``commonsgen translations pin``: say that a translation is up to date again.

Pins the version of the original the translation now follows into its frontmatter
(``translation_of: {page: ..., revision: <commit>}``, or ``hash: sha256:...`` without git,
for a shallow clone, an original with uncommitted changes, or when asked), touching that
key alone: every other byte of the file stays as it was, which is checked before writing.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from commonsgen import history as git_history
from commonsgen import translations
from commonsgen.build import BuildOptions, load
from commonsgen.content.frontmatter import split
from commonsgen.diagnostics import Report
from commonsgen.model import Page
from commonsgen.site import Site


class PinError(Exception):
    """A file that cannot be pinned: the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Pinned:
    path: Path
    """The translation's file."""
    site_path: str
    key: str
    """``revision`` or ``hash``."""
    value: str
    original: str
    """The original's file, as diagnostics name it."""
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.site_path}",
                f"b/{self.site_path}",
            )
        )


def load_site(root: Path) -> Site:
    """The site as a build reads it (with its git history), nothing rendered."""
    report = Report()
    _, site = load(root, BuildOptions(write=False), report)
    if site is None:
        problems = "; ".join(f"{d.location()}: {d.message}" for d in report.errors[:3])
        raise PinError(f"the site cannot be read: {problems or 'no content folder'}")
    return site


def find_page(site: Site, file: Path) -> Page:
    """The page of ``file``: a path from the current folder, or from the site folder."""
    for candidate in (file, site.config.root / file):
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        for page in site.pages.values():
            if page.source.abs_path.resolve() == resolved:
                return page
    raise PinError(
        f"{file}: no page of the site at {site.config.root} (a draft, or outside its "
        f"content folder '{site.config.content_dir}')"
    )


def pin(site: Site, page: Page, *, use_hash: bool = False) -> Pinned:
    """The translation's file with the original's current version pinned (not written)."""
    edge = page.translation_of
    if edge is None or edge.page is None:
        raise PinError(
            f"{page.source.site_path}: the page has no translation_of, so there is nothing "
            "to pin; add 'translation_of: <the original's path>' first"
        )
    original = site.pages.get(edge.page)
    if original is None:
        raise PinError(f"{page.source.site_path}: its original '{edge.written}' is not a page")
    key, value = _version(site, original, use_hash=use_hash)
    before = page.source.abs_path.read_bytes().decode("utf-8")
    now = edge.pin
    same = now is not None and (now.revision, now.content_hash) == (
        (value, None) if key == "revision" else (None, value)
    )
    try:
        after = before if same else rewrite(before, key, value)
    except yaml.YAMLError as exc:  # read by the build, so only an unusual rewrite gets here
        raise PinError(f"{page.source.site_path}: {exc}; edit translation_of by hand") from None
    return Pinned(
        page.source.abs_path,
        page.source.site_path,
        key,
        value,
        original.source.site_path,
        before,
        after,
    )


def _version(site: Site, original: Page, *, use_hash: bool) -> tuple[str, str]:
    history = site.history
    usable = history is not None and not history.shallow
    if not use_hash and usable and history is not None:
        shas = history.files.get(original.id, ())
        committed = original.id not in _uncommitted(site, original)
        if shas and committed:
            return "revision", shas[0]
    text = original.source.abs_path.read_bytes().decode("utf-8-sig", "replace")
    return "hash", translations.body_hash(text)


def _uncommitted(site: Site, original: Page) -> frozenset[str]:
    """Whether the original has changes git has not committed (then no commit has its
    text, and its hash is pinned instead)."""
    assert site.history is not None
    found = git_history.uncommitted(site.history, [original.id])
    return found if found is not None else frozenset({original.id})


def rewrite(text: str, key: str, value: str) -> str:
    """``text`` with ``translation_of`` holding ``key: value`` (and not the other pin)."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.removeprefix(bom)
    parts = split(text.replace("\r\n", "\n"))
    if parts.frontmatter is None:
        raise PinError("the file has no frontmatter")
    lines = text.split(newline)
    value = f'"{value}"'  # quoted: YAML would read some all-digit commit ids as numbers
    front = parts.frontmatter
    node = _translation_node(front)
    start, end = node.start_mark.index, node.end_mark.index
    drop = {"revision", "hash"}
    if isinstance(node, yaml.ScalarNode):
        replaced = f"{{page: {front[start:end]}, {key}: {value}}}"
        new_front = front[:start] + replaced + front[end:]
    elif isinstance(node, yaml.MappingNode) and node.flow_style:
        kept = [
            f"{front[k.start_mark.index : k.end_mark.index]}: "
            f"{front[v.start_mark.index : v.end_mark.index]}"
            for k, v in node.value
            if k.value not in drop
        ]
        new_front = front[:start] + "{" + ", ".join([*kept, f"{key}: {value}"]) + "}" + front[end:]
    elif isinstance(node, yaml.MappingNode):
        new_front = _rewrite_block(front, node, key, value, drop)
    else:
        raise PinError("translation_of is neither a path nor a mapping")
    _check_same_but_pin(front, new_front, key, value.strip('"'))
    fence = parts.body_line - 2  # the closing fence's line, from 0
    head = newline.join(new_front.removesuffix("\n").split("\n"))
    return bom + newline.join([lines[0], head, *lines[fence:]])


def _translation_node(front: str) -> yaml.Node:
    root = yaml.compose(front, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise PinError("the frontmatter is not a mapping")
    for key_node, value_node in root.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == "translation_of":
            return value_node
    raise PinError("the frontmatter has no translation_of")


def _rewrite_block(front: str, node: yaml.MappingNode, key: str, value: str, drop: set[str]) -> str:
    """A block mapping: the old pin's lines out, the new one after the last entry."""
    lines = front.split("\n")
    gone = set()
    for k, v in node.value:
        if k.value in drop:
            if v.end_mark.line != k.start_mark.line:
                raise PinError(f"translation_of's '{k.value}' spans several lines")
            gone.add(k.start_mark.line)
    first_key = node.value[0][0]
    indent = " " * first_key.start_mark.column
    last_line = max(v.end_mark.line - (1 if v.end_mark.column == 0 else 0) for _, v in node.value)
    out = []
    for n, line in enumerate(lines):
        if n not in gone:
            out.append(line)
        if n == last_line:
            out.append(f"{indent}{key}: {value}")
    return "\n".join(out)


def _check_same_but_pin(before: str, after: str, key: str, value: str) -> None:
    """Every other key must read as before: the command touches the pin alone."""
    old = yaml.safe_load(before)
    new = yaml.safe_load(after)
    was = old.get("translation_of")
    expected = dict(was) if isinstance(was, dict) else {"page": was}
    expected.pop("revision", None)
    expected.pop("hash", None)
    expected[key] = value
    if new.get("translation_of") != expected or {
        k: v for k, v in new.items() if k != "translation_of"
    } != {k: v for k, v in old.items() if k != "translation_of"}:
        raise PinError("the frontmatter could not be changed safely; edit translation_of by hand")


def write(pinned: Pinned) -> None:
    """Replace the file in one step (a reader never sees it half written)."""
    folder = pinned.path.parent
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".pin-", suffix=".md")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(pinned.after)
        os.chmod(tmp, pinned.path.stat().st_mode & 0o7777)
        os.replace(tmp, pinned.path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
