"""Whether each translation is up to date with its original: current, outdated, or unknown.

A translation follows one version of its original. With git, that is the translation's
last commit, unless its frontmatter pins the version it follows (``translation_of:
{page: ..., revision: <commit>}``), which wins over the translation's later commits until
it is removed or updated; a content hash (``hash: sha256:...``) of the original's text
decides without git too (a tarball, a shallow clone). The original's changes since that
version make the translation outdated, except, unless the site says otherwise
(``translations:`` in commonsgen.yml), commits that ``history.exclude_*`` and
``.git-blame-ignore-revs`` credit no one for (formatting-only changes) and changes to the
original's frontmatter alone.

Everything comes from the one history pass (:func:`commonsgen.history.read`, whose
``--raw`` log gives each version's blob id) plus one ``git cat-file --batch`` for the
versions of originals whose text must be compared. Nothing reads the clock: the age of an
outdated translation counts to ``SOURCE_DATE_EPOCH`` or the newest commit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from commonsgen import history as git_history
from commonsgen.config import TranslationSettings
from commonsgen.content.frontmatter import split
from commonsgen.diagnostics import Report
from commonsgen.history import History
from commonsgen.model import Page, PageId

Status = Literal["current", "outdated", "source-missing", "unknown"]
Basis = Literal["history", "revision", "hash", "none"]
"""What decided: the translation's last commit, its pinned revision, its pinned content
hash, or nothing (no git, no pin)."""

HASH_PREFIX = "sha256:"


@dataclass(frozen=True, slots=True)
class TranslationStatus:
    page: PageId
    """The translation."""
    original: PageId
    status: Status
    basis: Basis
    followed: str | None = None
    """The commit of the original the translation follows, when known."""
    followed_date: dt.date | None = None
    behind: int | None = None
    """The original's counted changes since the followed version; None when a hash alone
    says it changed (no history to count in)."""
    since: dt.date | None = None
    """The first of those changes: since when the translation is outdated."""
    latest: dt.date | None = None
    """The last of those changes."""
    head: str | None = None
    """The original's newest counted commit (the end of the diff)."""
    note: str | None = None
    """Why the status is unknown, for ``check``."""
    notice: bool = False
    """Whether the page tells its readers (outdated, the site's ``translations.notice`` on,
    and outdated for ``notice_after_days`` or more)."""


def body_hash(text: str) -> str:
    """The content hash of a page's text (its Markdown body, the frontmatter left out; line
    ends, a BOM and the whitespace at line ends and around the text do not count)."""
    body = split(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")).body
    lines = [line.rstrip() for line in body.split("\n")]
    normal = "\n".join(lines).strip("\n")
    return HASH_PREFIX + hashlib.sha256(normal.encode("utf-8")).hexdigest()


def pin_matches(pin: str, found: str) -> bool:
    """A pinned hash may be shortened to 12 hex digits or more."""
    return found.startswith(pin)


def reference_date(history: History | None, source_date_epoch: str | None) -> dt.date | None:
    """ "Now" for the notice's "after N days": ``SOURCE_DATE_EPOCH`` when set (reproducible
    builds' convention), else the newest commit's date; never the clock."""
    if source_date_epoch and source_date_epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(source_date_epoch), dt.UTC).date()
    if history is not None and history.commits:
        return max(c.date for c in history.commits.values()).date()
    return None


def compute(
    pages: Mapping[PageId, Page],
    history: History | None,
    settings: TranslationSettings,
    report: Report,
    *,
    source_date_epoch: str | None = None,
) -> dict[PageId, TranslationStatus]:
    """Every published translation's status, by translation page id, sorted; reports each
    outdated translation (``translation-outdated``) and each pin that cannot be found.
    ``source_date_epoch``: the environment's ``SOURCE_DATE_EPOCH``, for the notice's age."""
    wanted = [
        (pid, page.translation_of.page)
        for pid, page in sorted(pages.items())
        if page.translation_of is not None and page.translation_of.page is not None
    ]
    if not wanted:
        return {}
    # A shallow clone's oldest commit looks like it added every file: its history cannot
    # say what a translation follows, so only a content hash decides there.
    usable = history if history is not None and not history.shallow else None
    with _Log(usable, settings) as log:
        # The translations' own versions first: a commit that changed a translation's
        # frontmatter alone (tags, say) did not bring it up to date either.
        log.load_own(pid for pid, orig in wanted if orig in pages)
        plans = {pid: _plan(pages[pid], log) for pid, orig in wanted if orig in pages}
        log.load(
            (orig, plan.followed, plan.basis == "hash")
            for pid, orig in wanted
            if (plan := plans.get(pid)) is not None
        )
    now = reference_date(history, source_date_epoch)
    hashes: dict[PageId, str | None] = {}
    found: dict[PageId, TranslationStatus] = {}
    for pid, orig in wanted:
        page = pages[pid]
        plan = plans.get(pid)
        if plan is None:
            status = TranslationStatus(pid, orig, "source-missing", "none")
        else:
            if orig not in hashes:  # an original of several translations is read once
                text = _read_text(pages[orig])
                hashes[orig] = body_hash(text) if text is not None else None
            status = _decide(page, orig, log, plan, hashes[orig])
        if status.status == "outdated" and _notice_due(status, settings, now):
            status = dataclasses.replace(status, notice=True)
        found[pid] = status
        _report(page, pages, status, report, shallow=history is not None and history.shallow)
    return found


def _notice_due(
    status: TranslationStatus, settings: TranslationSettings, now: dt.date | None
) -> bool:
    """Shown when the site wants the notice and the translation has been outdated long
    enough; when its age is unknown (no git: a hash pin), shown."""
    if not settings.notice:
        return False
    if not settings.notice_after_days or status.since is None or now is None:
        return True
    return (now - status.since).days >= settings.notice_after_days


def _read_text(page: Page) -> str | None:
    try:
        return page.source.abs_path.read_bytes().decode("utf-8-sig", "replace")
    except OSError:
        return None


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a translation follows, as far as the history says before texts are read."""

    basis: Basis
    followed: str | None = None
    """A commit; None with basis "history": the translation is being edited (now)."""
    note: str | None = None


def _plan(page: Page, log: _Log) -> _Plan:
    edge = page.translation_of
    assert edge is not None
    pin = edge.pin
    history = log.history
    if history is None:
        if pin is not None and pin.content_hash is not None:
            return _Plan("hash")
        note = "a pinned revision needs the git history" if pin and pin.revision else None
        return _Plan("none", note=note)
    if pin is not None and pin.revision is not None:
        followed = log.commit(pin.revision)
        if followed is not None:
            return _Plan("revision", followed)
        if pin.content_hash is None:
            note = f"the pinned revision {pin.revision} is not in the repository's history"
            return _Plan("revision", note=note)
    if pin is not None and pin.content_hash is not None:
        return _Plan("hash")
    if history.today is not None and page.id in history.uncommitted:
        return _Plan("history")  # being edited now (serve): it follows the original now
    shas = history.files.get(page.id, ())
    own = [sha for sha in shas if log.counts(page.id, sha)] or list(shas)
    if not own:
        return _Plan("none", note="the translation has no commits yet")
    return _Plan("history", own[0])


class _Log:
    """The changes of translations and originals from the history, with the texts of the
    versions compared read through one ``git cat-file --batch``."""

    def __init__(self, history: History | None, settings: TranslationSettings) -> None:
        self.history = history
        self.settings = settings
        self.order: dict[str, int] = {}
        self.hashes: dict[str, str] = {}
        self._reader: git_history.BlobReader | None = None
        if history is not None:
            # Log order (newest first) decides "after": dates go backwards across rebases.
            self.order = {sha: i for i, sha in enumerate(history.commits)}
            self._reader = git_history.BlobReader(history)

    def __enter__(self) -> _Log:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._reader is not None:
            self._reader.close()

    def _read(self, ids: set[str]) -> None:
        if self._reader is None:
            return
        for blob, data in self._reader.read(ids - self.hashes.keys()).items():
            self.hashes[blob] = body_hash(data.decode("utf-8", "replace"))

    def load_own(self, pages: Iterable[PageId]) -> None:
        """Read every version of these translations (to find their last change of text)."""
        history = self.history
        if history is None or self.settings.count_frontmatter:
            return
        self._read(
            {
                blob
                for pid in pages
                for sha in history.files.get(pid, ())
                for blob in history.blobs.get((pid, sha), ())
            }
        )

    def load(self, wanted: Iterable[tuple[PageId, str | None, bool]]) -> None:
        """Read the versions of originals that will be compared: those after the version
        followed (every one, for a hash pin to be found in), and the newest."""
        history = self.history
        if history is None:
            return
        ids: set[str] = set()
        for orig, followed, every in wanted:
            shas = history.files.get(orig, ())
            limit = self.order.get(followed, len(self.order)) if followed else -1
            for n, sha in enumerate(shas):
                newer = self.order[sha] < limit
                if every or n == 0 or (newer and not self.settings.count_frontmatter):
                    ids.update(history.blobs.get((orig, sha), ()))
        self._read(ids)

    def commit(self, revision: str) -> str | None:
        """The commit of the history a pinned (maybe shortened) revision stands for: itself,
        or the newest commit of the content folder it descends from."""
        assert self.history is not None
        if revision in self.history.commits:
            return revision
        matches = [sha for sha in self.history.commits if sha.startswith(revision)]
        if len(matches) == 1:
            return matches[0]
        # Not a commit of the content folder (the HEAD a translator worked on, say): asked
        # of git, only for such pins.
        found = git_history.ancestors(self.history, revision) if not matches else None
        known = [sha for sha in found or () if sha in self.order]
        return min(known, key=self.order.__getitem__) if known else None

    def counts(self, orig: PageId, sha: str) -> bool:
        """Whether this commit of the original makes its translations outdated."""
        assert self.history is not None
        commit = self.history.commits[sha]
        if not commit.credited and not self.settings.count_excluded:
            return False  # formatting-only (history.exclude_messages, ignore-revs), bots'
        if self.settings.count_frontmatter:
            return True
        before, after = self.history.blobs.get((orig, sha), (None, None))
        old, new = self.hashes.get(before or ""), self.hashes.get(after or "")
        return old is None or new is None or old != new

    def version_hash(self, orig: PageId, sha: str) -> str | None:
        assert self.history is not None
        after = self.history.blobs.get((orig, sha), (None, None))[1]
        return self.hashes.get(after or "")


def _decide(
    page: Page, orig: PageId, log: _Log, plan: _Plan, current: str | None
) -> TranslationStatus:
    base = TranslationStatus(page.id, orig, "unknown", plan.basis)
    pin = page.translation_of.pin if page.translation_of else None
    if plan.basis == "hash":
        assert pin is not None and pin.content_hash is not None
        if current is not None and pin_matches(pin.content_hash, current):
            return _with(base, "current", behind=0)
        if log.history is not None:
            for sha in log.history.files.get(orig, ()):
                version = log.version_hash(orig, sha)
                if version is not None and pin_matches(pin.content_hash, version):
                    return _since(base, orig, log, sha, current)
        return _with(base, "outdated" if current is not None else "unknown")
    if plan.basis == "none" or (plan.followed is None and plan.basis == "revision"):
        return _with(base, "unknown", note=plan.note)
    return _since(base, orig, log, plan.followed, current)


def _since(
    base: TranslationStatus, orig: PageId, log: _Log, followed: str | None, current: str | None
) -> TranslationStatus:
    """The status from the original's counted changes after ``followed`` (None: now)."""
    history = log.history
    assert history is not None
    limit = log.order[followed] if followed is not None else -1
    changes = [
        history.commits[sha]
        for sha in history.files.get(orig, ())
        if log.order[sha] < limit and log.counts(orig, sha)
    ]
    dates = [c.date.date() for c in changes]
    if history.today is not None and orig in history.uncommitted and followed is not None:
        newest = history.files.get(orig, ())
        committed = log.version_hash(orig, newest[0]) if newest else None
        if committed is None or committed != current:
            dates.insert(0, history.today)  # an edit not committed yet (serve)
    followed_date = history.commits[followed].date.date() if followed is not None else None
    if not dates:
        return _with(base, "current", followed=followed, followed_date=followed_date, behind=0)
    return _with(
        base,
        "outdated",
        followed=followed,
        followed_date=followed_date,
        behind=len(dates),
        since=min(dates),
        latest=max(dates),
        head=changes[0].sha if changes else None,
    )


def _with(base: TranslationStatus, status: Status, **values: Any) -> TranslationStatus:
    return dataclasses.replace(base, status=status, **values)


def _report(
    page: Page,
    pages: Mapping[PageId, Page],
    status: TranslationStatus,
    report: Report,
    *,
    shallow: bool,
) -> None:
    edge = page.translation_of
    assert edge is not None
    where = (page.source.site_path, edge.pos.line, edge.pos.column)
    if status.status == "outdated":
        original = pages[status.original].source.site_path
        if status.behind is not None:
            count = f"{status.behind} change{'s' if status.behind != 1 else ''}"
            when = f", the latest on {status.latest.isoformat()}" if status.latest else ""
            what = f"is {count} behind its original '{original}'{when}"
        else:
            what = f"is behind its original '{original}': its text no longer has the pinned hash"
        report.warning(
            *where,
            "translation-outdated",
            f"this translation {what}",
            "bring the translation up to date; when it already is, run 'commonsgen "
            f"translations pin {page.source.site_path}' to say so",
        )
    elif status.note and not shallow and status.basis == "revision":
        report.warning(
            *where,
            "translation-unknown",
            f"the translation's status is unknown: {status.note}",
            "pin the original's current version with 'commonsgen translations pin "
            f"{page.source.site_path}'",
        )
