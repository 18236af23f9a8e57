"""``commonsgen serve``: a live preview that rebuilds on every save and reloads the browser.

The design is mkdocs' livereload, in one module and without its dependencies:

- the site is built into a temporary folder (never the output folder) and served from it by
  a small threaded HTTP server bound to 127.0.0.1 unless told otherwise;
- a watchdog observer only records which paths changed;
- one build thread waits until the saves stop for a moment (so a burst is one rebuild),
  rebuilds (when only page bodies changed, by
  :func:`commonsgen.incremental.textedit.rebuild`, in time that grows with the edit; else through
  :func:`commonsgen.build.build` with a :class:`BuildCache`, which reuses what the edit
  did not change), writes the files whose bytes changed, and moves an *epoch*;
- every served HTML page carries a small script that long-polls ``/.commonsgen-serve/poll``
  and reloads when a newer good build is served, keeping its scroll position, or shows an
  overlay with the build's diagnostics while the last build failed.

A failed build changes nothing in the served folder: the last good pages stay. The
``livereload`` package is not used: it brings a second (polling) watcher, class-level
state, a 3-second reload throttle and no way to show build errors.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import gc
import html
import ipaddress
import json
import logging
import mimetypes
import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from commonsgen import render
from commonsgen.build import BuildOptions, BuildResult, build, output_pages
from commonsgen.config import CONFIG_FILE, ConfigMissing, SiteConfig
from commonsgen.content.discover import is_ignored_name
from commonsgen.diagnostics import WARNINGS_SHOWN, Diagnostic, Report, Severity, format_text
from commonsgen.incremental import textedit as bodyedit
from commonsgen.incremental.memo import BuildCache, StatSignature, stat_signature
from commonsgen.output import MARKER, MARKER_TEXT, remove, write

log = logging.getLogger(__name__)

RESERVED = "/.commonsgen-serve/"
"""URL prefix of the server's own endpoints. A published path never starts with a dot
folder (discovery skips hidden names), so it cannot hide a page of the site."""
PORT_ATTEMPTS = 10
"""How many ports after the default one are tried when it is taken."""
IDLE_COLLECT = 1.0
"""Seconds after a rebuild, without new changes, before collecting garbage."""
_WATCHED_EVENTS = frozenset({"created", "deleted", "modified", "moved", "closed", "attrib"})
"""Not 'opened' or 'closed_no_write': the build's own reading must not trigger a build."""


class PortInUse(Exception):
    """The port cannot be bound; the message says what to do."""


@dataclass(frozen=True, slots=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    """0 lets the system choose a free port."""
    fixed_port: bool = False
    """True when the user chose the port: a taken port is then an error, not a hint to
    try the next one."""
    drafts: bool = False
    debounce: float = 0.02
    """Seconds without a new change before a rebuild starts (a save is several events)."""
    max_delay: float = 0.5
    """A stream of changes delays the rebuild at most this long."""
    poll_timeout: float = 25.0
    """How long a browser's long-poll waits before it is answered anyway."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names requests may name besides the server's own (``--allow-host``)."""


@dataclass(frozen=True, slots=True)
class Status:
    """What the browsers are told: the latest build and the latest good one."""

    epoch: int = 0
    """Counts finished builds, good or not."""
    good_epoch: int = 0
    """The build whose pages are being served (0: none yet)."""
    problems: tuple[Diagnostic, ...] = ()
    """Why the latest build failed; empty when it succeeded."""

    def to_json(self) -> bytes:
        problems = [
            {
                "location": d.location(),
                "severity": str(d.severity),
                "code": d.code,
                "message": d.message,
                "hint": d.hint,
            }
            for d in self.problems
        ]
        document = {"epoch": self.epoch, "good_epoch": self.good_epoch, "problems": problems}
        return json.dumps(document, ensure_ascii=False).encode("utf-8")


# ---------------------------------------------------------------------------------------
# The served folder


@dataclass(slots=True)
class Published:
    """What the served folder holds, to write only what a build changed."""

    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, tuple[Path, StatSignature | None]] = field(default_factory=dict)


def publish(
    folder: Path,
    files: Mapping[str, bytes],
    copies: Mapping[str, Path],
    before: Published,
    *,
    changed: Iterable[Path] = (),
) -> tuple[Published, int]:
    """Make ``folder`` hold exactly ``files`` and ``copies``, writing only the differences.

    Each file is replaced atomically, so a browser never reads half a page. ``changed``
    sources are copied again even if their stat signature looks the same. Returns what the
    folder now holds and how many files were written or removed.
    """
    forced = {os.path.abspath(p) for p in changed}
    now = Published(dict(files), {})
    touched = 0
    # Removals first: a page that became a folder (or the reverse) frees its name.
    gone = (before.files.keys() | before.copies.keys()) - (files.keys() | copies.keys())
    for out_path in sorted(gone):
        remove(folder, out_path)
        touched += 1
    for out_path, data in files.items():
        old = before.files.get(out_path)
        if old is not data and old != data:
            write(folder, out_path, data)
            touched += 1
    for out_path, source in copies.items():
        signature = stat_signature(source)
        now.copies[out_path] = (source, signature)
        if (
            before.copies.get(out_path) != (source, signature)
            or signature is None
            or os.path.abspath(source) in forced
            or out_path in before.files
        ):
            try:
                write(folder, out_path, source)
            except FileNotFoundError:  # deleted since the build; its own event follows
                del now.copies[out_path]
                continue
            touched += 1
    marker = folder / MARKER
    if not marker.exists():
        marker.write_bytes(MARKER_TEXT)
    return now, touched


# ---------------------------------------------------------------------------------------
# Mapping a request to a file


@dataclass(frozen=True, slots=True)
class Resolved:
    path: Path | None = None
    """The file to send; None with no redirect means 404."""
    redirect: str | None = None


def resolve_request(folder: Path, target: str) -> Resolved:
    """The file under ``folder`` a request target names, never anything outside it.

    ``..`` and ``.`` segments (also percent-encoded), NUL bytes, backslashes and symbolic
    links that lead out of the folder all give 404. A folder without a trailing slash is
    redirected, so relative links inside its page resolve as they will when published.
    """
    parts = urlsplit(target)
    path = unquote(parts.path, errors="strict") if "%" in parts.path else parts.path
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return Resolved()
    segments = [s for s in path.split("/") if s]
    if any(s in (".", "..") for s in segments):
        return Resolved()
    root = folder.resolve()
    candidate = root.joinpath(*segments)
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a symlink loop
        return Resolved()
    if real != root and root not in real.parents:
        return Resolved()
    if real.is_dir():
        if not path.endswith("/"):
            query = "?" + parts.query if parts.query else ""
            return Resolved(redirect=parts.path + "/" + query)
        index = real / "index.html"
        return Resolved(index) if index.is_file() else Resolved()
    return Resolved(real) if real.is_file() else Resolved()


def inject(page: bytes, snippet: bytes) -> bytes:
    """``snippet`` before the last ``</body>``, or at the end when there is none."""
    at = page.lower().rfind(b"</body>")
    return page[:at] + snippet + page[at:] if at >= 0 else page + snippet


NOT_FOUND_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title></head>
<body>
<h1>Not found</h1>
<p>Nothing is published at <code>{path}</code>.</p>
<p><a href="/">Go to the home page</a></p>
</body>
</html>
"""

CLIENT_SCRIPT = """<script id="commonsgen-live">
(() => {
  const servedEpoch = %(good_epoch)d;
  const key = "commonsgen-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved) {
    // Back where the reader was before the reload, once the page has its full height.
    sessionStorage.removeItem(key);
    const [x, y] = JSON.parse(saved);
    const restore = () => window.scrollTo(x, y);
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }
  const show = (problems) => {
    let box = document.getElementById("commonsgen-overlay");
    if (!problems.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "commonsgen-overlay";
      box.setAttribute("role", "alertdialog");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.5 ui-monospace,monospace;" +
        "padding:2em";
      document.body.appendChild(box);
    }
    box.replaceChildren();
    const title = document.createElement("h2");
    title.textContent = "The build failed; this is the last good version of the page.";
    title.style.cssText = "color:#ff8a80;font-size:1.2em;margin:0 0 1em";
    const close = document.createElement("button");
    close.textContent = "Hide";
    close.style.cssText = "float:right";
    close.onclick = () => box.remove();
    box.append(close, title);
    for (const p of problems) {
      const item = document.createElement("div");
      item.className = "commonsgen-problem";
      item.style.cssText = "margin:0 0 1em;white-space:pre-wrap";
      const head = document.createElement("strong");
      head.textContent = p.location + ": " + p.severity + "[" + p.code + "]: ";
      item.append(head, p.message);
      if (p.hint) {
        const hint = document.createElement("div");
        hint.textContent = p.hint;
        hint.style.cssText = "color:#b9f6ca;padding-left:2em";
        item.append(hint);
      }
      box.append(item);
    }
  };
  let since = -1;
  const poll = async () => {
    for (;;) {
      try {
        const response = await fetch("%(reserved)spoll?since=" + since, {cache: "no-store"});
        const status = await response.json();
        since = status.epoch;
        if (status.good_epoch !== servedEpoch) {
          sessionStorage.setItem(key, JSON.stringify([window.scrollX, window.scrollY]));
          location.reload();
          return;
        }
        show(status.problems);
      } catch (error) {
        await new Promise((wake) => setTimeout(wake, 1000));  // the server is restarting
      }
    }
  };
  poll();
})();
</script>
"""


# ---------------------------------------------------------------------------------------
# HTTP


LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def host_names(host: str, allowed: Iterable[str]) -> frozenset[str]:
    """The names a request's Host header may give for a server bound to ``host``: its
    loopback names, the address it was told, the ``allowed`` ones, and for a bind to every
    address (``0.0.0.0``) the machine's own names. Any IP address is accepted besides
    (:func:`host_allowed`)."""
    names = {*LOCAL_NAMES, host.strip("[]").casefold(), *(a.casefold() for a in allowed)}
    if host.strip("[]") in WILDCARDS:
        with contextlib.suppress(OSError):
            names |= {socket.gethostname().casefold(), socket.getfqdn().casefold()}
    return frozenset(names)


def host_allowed(header: str | None, names: frozenset[str]) -> bool:
    """Whether a request with this Host header may be answered. A page on another site can
    make a browser send requests here through a name of its own that it points at this
    machine (DNS rebinding) and read the answers: such a request names that other host.
    A request naming an IP address cannot come from that trick, so any is accepted (it is
    how a phone on the network reaches a server bound to 0.0.0.0)."""
    if header is None:  # HTTP/1.0 without Host: no browser sends that
        return True
    name = header.strip().casefold()
    if name.startswith("["):  # [::1]:8000
        name = name[1 : name.find("]")] if "]" in name else name
    elif name.count(":") == 1:
        name = name.rsplit(":", 1)[0]
    name = name.rstrip(".")
    if name in names:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 256
    """The listen backlog: a page with many files asks for them at once (socketserver's
    default of 5 drops connections under a burst)."""

    def __init__(self, address: tuple[str, int], app: DevServer) -> None:
        self.app = app
        self.host_names = host_names(address[0], app.options.allowed_hosts)
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def handle_error(self, request: object, client_address: object) -> None:
        # socketserver would print a traceback; a request cut short by a stop is not news.
        log.debug("error while answering %s", client_address, exc_info=True)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "commonsgen-serve"

    def do_GET(self) -> None:
        self._respond(head=False)

    def do_HEAD(self) -> None:
        self._respond(head=True)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s - %s", self.address_string(), format % args)

    def handle(self) -> None:
        # The browser may go away mid-answer: a reload cancels its long-poll.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()

    def _respond(self, *, head: bool) -> None:
        app = self.server.app
        if not host_allowed(self.headers.get("Host"), self.server.host_names):
            body = (
                f"commonsgen serve does not answer for the host {self.headers.get('Host')!r}. "
                "To reach it under that name, start it with --allow-host NAME.\n"
            ).encode()
            self._send(HTTPStatus.MISDIRECTED_REQUEST, "refused.txt", body, head=head)
            return
        path = urlsplit(self.path).path
        if path.startswith(RESERVED):
            self._endpoint(path[len(RESERVED) :], head=head)
            return
        try:
            found = resolve_preview(app.folder, self.path, app.base_path)
        except UnicodeDecodeError:  # percent-encoded bytes that are not UTF-8
            found = Resolved()
        if found.redirect is not None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", found.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if found.path is None:
            self._not_found(path, head=head)
            return
        try:
            body = found.path.read_bytes()
        except OSError:  # replaced or removed by a rebuild just now
            self._not_found(path, head=head)
            return
        self._send(HTTPStatus.OK, found.path.name, body, head=head)

    def _not_found(self, path: str, *, head: bool) -> None:
        page = self.server.app.folder / "404.html"
        try:
            body = page.read_bytes()
        except OSError:
            body = NOT_FOUND_PAGE.format(path=html.escape(path)).encode("utf-8")
        self._send(HTTPStatus.NOT_FOUND, "404.html", body, head=head)

    def _send(self, status: HTTPStatus, name: str, body: bytes, *, head: bool) -> None:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        if kind == "text/html":
            kind = "text/html; charset=utf-8"
            body = inject(body, self.server.app.client_script())
        elif kind.startswith("text/") or kind in ("application/json", "text/javascript"):
            kind += "; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _endpoint(self, name: str, *, head: bool) -> None:
        app = self.server.app
        if name == "status":
            status = app.status
        elif name == "poll":
            query = parse_qs(urlsplit(self.path).query)
            try:
                since = int(query.get("since", ["-1"])[0])
            except ValueError:
                since = -1
            status = app.wait_for_change(since, app.options.poll_timeout)
        else:
            self._not_found(RESERVED + name, head=head)
            return
        self._send(HTTPStatus.OK, "status.json", status.to_json(), head=head)


# ---------------------------------------------------------------------------------------
# Watching


class _Watcher(FileSystemEventHandler):
    def __init__(self, app: DevServer) -> None:
        self.app = app

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WATCHED_EVENTS:
            return
        if event.is_directory and event.event_type == "modified":
            return  # an entry of it changed; that entry's own event follows
        paths = [event.src_path, event.dest_path] if event.dest_path else [event.src_path]
        self.app.changed(Path(os.fsdecode(p)) for p in paths)


def is_editor_noise(path: Path, top: Path) -> bool:
    """Editor temp files, hidden files and folders (``.git``) under ``top``."""
    try:
        parts = path.relative_to(top).parts
    except ValueError:
        parts = (path.name,)
    return any(is_ignored_name(part) for part in parts)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------------------------------
# The server


def resolve_preview(folder: Path, target: str, base_path: str) -> Resolved:
    """:func:`resolve_request`, and the same file under the path of ``base_url`` too.

    The 404 page links from the top of the host (``/handbook/sensors/`` for a site published
    at ``https://example.org/handbook/``), as it must when published; the preview serves the
    site at ``/`` and, so that those links work, at ``/handbook/`` as well. A file of the
    site at the longer path itself (a ``handbook/`` folder) comes first.
    """
    found = resolve_request(folder, target)
    if found.path is not None or found.redirect is not None or base_path == "/":
        return found
    parts = urlsplit(target)
    prefix = base_path.rstrip("/")
    if parts.path == prefix:  # as for any folder: relative links need the slash
        return Resolved(redirect=prefix + "/" + ("?" + parts.query if parts.query else ""))
    if not parts.path.startswith(prefix + "/"):
        return found
    inner = parts.path[len(prefix) :] or "/"
    beneath = resolve_request(folder, inner + ("?" + parts.query if parts.query else ""))
    if beneath.redirect is not None:
        return Resolved(redirect=prefix + beneath.redirect)
    return beneath


class DevServer:
    """Build, serve, watch and rebuild one site. ``start()``, then ``stop()`` (or ``with``)."""

    def __init__(self, root: Path, options: ServeOptions | None = None) -> None:
        self.root = root.resolve()
        self.options = options or ServeOptions()
        self._folder: Path | None = None
        self._folder_lock = threading.Lock()
        # In a preview, a page edited but not yet committed counts as updated today. Worker
        # processes only for the first build, made before any thread of ours starts: forking
        # a process that has other threads is unsafe, and a rebuild renders few pages.
        self._build_options = BuildOptions(
            drafts=self.options.drafts, write=False, uncommitted_now=True, jobs=1
        )
        self._cache = BuildCache()
        self._published = Published()
        self._config: SiteConfig | None = None
        self._watched: tuple[Path, ...] = ()
        self._status = Status()
        self._status_changed = threading.Condition()
        self._pending: set[Path] = set()
        self._first_change = 0.0
        self._last_change = 0.0
        self._wake = threading.Condition()
        self._stopping = False
        self._collect_due = False
        self._warnings: tuple[Diagnostic, ...] = ()
        self._http: _HTTPServer | None = None
        self._threads: list[threading.Thread] = []
        self._observer = Observer()

    # -- lifecycle

    def start(self) -> None:
        """Build once, then serve and watch. Raises ConfigMissing and PortInUse."""
        if not (self.root / CONFIG_FILE).is_file():
            raise ConfigMissing(
                f"no {CONFIG_FILE} in {self.root}; run commonsgen in a site folder or pass its path"
            )
        self._folder = Path(tempfile.mkdtemp(prefix="commonsgen-serve-"))
        try:
            self._http = self._bind()
            self._rebuild(set(), first=True)
            self._observer.start()
            self._watch()
            for target, name in ((self._serve_http, "http"), (self._build_loop, "build")):
                thread = threading.Thread(target=target, name=f"commonsgen-{name}", daemon=True)
                thread.start()
                self._threads.append(thread)
        except BaseException:  # Ctrl-C during the first build included
            self.stop()
            raise

    def stop(self) -> None:
        """Stop serving, watching and building, and remove the served folder."""
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        with self._status_changed:
            self._status_changed.notify_all()  # answer the waiting long-polls now
        if self._http is not None:
            if self._threads:
                self._http.shutdown()
            self._http.server_close()
        if self._observer.is_alive():
            self._observer.stop()
            self._observer.join(timeout=5)
        for thread in self._threads:
            thread.join(timeout=10)
        with self._folder_lock:  # not while a rebuild is writing into it
            if self._folder is not None:
                shutil.rmtree(self._folder, ignore_errors=True)
                self._folder = None

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def folder(self) -> Path:
        """The temporary folder the site is built into and served from."""
        if self._folder is None:
            raise RuntimeError("the server is not running")
        return self._folder

    @property
    def url(self) -> str:
        assert self._http is not None
        host, port = self._http.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/"

    @property
    def status(self) -> Status:
        with self._status_changed:
            return self._status

    @property
    def base_path(self) -> str:
        """The path of ``base_url`` (``/handbook/``), where the preview is served too."""
        config = self._config
        if config is None:
            return "/"
        path = urlsplit(config.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def client_script(self) -> bytes:
        values = {"good_epoch": self.status.good_epoch, "reserved": RESERVED}
        return (CLIENT_SCRIPT % values).encode("utf-8")

    def wait_for_change(self, since: int, timeout: float) -> Status:
        """The status once its epoch is not ``since`` (or when ``timeout`` runs out)."""
        with self._status_changed:
            self._status_changed.wait_for(
                lambda: self._status.epoch != since or self._stopping, timeout
            )
            return self._status

    def _bind(self) -> _HTTPServer:
        host, port = self.options.host, self.options.port
        tries = (
            [port] if self.options.fixed_port or port == 0 else range(port, port + PORT_ATTEMPTS)
        )
        for candidate in tries:
            try:
                server = _HTTPServer((host, candidate), self)
            except OSError as exc:
                if exc.errno == errno.EADDRINUSE:
                    continue
                raise PortInUse(f"cannot listen on {host}:{candidate}: {exc.strerror}") from exc
            if candidate != port:
                log.warning("Port %d is in use; serving on port %d instead.", port, candidate)
            return server
        if self.options.fixed_port:
            raise PortInUse(
                f"port {port} on {host} is already in use (another commonsgen serve?); "
                "stop that server or choose another port with --port"
            )
        raise PortInUse(
            f"ports {port} to {port + PORT_ATTEMPTS - 1} on {host} are all in use; "
            "choose a free one with --port"
        )

    def _serve_http(self) -> None:
        assert self._http is not None
        self._http.serve_forever(poll_interval=0.05)

    # -- watching

    def changed(self, paths: Iterable[Path]) -> None:
        """Called by the watcher: note the paths that matter and wake the build thread."""
        relevant = {p for p in paths if self._matters(p)}
        if not relevant:
            return
        with self._wake:
            now = time.monotonic()
            if not self._pending:
                self._first_change = now
            self._last_change = now
            self._pending |= relevant
            self._wake.notify_all()

    def _matters(self, path: Path) -> bool:
        served = self._folder
        if served is None or path == served or served in path.parents:
            return False
        output = self._config.output_path if self._config else self.root / "public"
        if path == output or output in path.parents:
            return False  # a `commonsgen build` run next to the server
        top = next((w for w in self._watched if w == path or w in path.parents), self.root)
        return not is_editor_noise(path, top)

    def _watch_list(self) -> tuple[Path, ...]:
        """The site folder, and whatever the config names outside it (theme, content)."""
        folders = [self.root]
        config = self._config
        if config is not None:
            folders.append(config.content_path)
            theme = render.resolve_theme(config.root, config.theme, Report())
            if theme is not None:
                folders.extend(theme.folders)
        kept: list[Path] = []
        for folder in sorted({f.resolve() for f in folders if f.is_dir()}):
            if not any(k == folder or k in folder.parents for k in kept):
                kept.append(folder)
        return tuple(kept)

    def _watch(self) -> None:
        wanted = self._watch_list()
        if wanted == self._watched:
            return
        self._observer.unschedule_all()
        handler = _Watcher(self)
        for folder in wanted:
            self._observer.schedule(handler, str(folder), recursive=True)
        self._watched = wanted
        log.debug("watching %s", ", ".join(str(f) for f in wanted))

    # -- building

    def _build_loop(self) -> None:
        while True:
            with self._wake:
                while not self._pending and not self._stopping:
                    if not self._wake.wait(IDLE_COLLECT if self._collect_due else None):
                        gc.collect()
                        self._collect_due = False
                # Coalesce: wait until the saves pause, but not for ever.
                while not self._stopping:
                    now = time.monotonic()
                    quiet_at = self._last_change + self.options.debounce
                    latest = self._first_change + self.options.max_delay
                    if now >= min(quiet_at, latest):
                        break
                    self._wake.wait(min(quiet_at, latest) - now)
                if self._stopping:
                    return
                paths, self._pending = self._pending, set()
            try:
                self._rebuild(paths)
                self._watch()
            except Exception as exc:  # a bug: say so, keep serving the last good pages
                log.exception("commonsgen serve: the rebuild failed unexpectedly")
                self._cache = BuildCache()
                report = Report()
                report.error(
                    "commonsgen",
                    None,
                    None,
                    "internal-error",
                    f"the rebuild failed: {exc!r}",
                    "this is a bug in commonsgen; the terminal shows where it happened",
                )
                self._announce(tuple(report.items), good=False)

    def _needs_full_build(self, paths: set[Path]) -> bool:
        """The config decides everything, so a change to it starts from nothing."""
        return self.root / CONFIG_FILE in paths

    def _rebuild(self, paths: set[Path], *, first: bool = False) -> None:
        # A full garbage collection in the middle of a rebuild costs ~100 ms on a large
        # site; the build loop collects while the server is idle instead.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._rebuild_now(paths, first=first)
        finally:
            if collecting:
                gc.enable()
            self._collect_due = True

    def _rebuild_now(self, paths: set[Path], *, first: bool) -> None:
        started = time.perf_counter()
        result = None
        if self._needs_full_build(paths):
            self._cache = BuildCache()
        else:
            result = self._rebuild_bodies(paths)  # it reads the files whatever their stat
        if result is None:
            self._cache.forget(paths)
            result = self._build(first=first)
        if self._stopping:
            return
        stats = self._cache.take_stats()
        self._config = result.config or self._config
        if result.failed:
            problems = tuple(result.report.sorted())
            log.error("%s", format_text(problems).rstrip("\n"))
            log.error(
                "Build failed: %d error(s); still serving the last good pages.",
                len(result.report.errors),
            )
            self._announce(problems, good=False)
            return
        with self._folder_lock:
            if self._folder is None:  # stopped while building
                return
            self._published, touched = publish(
                self._folder, result.files, result.copies, self._published, changed=paths
            )
        self._announce((), good=True)
        warnings = tuple(result.report.sorted())
        if warnings != self._warnings:  # say them once, not on every save
            self._warnings = warnings
            if warnings:
                log.warning("%s", format_text(warnings, group_after=WARNINGS_SHOWN).rstrip("\n"))
        elapsed = (time.perf_counter() - started) * 1000
        what = "Built" if first else "Rebuilt"
        log.info(
            "%s %d pages in %.0f ms (%s; %d files written)",
            what,
            output_pages(result.files),
            elapsed,
            stats.describe(),
            touched,
        )

    def _rebuild_bodies(self, paths: set[Path]) -> BuildResult | None:
        """The quick rebuild when only page bodies changed; None when a build is needed."""
        try:
            return bodyedit.rebuild(self._cache, paths)
        except Exception:  # a bug there must not cost the preview: build in full instead
            log.debug("the quick rebuild failed; building in full", exc_info=True)
            self._cache = BuildCache()
            return None

    def _build(self, *, first: bool = False) -> BuildResult:
        """Build with the cache; on a surprise, once more from nothing (correctness first)."""
        options = self._build_options
        if first:
            options = dataclasses.replace(options, jobs=None)  # one worker per core
        try:
            return self._build_once(options)
        except Exception:
            log.debug("the cached rebuild failed; building from nothing", exc_info=True)
        self._cache = BuildCache()
        return self._build_once(options)

    def _build_once(self, options: BuildOptions) -> BuildResult:
        try:
            return build(self.root, options, cache=self._cache)
        except ConfigMissing as exc:
            report = Report()
            report.error(CONFIG_FILE, None, None, "no-config", str(exc), "restore the file")
            return BuildResult(report)

    def _announce(self, problems: tuple[Diagnostic, ...], *, good: bool) -> None:
        with self._status_changed:
            epoch = self._status.epoch + 1
            self._status = Status(
                epoch=epoch,
                good_epoch=epoch if good else self._status.good_epoch,
                problems=tuple(p for p in problems if p.severity is Severity.ERROR) or problems,
            )
            self._status_changed.notify_all()
