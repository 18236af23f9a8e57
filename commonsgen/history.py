"""The content folder's git history: who changed each page, and when, in one ``git log``.

In peer production the version history is the record of who did the work, as a wiki's page
history is. This stage runs ONE ``git log`` over the content folder (MkDocs' git plugins run
one process per file, which is what makes them slow on big sites), parses it into immutable
per-file histories that follow renames, and says which people each commit credits:

- authors come through ``.mailmap`` (``%aN``/``%aE``); git does not apply the mailmap to
  ``Co-authored-by:`` trailers, so those go through one ``git check-mailmap`` call;
- bots (``name[bot]``, dependabot, renovate ...) and the site's ``history.exclude_authors``
  patterns are never credited; commits whose message matches ``history.exclude_messages`` or
  that ``.git-blame-ignore-revs`` lists credit no one (formatting-only commits);
- a shallow clone is reported with the fix, and the build goes on with what it has.

Nothing here reads the clock: the caller passes ``today`` (only ``serve`` does, so that
uncommitted edits count as "now"); a build of the same commits gives the same history.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import logging
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlsplit

import regex

from commonsgen.config import SiteConfig
from commonsgen.diagnostics import Report
from commonsgen.incremental.stamps import StatSignature, stat_signature

log = logging.getLogger(__name__)

_RECORD = "\x1e"
_FIELD = "\x1f"
_FORMAT = "%x1e%H%x1f%cI%x1f%aN%x1f%aE%x1f%B%x1f"
_COAUTHOR_RE = re.compile(
    r"^co-authored-by:\s*(.*?)\s*<([^<>]*)>\s*$", re.IGNORECASE | re.MULTILINE
)
_BOT_RE = re.compile(
    r"\[bot\]|^(dependabot|renovate|github-actions|pre-commit-ci|web-flow|greenkeeper)\b",
    re.IGNORECASE,
)
"""Accounts that are machines, whatever the site configures: never credited."""
IGNORE_REVS_FILE = ".git-blame-ignore-revs"
SHALLOW_HINT = (
    "fetch the whole history: with actions/checkout, set 'fetch-depth: 0'; "
    "elsewhere run 'git fetch --unshallow'"
)


class Signature(NamedTuple):
    """A person as git knows them, after the mailmap (a tuple: compared and hashed in C,
    which matters at 20,000 commits)."""

    name: str
    email: str

    @property
    def is_bot(self) -> bool:
        return bool(_BOT_RE.search(self.name) or _BOT_RE.search(self.email.split("@")[0]))


Blobs = dict[tuple[str, str], tuple[str, str]]
"""(path, sha) -> (blob before, blob after) of the file in that commit."""


class Commit(NamedTuple):
    """One commit (a tuple, for the same reason as :class:`Signature`)."""

    sha: str
    date: dt.datetime
    """The committer date, with the committer's offset: when the change landed."""
    author: Signature
    coauthors: tuple[Signature, ...]
    subject: str
    credited: tuple[Signature, ...]
    """The people this commit credits: author and co-authors, less bots and exclusions;
    empty for a commit excluded by message or listed in ``.git-blame-ignore-revs``."""
    excluded: bool = False
    """Excluded by the site (``history.exclude_messages``, ``exclude_authors`` for all its
    people, ``.git-blame-ignore-revs``): it neither credits anyone nor dates the file."""

    @property
    def people(self) -> tuple[Signature, ...]:
        return (self.author, *self.coauthors)


@dataclass(frozen=True, slots=True)
class History:
    """Every commit that changed a file of the content folder, by the file's current path."""

    repo_root: Path
    prefix: str
    """The content folder's path from the top of the repository, posix, "" or ending in '/'."""
    commits: dict[str, Commit]
    files: dict[str, tuple[str, ...]]
    """Path relative to the content folder -> shas of the commits that changed it, newest
    first, following renames."""
    credits: dict[str, tuple[tuple[Signature, int], ...]] = field(default_factory=dict)
    """Path -> everyone its history credits, with their number of commits, most first."""
    shallow: bool = False
    uncommitted: frozenset[str] = frozenset()
    """Files with changes not yet committed (only read when ``today`` was given)."""
    today: dt.date | None = None
    blobs: Blobs = field(default_factory=dict)
    """(path relative to the content folder, sha) -> the file's blob ids before and after
    that commit (``0`` * 40 for none): what the translation status compares."""

    def commits_of(self, rel_path: str) -> tuple[Commit, ...]:
        return tuple(self.commits[sha] for sha in self.files.get(rel_path, ()))

    def repo_path(self, rel_path: str) -> str:
        return self.prefix + rel_path

    def dates(self, rel_path: str) -> tuple[dt.date | None, dt.date | None]:
        """(first, last) change of a file: credited commits, else any; "now" if uncommitted."""
        found = self.commits_of(rel_path)
        # A file only bots touched still has dates; one the site excluded commits from
        # takes none from them (a mass reformat is not when the page was written).
        counted = [c for c in found if c.credited] or [c for c in found if not c.excluded]
        first = counted[-1].date.date() if counted else None
        last = counted[0].date.date() if counted else None
        if self.today is not None and rel_path in self.uncommitted:
            return (first or self.today, self.today)
        return first, last

    def credited(self, rel_path: str) -> tuple[tuple[Signature, int], ...]:
        """Everyone a file's history credits, with their number of commits, most first."""
        return self.credits.get(rel_path, ())


_GENERIC_LOCAL = frozenset(
    {
        "noreply", "no-reply", "donotreply", "do-not-reply", "nobody", "none", "root",
        "admin", "administrator", "webmaster", "postmaster", "info", "contact", "team",
        "support", "help", "hello", "office", "mail", "email", "git", "github", "gitlab",
        "dev", "devs", "developers", "maintainers", "staff", "community", "user", "users",
        "you", "your.name", "your-name", "yourname", "name", "me", "test",
    }
)  # fmt: skip
"""Local parts that name a role, a machine or a placeholder, not a person."""
_GENERIC_HOSTS = ("localhost", "localhost.localdomain", "(none)", "none")


def is_personal_email(email: str) -> bool:
    """Whether an address belongs to one person, so that identities sharing it are that
    person: ``ada@example.org`` and ``123+ada@users.noreply.github.com`` are;
    ``noreply@github.com``, ``team@``/``info@`` addresses and ``root@localhost`` (what an
    unconfigured machine writes) are not."""
    local, at, host = email.strip().casefold().rpartition("@")
    if not at or not local or not host or host in _GENERIC_HOSTS or "." not in host:
        return False
    if host.endswith((".local", ".localdomain", ".invalid", ".internal")):
        return False
    return local.rsplit("+", 1)[-1] not in _GENERIC_LOCAL


def merge_identities(
    commits: dict[str, Commit], decided: frozenset[str] = frozenset()
) -> dict[str, Commit]:
    """Identities sharing a personal email become one, under the name they used most
    (then most recently): ``A. Mensah <ada@x>`` and ``Ada Mensah <ada@x>`` are one person.
    Emails in ``decided`` (named in ``.mailmap``) are left as the mailmap made them."""
    counts: dict[str, dict[Signature, int]] = {}
    for commit in commits.values():  # newest first: the first seen wins a tie
        for person in commit.people:
            key = person.email.strip().casefold()
            if key not in decided and is_personal_email(key):
                names = counts.setdefault(key, {})
                names[person] = names.get(person, 0) + 1
    canonical: dict[Signature, Signature] = {}
    for names in counts.values():
        if len(names) > 1:
            order = list(names)
            best = min(names, key=lambda sig: (-names[sig], order.index(sig)))
            canonical.update((sig, best) for sig in names if sig != best)
    if not canonical:
        return commits

    def one(people: tuple[Signature, ...]) -> tuple[Signature, ...]:
        return tuple(dict.fromkeys(canonical.get(p, p) for p in people))

    merged: dict[str, Commit] = {}
    for sha, commit in commits.items():
        author = canonical.get(commit.author, commit.author)
        merged[sha] = commit._replace(
            author=author,
            coauthors=tuple(c for c in one(commit.coauthors) if c != author),
            credited=one(commit.credited),
        )
    return merged


def mailmap_emails(repo_root: Path) -> frozenset[str]:
    """The addresses a repository's ``.mailmap`` names: its word on them wins."""
    try:
        text = (repo_root / ".mailmap").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(
        e.strip().casefold() for line in lines for e in re.findall(r"<([^<>]*)>", line)
    )


def credit_counts(
    commits: dict[str, Commit], files: dict[str, tuple[str, ...]]
) -> dict[str, tuple[tuple[Signature, int], ...]]:
    found = {}
    for path, shas in files.items():
        counts: dict[Signature, int] = {}
        for sha in shas:
            for person in commits[sha].credited:  # unique per commit
                counts[person] = counts.get(person, 0) + 1
        if counts:
            found[path] = tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return found


PATTERN_SECONDS = 5.0
"""How long the site's ``history`` patterns may take over a whole history. They come from
``commonsgen.yml``, which a pull request may change, and a pattern such as ``(a+)+$``
backtracks for ages on a 30-character name: length limits do not help, and SIGALRM does not
work in serve's build thread, so patterns run in the ``regex`` package with a time limit."""


class PatternTooSlow(Exception):
    """A ``history`` pattern of the site used up :data:`PATTERN_SECONDS`."""

    def __init__(self, key: str, pattern: str) -> None:
        super().__init__(key, pattern)
        self.key, self.pattern = key, pattern


@dataclass(slots=True)
class _Budget:
    left: float = field(default_factory=lambda: PATTERN_SECONDS)


def compile_patterns(patterns: Iterable[str], key: str) -> tuple[UserPattern, ...]:
    """The site's patterns of ``history.<key>``, case-insensitive (regex.error when one is
    not a regular expression)."""
    flags = regex.IGNORECASE | (regex.MULTILINE if key == "exclude_messages" else 0)
    return tuple(UserPattern(regex.compile(p, flags), key) for p in patterns)


@dataclass(frozen=True, slots=True)
class UserPattern:
    compiled: regex.Pattern[str]
    key: str


@dataclass(frozen=True, slots=True)
class Exclusions:
    authors: tuple[UserPattern, ...] = ()
    messages: tuple[UserPattern, ...] = ()
    revs: frozenset[str] = field(default_factory=frozenset)
    budget: _Budget = field(default_factory=_Budget, compare=False, hash=False)
    """What is left of :data:`PATTERN_SECONDS` (shared by every search of one history)."""

    def matches(self, patterns: tuple[UserPattern, ...], text: str) -> bool:
        """Whether one of ``patterns`` is found in ``text``; raises PatternTooSlow once the
        patterns have used up their time."""
        for pattern in patterns:
            started = time.perf_counter()
            try:
                found = pattern.compiled.search(text, timeout=max(self.budget.left, 0.001))
            except TimeoutError:
                raise PatternTooSlow(pattern.key, pattern.compiled.pattern) from None
            finally:
                self.budget.left -= time.perf_counter() - started
            if found:
                return True
        return False

    def credits(
        self, sha: str, message: str, people: tuple[Signature, ...]
    ) -> tuple[Signature, ...]:
        if sha in self.revs or self.matches(self.messages, message):
            return ()
        if len(people) == 1:
            return people if _credits_person(self, people[0]) else ()
        return tuple(dict.fromkeys(p for p in people if _credits_person(self, p)))

    def excludes(self, sha: str, message: str, people: tuple[Signature, ...]) -> bool:
        """Whether the site excluded the commit as a whole."""
        if sha in self.revs or self.matches(self.messages, message):
            return True
        return bool(self.authors) and all(
            self.matches(self.authors, f"{person.name} <{person.email}>") for person in people
        )


@functools.lru_cache(maxsize=4096)
def _credits_person(exclusions: Exclusions, person: Signature) -> bool:
    # Cached: a site has dozens of people and tens of thousands of commits.
    text = f"{person.name} <{person.email}>"
    return not (person.is_bot or exclusions.matches(exclusions.authors, text))


def read(
    config: SiteConfig, report: Report, *, enabled: bool | None = None, today: dt.date | None = None
) -> History | None:
    """The content folder's history, or None when git is off, absent or has none.

    ``enabled``: None follows ``git:`` in the config (``auto``: on inside a git work tree
    whose history touches the content folder, when ``git`` is installed).
    """
    mode = config.git if enabled is None else enabled
    if mode is False:
        return None
    forced = mode is True
    pos = config.positions.get("git")
    where = ("commonsgen.yml", pos.line if pos else None, pos.column if pos else None)
    git = shutil.which("git")
    if git is None:
        if forced:
            report.error(
                *where,
                "git-missing",
                "git: true, but git is not installed",
                "install git or set git: auto",
            )
        return None
    content = config.content_path
    top = _git(
        git, content, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository"
    )
    if top is None:
        if forced:
            report.error(
                *where,
                "git-missing",
                f"git: true, but '{config.content_dir}' is not in a git work tree",
                "run commonsgen in a clone of the repository, or set git: auto",
            )
        return None
    toplevel, prefix, shallow = [*top.split("\n"), "", "", ""][:3]
    repo_root = Path(toplevel)
    prefix = prefix.strip()
    # From the top of the repository and without a pathspec: limiting git log to the
    # content folder doubled git's time on the benchmark (benchmarks/history.py), and
    # the paths outside the folder are cheap to skip here.
    started = _stream(
        git,
        repo_root,
        [
            "-c",
            "core.quotepath=off",
            "-c",
            "log.showSignature=false",
            "log",
            "--no-color",
            "--no-merges",
            "-M",
            # --raw, not --name-status: the same diff, with each file's blob ids, which
            # tell a change of a page's frontmatter alone from one of its text
            # (translation status, commonsgen/translations.py) at no extra cost to git.
            "--raw",
            "--no-abbrev",
            "-z",
            "--encoding=UTF-8",
            f"--format={_FORMAT}",
        ],
    )
    if started is None:
        return None
    proc, records = started
    exclusions = Exclusions(
        authors=compile_patterns(config.history_exclude_authors, "exclude_authors"),
        messages=compile_patterns(config.history_exclude_messages, "exclude_messages"),
        revs=_ignore_revs(repo_root),
    )
    blobs: Blobs = {}
    try:
        commits, files = parse_log(
            records,
            lambda sigs: _mailmap(git, repo_root, sigs),
            exclusions,
            prefix=prefix,
            blobs=blobs,
        )
    except PatternTooSlow as exc:
        proc.kill()
        proc.wait()
        at = config.positions.get("history")
        report.error(
            "commonsgen.yml",
            at.line if at else None,
            at.column if at else None,
            "pattern-too-slow",
            f"history.{exc.key}: the pattern '{exc.pattern}' took more than "
            f"{PATTERN_SECONDS:g} s over the history, so the history is not used",
            "a group repeated inside a repetition, such as (a+)+ or (a|aa)*, backtracks "
            "without end; write it without the nested repetition",
        )
        return None
    if proc.wait() != 0:
        if forced:
            report.error(*where, "git-missing", "git log failed in the content folder", None)
        return None
    if not commits:
        return None
    commits = merge_identities(commits, mailmap_emails(repo_root))
    is_shallow = shallow.strip() == "true"
    if is_shallow:
        report.warning(
            *where[:1],
            None,
            None,
            "shallow-history",
            "the repository is a shallow clone, so page histories, credits and dates "
            "are incomplete",
            SHALLOW_HINT,
        )
    found = _uncommitted(git, content, prefix, ["."]) if today is not None else None
    uncommitted = found or frozenset()
    return History(
        repo_root=repo_root,
        prefix=prefix,
        commits=commits,
        files=files,
        credits=credit_counts(commits, files),
        shallow=is_shallow,
        uncommitted=uncommitted,
        today=today,
        blobs=blobs,
    )


def _uncommitted(git: str, cwd: Path, prefix: str, pathspecs: list[str]) -> frozenset[str] | None:
    """The files under ``pathspecs`` (paths from ``cwd``) with changes not yet committed, by
    path in the content folder; None when git fails."""
    status = _git(
        git,
        cwd,
        "--literal-pathspecs",  # a file named "*.md" is that file, not a pattern
        "-c",
        "core.quotepath=off",
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        *pathspecs,
    )
    if status is None:
        return None
    # Porcelain paths are from the top of the repository, whatever the folder.
    return frozenset(
        path.removeprefix(prefix) for path in _status_paths(status) if path.startswith(prefix)
    )


def with_uncommitted_now(history: History, content: Path) -> History | None:
    """The same commits with the uncommitted files asked of git again: what :func:`read`
    gives while the commits are the same (``serve`` keeps them while HEAD does not move);
    None when git cannot say."""
    git = shutil.which("git")
    if git is None or history.today is None:
        return None
    found = _uncommitted(git, content, history.prefix, ["."])
    return dataclasses.replace(history, uncommitted=found) if found is not None else None


def head_state(folder: Path) -> tuple[str, list[StatSignature | None]] | None:
    """What the commits :func:`read` gives depend on besides the config: the repository's
    HEAD, and the files that map and exclude authors and commits (``.mailmap``,
    ``.git-blame-ignore-revs``); None outside a repository. Settings in git's own config
    (``mailmap.file``) are not seen: change the files instead."""
    for top in (folder, *folder.parents):
        if (top / ".git").exists():
            break
    else:
        return None
    filters = [stat_signature(top / name) for name in (".mailmap", ".git-blame-ignore-revs")]
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return (done.stdout.strip() or done.stderr.strip(), filters)


def uncommitted(history: History, rel_paths: Iterable[str]) -> frozenset[str] | None:
    """Which of these content files have changes not yet committed, asked of git now (the
    dev server's quick rebuild); None when git cannot say."""
    git = shutil.which("git")
    wanted = [history.repo_path(p) for p in rel_paths]
    if git is None or not wanted:
        return None
    return _uncommitted(git, history.repo_root, history.prefix, wanted)


def _git(git: str, cwd: Path, *args: str, stdin: str | None = None) -> str | None:
    try:
        done = subprocess.run(
            [git, *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            check=False,
            encoding="utf-8",
            errors="replace",
        )
    except OSError as exc:
        log.debug("git %s failed: %s", args[0], exc)
        return None
    if done.returncode != 0:
        log.debug("git %s failed: %s", " ".join(args[:2]), done.stderr.strip())
        return None
    return done.stdout


def _ignore_revs(repo_root: Path) -> frozenset[str]:
    try:
        text = (repo_root / IGNORE_REVS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return frozenset()
    revs = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(rev for rev in revs if rev)


def _mailmap(git: str, repo_root: Path, people: list[Signature]) -> dict[Signature, Signature]:
    """Co-authors through the repository's ``.mailmap``, in one ``git check-mailmap`` call."""
    if not people or not (repo_root / ".mailmap").is_file():
        return {}
    args = [f"{p.name} <{p.email}>" for p in people]
    out = _git(git, repo_root, "check-mailmap", *args)
    if out is None:
        return {}
    mapped: dict[Signature, Signature] = {}
    for person, line in zip(people, out.splitlines(), strict=False):
        match = re.match(r"^(.*?)\s*<([^<>]*)>$", line)
        if match:
            mapped[person] = Signature(match.group(1) or person.name, match.group(2))
    return mapped


def _status_paths(status: str) -> frozenset[str]:
    paths: set[str] = set()
    entries = status.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        if len(entry) > 3:
            paths.add(entry[3:])
            if entry[0] in "RC":
                i += 1  # the rename's old path follows
        i += 1
    return frozenset(paths)


def parse_log(
    records: str | Iterable[str],
    mailmap: Callable[[list[Signature]], dict[Signature, Signature]],
    exclusions: Exclusions,
    *,
    prefix: str = "",
    blobs: Blobs | None = None,
) -> tuple[dict[str, Commit], dict[str, tuple[str, ...]]]:
    """``git log -z --name-status`` records (newest first) -> commits, and shas by path.

    Walking from the newest commit back, a rename maps the old name onto the current path,
    so older commits of the old name count for the file as it is named now; an add ends a
    name's history (an older file of the same name was another file). Records may come
    from a stream, so that parsing runs while git is still writing. With ``--raw``
    records, ``blobs`` (when given) receives each file's blob ids by (path, sha), by the
    same paths as the result.
    """
    if isinstance(records, str):
        records = records.split(_RECORD)
    commits: dict[str, Commit] = {}
    files: dict[str, list[str]] = {}
    alias: dict[str, str | None] = {}
    with_coauthors: list[tuple[str, str]] = []

    for record in records:
        parts = record.split(_FIELD, 5)
        if len(parts) < 6:
            continue
        sha, date, name, email, body, status_text = parts
        author = Signature(name, email)
        coauthors: tuple[Signature, ...] = ()
        if "-by:" in body.lower():  # most commits have no trailer: skip the regex for them
            coauthors = tuple(
                dict.fromkeys(
                    c
                    for c in (
                        Signature(n.strip(), e.strip()) for n, e in _COAUTHOR_RE.findall(body)
                    )
                    if c != author
                )
            )
        if coauthors:
            with_coauthors.append((sha, body))
        commits[sha] = Commit(
            sha=sha,
            date=dt.datetime.fromisoformat(date),
            author=author,
            coauthors=coauthors,
            subject=body.strip().split("\n", 1)[0].strip(),
            credited=exclusions.credits(sha, body, (author, *coauthors)),
            excluded=exclusions.excludes(sha, body, (author, *coauthors)),
        )
        status = status_text.strip("\0\n").split("\0")
        i = 0
        while i < len(status):
            code = status[i]
            if not code:
                i += 1
                continue
            blob = None
            if code[0] == ":":
                code, blob = _raw_entry(code)
            if code[0] in "RC" and i + 2 < len(status):
                old, new = status[i + 1], status[i + 2]
                i += 3
                target = alias.get(new, new)
                if target is not None:
                    files.setdefault(target, []).append(sha)
                    if blob is not None and blobs is not None:
                        blobs.setdefault((target, sha), blob)
                if code[0] == "R" and old != new:
                    alias[old] = target
                if old != new:
                    alias[new] = None
                continue
            if i + 1 >= len(status):
                break
            path = status[i + 1]
            i += 2
            target = alias.get(path, path)
            if target is not None:
                files.setdefault(target, []).append(sha)
                if blob is not None and blobs is not None:
                    blobs.setdefault((target, sha), blob)
            if code[0] == "A":
                alias[path] = None

    # Co-authors through the mailmap, once all are known (one git call, not one per commit).
    seen = sorted({c for sha, _ in with_coauthors for c in commits[sha].coauthors})
    mapped = mailmap(seen) if seen else {}
    for sha, body in with_coauthors if mapped else ():
        commit = commits[sha]
        coauthors = tuple(
            dict.fromkeys(
                c for c in (mapped.get(c, c) for c in commit.coauthors) if c != commit.author
            )
        )
        people = (commit.author, *coauthors)
        commits[sha] = commit._replace(
            coauthors=coauthors,
            credited=exclusions.credits(sha, body, people),
            excluded=exclusions.excludes(sha, body, people),
        )

    # Paths are from the top of the repository until here, so that a file moved into the
    # content folder keeps its older history, and one moved out of it takes its history along.
    ordered = {
        path.removeprefix(prefix): tuple(dict.fromkeys(shas))
        for path, shas in sorted(files.items())
        if path.startswith(prefix)
    }
    used = {sha for shas in ordered.values() for sha in shas}
    if blobs:
        _keep_content_blobs(blobs, prefix)
    return {sha: commit for sha, commit in commits.items() if sha in used}, ordered


def _raw_entry(meta: str) -> tuple[str, tuple[str, str]]:
    """``:100644 100644 <old blob> <new blob> R086`` -> ("R086", (old, new))."""
    parts = meta.split(" ")
    if len(parts) < 5:
        return meta[1:], (NO_BLOB, NO_BLOB)
    return parts[4], (parts[2], parts[3])


def _keep_content_blobs(blobs: Blobs, prefix: str) -> None:
    """Blob ids by path in the content folder, the others dropped (in place)."""
    found = {
        (path.removeprefix(prefix), sha): ids
        for (path, sha), ids in blobs.items()
        if path.startswith(prefix)
    }
    blobs.clear()
    blobs.update(found)


NO_BLOB = "0" * 40
"""git's id for "no file" (before an add, after a delete)."""
MAX_BLOB_BYTES = 8 * 1024 * 1024
"""Larger versions are not read (pages this large are refused anyway)."""


class BlobReader:
    """One ``git cat-file --batch`` for a whole build, asked in rounds (the translations'
    versions, then their originals'): each round writes its ids from a thread while this
    one reads the answers, so that neither side waits on a full pipe."""

    def __init__(self, history: History) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        git = shutil.which("git")
        if git is None:
            return
        try:
            self._proc = subprocess.Popen(
                [git, "cat-file", "--batch"],
                cwd=history.repo_root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            log.debug("git cat-file failed: %s", exc)

    def __enter__(self) -> BlobReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, ids: Iterable[str]) -> dict[str, bytes]:
        """The contents of these blobs; ids git does not have (a shallow clone) left out."""
        proc = self._proc
        wanted = sorted({i for i in ids if i != NO_BLOB})
        if proc is None or proc.stdin is None or proc.stdout is None or not wanted:
            return {}
        stdin, stdout = proc.stdin, proc.stdout

        def write() -> None:
            with contextlib.suppress(OSError):
                stdin.write("".join(f"{i}\n" for i in wanted).encode("ascii"))
                stdin.flush()

        writer = threading.Thread(target=write, daemon=True)
        writer.start()
        found: dict[str, bytes] = {}
        try:
            for _ in wanted:
                header = stdout.readline().split(b" ")
                if len(header) != 3:  # "<id> missing", or git ended
                    if not header[0]:
                        break
                    continue
                size = int(header[2])
                data = stdout.read(size + 1)[:size]
                if header[1] == b"blob" and size <= MAX_BLOB_BYTES:
                    found[header[0].decode("ascii")] = data
        except (OSError, ValueError) as exc:
            log.debug("git cat-file failed: %s", exc)
        writer.join()
        return found

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            if proc.stdin is not None:
                proc.stdin.close()
        proc.wait()


def ancestors(history: History, revision: str) -> list[str] | None:
    """The commits ``revision`` descends from, itself first; None when git does not know it
    (a pin may name any commit, such as the HEAD a translator worked on, which changed no
    page of the content folder and so is not in :attr:`History.commits`)."""
    git = shutil.which("git")
    if git is None:
        return None
    out = _git(git, history.repo_root, "rev-list", "--end-of-options", revision, "--")
    return out.split() if out is not None else None


def _stream(
    git: str, cwd: Path, args: list[str]
) -> tuple[subprocess.Popen[bytes], Iterator[str]] | None:
    """Start git and yield its output's records as they arrive."""
    try:
        proc = subprocess.Popen(
            [git, *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except OSError as exc:
        log.debug("git log failed: %s", exc)
        return None

    def records() -> Iterator[str]:
        assert proc.stdout is not None
        pending = b""
        while chunk := proc.stdout.read1(1 << 20):
            *done, pending = (pending + chunk).split(b"\x1e")
            for part in done:
                if part:
                    yield part.decode("utf-8", "replace")
        if pending:
            yield pending.decode("utf-8", "replace")

    return proc, records()


# Links to the repository's web UI, by forge: (view a file, edit a file, a commit).
FORGES: dict[str, tuple[str, str, str]] = {
    "github": ("{repo}/blob/{branch}/{path}", "{repo}/edit/{branch}/{path}", "{repo}/commit/{sha}"),
    "gitlab": (
        "{repo}/-/blob/{branch}/{path}",
        "{repo}/-/edit/{branch}/{path}",
        "{repo}/-/commit/{sha}",
    ),
    "forgejo": (
        "{repo}/src/branch/{branch}/{path}",
        "{repo}/_edit/{branch}/{path}",
        "{repo}/commit/{sha}",
    ),
}


COMPARE: dict[str, str] = {
    # Each forge's "compare" view: the changes from one commit to another.
    "github": "{repo}/compare/{base}...{head}",
    "gitlab": "{repo}/-/compare/{base}...{head}",
    "forgejo": "{repo}/compare/{base}...{head}",
}


def forge_of(repo_url: str, declared: str | None) -> str | None:
    """Which URL patterns a repository uses: as declared, else from its host."""
    if declared:
        return declared
    host = (urlsplit(repo_url).hostname or "").lower()
    if host == "github.com" or host.endswith(".github.com"):
        return "github"
    if "gitlab" in host:
        return "gitlab"
    if host in ("codeberg.org",) or "forgejo" in host or "gitea" in host:
        return "forgejo"
    return None


@dataclass(frozen=True, slots=True)
class RepoLinks:
    repo: str
    branch: str
    forge: str

    def view(self, path: str) -> str:
        return FORGES[self.forge][0].format(repo=self.repo, branch=self.branch, path=path)

    def edit(self, path: str) -> str:
        return FORGES[self.forge][1].format(repo=self.repo, branch=self.branch, path=path)

    def commit(self, sha: str) -> str:
        return FORGES[self.forge][2].format(repo=self.repo, sha=sha)

    def compare(self, base: str, head: str | None) -> str:
        """The diff between two commits (``head`` None: the branch), as the forge shows it."""
        return COMPARE[self.forge].format(repo=self.repo, base=base, head=head or self.branch)


def repo_links(config: SiteConfig) -> RepoLinks | None:
    if not config.repo_url:
        return None
    forge = forge_of(config.repo_url, config.repo_type)
    if forge is None:
        return None
    return RepoLinks(config.repo_url.rstrip("/"), config.repo_branch, forge)
