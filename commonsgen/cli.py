"""The command line: parse arguments, run a command, print its report, choose the exit code.

Exit codes: 0 success, 1 the content has errors (or warnings under --strict), 2 a usage
problem (bad arguments, no config file, an output folder that is unsafe to replace; for
`check`, also a commonsgen.yml that cannot be read).
This is the only module that prints.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

EXIT_OK = 0
EXIT_ERRORS = 1
EXIT_USAGE = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="commonsgen",
        description="Build static sites for Creative Commons publications, with correct credits.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into its output folder")
    build.add_argument(
        "site_dir", nargs="?", default=".", metavar="SITE_DIR", help="the site folder (default: .)"
    )
    build.add_argument(
        "--out", metavar="DIR", type=Path, help="write the site here instead of output_dir"
    )
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="where the site will be published, e.g. https://example.org/handbook/",
    )
    build.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    build.add_argument("--strict", action="store_true", default=None, help="fail on warnings too")
    build.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="render with N processes (default: one per core; small sites use one)",
    )
    build.add_argument(
        "--no-cache",
        action="store_true",
        help="neither use nor update the build cache (.commonsgen-cache/ in the site folder)",
    )
    verbosity = build.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument(
        "-v", "--verbose", action="store_true", help="print what each stage does"
    )
    _check_parser(commands)
    _serve_parser(commands)
    _new_parser(commands)
    _theme_parser(commands)
    _translations_parser(commands)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of processes, 1 or more, got '{text}'"
        )
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535, got '{text}'")
    return value


def _check_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    check = commands.add_parser(
        "check",
        help="run every check a build runs, write nothing (for pull requests and CI)",
    )
    check.add_argument(
        "site_dir", nargs="?", default=".", metavar="SITE_DIR", help="the site folder (default: .)"
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json (a list of diagnostics), or github (workflow commands "
        "that annotate a pull request)",
    )
    check.add_argument("--strict", action="store_true", default=None, help="fail on warnings too")
    check.add_argument("--drafts", action="store_true", help="check pages marked draft: true too")
    check.add_argument(
        "--changed-from",
        metavar="REF",
        help="also name each design file (template, theme, static file, interface strings, "
        "config) changed since the branch left REF, e.g. origin/main: a warning (an error "
        "with --strict) asking for a maintainer's review",
    )


def _serve_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = commands.add_parser(
        "serve", help="preview the site: build, serve, and rebuild and reload on every save"
    )
    serve.add_argument(
        "site_dir", nargs="?", default=".", metavar="SITE_DIR", help="the site folder (default: .)"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, reachable from this machine only)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        metavar="PORT",
        help="the port to listen on, 0 to 65535 (default: 8000, or the next free one; "
        "0: any free one)",
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="answer requests that name this host too (the server answers only its own "
        "names and IP addresses, so that no other web site can read it); repeatable",
    )
    serve.add_argument("--open", action="store_true", help="open the site in a web browser")
    serve.add_argument("--drafts", action="store_true", help="include pages marked draft: true")
    verbosity = serve.add_mutually_exclusive_group()
    verbosity.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    verbosity.add_argument("-v", "--verbose", action="store_true", help="print every request")


def _new_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser(
        "new",
        help="create a site (new DIR) or a page in a site (new page PATH)",
        description="commonsgen new DIR creates a site in a new or empty folder; "
        "commonsgen new page PATH adds a page to the site around the current folder (or "
        "--site DIR). PATH is relative to the current folder when that is inside the content "
        "folder, else to the content folder. Nothing that exists is overwritten.",
    )
    new.add_argument("target", metavar="DIR | page", help="the new site's folder, or 'page'")
    new.add_argument("path", nargs="?", metavar="PATH", help="with 'page': the new page's path")
    new.add_argument(
        "--title",
        help="the site's title (default: from the folder's name) or "
        "the page's title (default: from the file's name)",
    )
    new.add_argument("--language", help="new site: its language (default: en)")
    new.add_argument(
        "--license",
        metavar="SPDX_ID",
        help="new site: the licence of its pages (default: CC-BY-SA-4.0)",
    )
    new.add_argument(
        "--author", metavar="NAME", help="new site: who to credit (default: git's user.name)"
    )
    new.add_argument("--site", metavar="DIR", type=Path, help="new page: the site folder")
    new.add_argument(
        "--install-from",
        metavar="REQUIREMENT",
        help="new site: what its CI workflow installs with pip (default: this commonsgen, "
        "from where it was installed, pinned to its version or commit)",
    )


def _translations_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    group = commands.add_parser(
        "translations", help="say that translations are up to date with their originals"
    )
    actions = group.add_subparsers(dest="action", metavar="ACTION", required=True)
    pin = actions.add_parser(
        "pin",
        help="pin the original's current version into each translation's translation_of",
        description="Writes the original's last commit (revision:), or without git, for a "
        "shallow clone or an original with uncommitted changes, its content hash (hash:), "
        "into each file's translation_of, changing nothing else in the file.",
    )
    pin.add_argument("files", nargs="+", type=Path, metavar="FILE", help="translations to pin")
    pin.add_argument(
        "--site", type=Path, default=Path("."), metavar="DIR", help="the site folder (default: .)"
    )
    pin.add_argument(
        "--hash", action="store_true", help="pin the original's content hash even with git"
    )
    pin.add_argument(
        "--dry-run", action="store_true", help="print the change as a diff, write nothing"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.version:
        from importlib.metadata import version

        print(f"commonsgen {version('commonsgen')}")
        return EXIT_OK
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    level = logging.WARNING
    if getattr(args, "verbose", False):
        level = logging.DEBUG
    elif getattr(args, "quiet", False):
        level = logging.ERROR
    logging.basicConfig(level=level, format="%(message)s")
    if args.command == "build":
        return _stoppable(_build, args)
    if args.command == "check":
        return _check(args)
    if args.command == "serve":
        return _serve(args)
    if args.command == "theme":
        return _theme(args)
    if args.command == "new":
        return _new(args, parser)
    if args.command == "translations":
        return _pin(args)
    parser.error(f"unknown command {args.command}")
    return EXIT_USAGE


def _os_error(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


EXIT_STOPPED = 130
"""Stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)."""


def _stoppable(command: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``command`` so that SIGTERM (a CI job cancelled, a container stopped) stops it
    as Ctrl-C does: the clean-up runs (the staging folder removed, the worker processes
    shut down, the last good site left in place), which Python's default for SIGTERM skips."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        return command(args)  # signals go to the main thread only (tests run in threads)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        return command(args)
    except KeyboardInterrupt:
        print("\ncommonsgen: stopped; the output folder is as it was", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        signal.signal(signal.SIGTERM, previous)


def _display_prefix(site_dir: Path) -> str:
    """How to name files under the site folder so that they resolve from where the user is."""
    try:
        rel = os.path.relpath(site_dir.resolve(), Path.cwd())
    except ValueError:  # another drive on Windows
        rel = str(site_dir.resolve())
    return "" if rel == "." else rel.replace(os.sep, "/") + "/"


def _build(args: argparse.Namespace) -> int:
    from commonsgen.build import BuildOptions, build
    from commonsgen.config import ConfigMissing
    from commonsgen.diagnostics import WARNINGS_SHOWN, format_text
    from commonsgen.output import OutputRefused
    from commonsgen.parallel import max_jobs

    site_dir = Path(args.site_dir)
    started = time.perf_counter()
    progress = Progress.for_stderr(quiet=args.quiet)
    if args.jobs is not None and args.jobs > max_jobs():
        print(
            f"commonsgen: note: -j {args.jobs} is more than this machine can use; "
            f"rendering with {max_jobs()} processes",
            file=sys.stderr,
        )
    options = BuildOptions(
        out=args.out,
        base_url=args.base_url,
        drafts=args.drafts,
        strict=args.strict,
        jobs=args.jobs,
        cache=not args.no_cache,
        progress=progress,
    )
    # A build's objects mostly live until it ends: the collector's passes over them cost a
    # tenth of a cached build and free next to nothing (as in serve, which collects when idle).
    gc.disable()
    try:
        result = build(site_dir, options)
    except (ConfigMissing, OutputRefused) as exc:
        progress.clear()
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # outside the stages that report it with its file (a full disk)
        progress.clear()
        print(f"commonsgen: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ERRORS
    progress.clear()
    prefix = _display_prefix(site_dir)
    diagnostics = result.report.sorted()
    if args.quiet:
        diagnostics = [d for d in diagnostics if d.severity == "error" or result.strict]
    group_after = None if args.verbose else WARNINGS_SHOWN
    sys.stderr.write(format_text(diagnostics, path_prefix=prefix, group_after=group_after))
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    if result.failed:
        why = f"{errors} error(s)" if errors else f"{warnings} warning(s) in strict mode"
        print(f"Build failed: {why}; nothing was written.", file=sys.stderr)
        return EXIT_ERRORS
    if not args.quiet:
        elapsed = time.perf_counter() - started
        out = _display_prefix(result.output) if result.output else ""
        built = result.pages_built
        reused = f", {result.pages_reused:,} reused from the cache" if result.pages_reused else ""
        why = " (nothing changed)" if result.unchanged else ""
        tail = f", {warnings} warning(s)" if warnings else ""
        noun = "page" if built == 1 else "pages"
        print(
            f"Built {built:,} {noun}{reused}{why} into {out or './'} in {elapsed:.2f} s{tail}.",
            file=sys.stderr,
        )
    return EXIT_OK


class Progress:
    """A one-line counter on a terminal, redrawn at most ten times a second; nothing at
    all when stderr is not a terminal (CI logs, pipes), under ``-q``, or in CI."""

    DELAY = 0.5
    """Builds shorter than this show no counter at all."""

    def __init__(self, stream: TextIO | None) -> None:
        self.stream = stream
        self.started = time.perf_counter()
        self.drawn = 0.0
        self.shown = False

    @classmethod
    def for_stderr(cls, *, quiet: bool) -> Progress:
        live = not quiet and sys.stderr.isatty() and not os.environ.get("CI")
        return cls(sys.stderr if live else None)

    def __call__(self, stage: str, done: int, total: int) -> None:
        if self.stream is None:
            return
        now = time.perf_counter()
        if now - self.started < self.DELAY or now - self.drawn < 0.1:
            return
        self.drawn, self.shown = now, True
        count = f" {done:,}/{total:,}" if total else ""
        self.stream.write(f"\r\x1b[K{stage}{count}…")
        self.stream.flush()

    def clear(self) -> None:
        if self.stream is not None and self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _check(args: argparse.Namespace) -> int:
    """Everything a build checks, nothing written: diagnostics on stdout, a summary on stderr."""
    from commonsgen import designfiles
    from commonsgen.build import BuildOptions, build, check_output_location
    from commonsgen.config import ConfigMissing
    from commonsgen.diagnostics import format_github, format_json, format_text
    from commonsgen.output import OutputRefused

    site_dir = Path(args.site_dir)
    options = BuildOptions(drafts=args.drafts, strict=args.strict, write=False)
    try:
        changed = None
        if args.changed_from is not None:
            changed = designfiles.changed_files(site_dir.resolve(), args.changed_from)
        result = build(site_dir, options)
        if result.config is not None:
            # A build would refuse this output folder; say so now, not after the merge.
            check_output_location(result.config)
            if changed is not None:
                designfiles.report_changes(result.config, changed, result.report)
    except (ConfigMissing, OutputRefused, designfiles.ChangesUnknown) as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:  # outside the stages that report it with its file, as in build
        print(f"commonsgen: error: {_os_error(exc)}", file=sys.stderr)
        return EXIT_ERRORS
    prefix = _display_prefix(site_dir)
    diagnostics = result.report.sorted()
    formatter = {"text": format_text, "json": format_json, "github": format_github}[args.format]
    sys.stdout.write(formatter(diagnostics, path_prefix=prefix))
    errors, warnings = len(result.report.errors), len(result.report.warnings)
    if result.config is None:
        # commonsgen.yml could not be read: nothing else was checked.
        print("Check stopped: commonsgen.yml cannot be used.", file=sys.stderr)
        return EXIT_USAGE
    strict = result.strict
    if result.failed:
        why = f"{errors} error(s)" if errors else f"{warnings} warning(s) in strict mode"
        print(f"Check failed: {why}.", file=sys.stderr)
        return EXIT_ERRORS
    tail = f", {warnings} warning(s)" if warnings else ""
    mode = " (strict)" if strict else ""
    print(f"Check passed{mode}{tail}.", file=sys.stderr)
    return EXIT_OK


def _pin(args: argparse.Namespace) -> int:
    from commonsgen.config import ConfigMissing
    from commonsgen.pinning import PinError, find_page, load_site, pin, write

    try:
        site = load_site(args.site)
    except (ConfigMissing, PinError) as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    failed = 0
    for file in args.files:
        try:
            pinned = pin(site, find_page(site, file), use_hash=args.hash)
            if args.dry_run:
                sys.stdout.write(pinned.diff())
            elif pinned.changed:
                write(pinned)
        except (PinError, OSError, UnicodeDecodeError) as exc:
            print(f"commonsgen: error: {exc}", file=sys.stderr)
            failed += 1
            continue
        what = f"{pinned.key} {pinned.value[:12] if pinned.key == 'revision' else pinned.value}"
        done = "would pin" if args.dry_run else ("pinned" if pinned.changed else "already pins")
        print(f"{pinned.site_path}: {done} {what} of {pinned.original}", file=sys.stderr)
    return EXIT_ERRORS if failed else EXIT_OK


def _new(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from commonsgen.scaffold import DEFAULT_LICENSE, ScaffoldError, new_page, new_site

    try:
        if args.target == "page" and args.path is not None:
            for flag in ("language", "license", "author", "install_from"):
                if getattr(args, flag) is not None:
                    option = "--" + flag.replace("_", "-")
                    raise ScaffoldError(f"{option} is for a new site; a page takes the site's")
            created = new_page(args.path, site=args.site, title=args.title)
            [page] = created.files
            print(f"Created {_display_prefix(page).rstrip('/')}", file=sys.stderr)
        elif args.target == "page":
            raise ScaffoldError(
                "give the new page's path: commonsgen new page guides/first-steps.md "
                "(for a site in a folder named 'page', write ./page)"
            )
        elif args.path is not None:
            raise ScaffoldError(
                f"commonsgen new {args.target} {args.path}: one folder only "
                "(to add a page: commonsgen new page PATH)"
            )
        else:
            if args.site is not None:
                raise ScaffoldError("--site is for new page; a new site is created in DIR")
            created = new_site(
                Path(args.target),
                title=args.title,
                language=args.language or "en",
                license_text=args.license or DEFAULT_LICENSE,
                author=args.author,
                install_from=args.install_from,
            )
            where = _display_prefix(created.root)
            print(f"Created a site in {where}:", file=sys.stderr)
            for path in created.files:
                print(f"  {path.relative_to(created.root).as_posix()}", file=sys.stderr)
            cd = f"cd {where.rstrip('/')} && " if where else ""
            print(f"Preview it with: {cd}commonsgen serve", file=sys.stderr)
    except ScaffoldError as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for note in created.notes:
        print(f"note: {note}", file=sys.stderr)
    return EXIT_OK


def _theme_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    theme = commands.add_parser(
        "theme",
        help="list the theme's files, print one, or copy one into the site to override it",
        description="Without options: every file of the site's theme, and which ones the "
        "site overrides. --copy copies a template or an interface-string catalogue to the "
        "same path in the site (templates/..., i18n/...), where it replaces the theme's; "
        "nothing that exists is overwritten.",
    )
    theme.add_argument(
        "site_dir", nargs="?", default=".", metavar="SITE_DIR", help="the site folder (default: .)"
    )
    action = theme.add_mutually_exclusive_group()
    action.add_argument(
        "--copy", metavar="PATH", action="append", help="copy this file (e.g. templates/page.html)"
    )
    action.add_argument("--print", metavar="PATH", dest="show", help="print this file")


def _theme(args: argparse.Namespace) -> int:
    from commonsgen import themefiles
    from commonsgen.config import ConfigMissing, load_config
    from commonsgen.diagnostics import Report, format_text
    from commonsgen.render import resolve_theme

    site_dir = Path(args.site_dir)
    report = Report()
    try:
        config = load_config(site_dir, report)
    except ConfigMissing as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    theme = resolve_theme(config.root, config.theme, report) if config else None
    if config is None or theme is None:
        sys.stderr.write(format_text(report.sorted(), path_prefix=_display_prefix(site_dir)))
        return EXIT_ERRORS
    try:
        if args.show:
            sys.stdout.write(
                themefiles.find(config.root, theme, args.show).source.read_text("utf-8")
            )
        elif args.copy:
            for written in args.copy:
                found = themefiles.find(config.root, theme, written)
                target = themefiles.copy_into_site(config.root, found)
                shown = _display_prefix(target).rstrip("/")
                print(f"Copied {found.path} to {shown}: edit it there", file=sys.stderr)
        else:
            for item in themefiles.theme_files(config.root, theme):
                mark = "  (the site's own)" if item.overridden else ""
                print(f"{item.path}{mark}")
    except (themefiles.ThemeFileError, OSError) as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    import signal
    import webbrowser

    from commonsgen.config import ConfigMissing
    from commonsgen.server import DevServer, PortInUse, ServeOptions, is_loopback

    if not args.quiet:
        logging.getLogger("commonsgen").setLevel(logging.DEBUG if args.verbose else logging.INFO)
    if not is_loopback(args.host):
        print(
            f"commonsgen: warning: listening on {args.host}: anyone who can reach this machine "
            "can read the preview, drafts included",
            file=sys.stderr,
        )
    options = ServeOptions(
        host=args.host,
        port=8000 if args.port is None else args.port,
        fixed_port=args.port is not None,
        drafts=args.drafts,
        allowed_hosts=tuple(args.allow_host),
    )
    server = DevServer(Path(args.site_dir), options)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt  # SIGTERM stops the server as Ctrl-C does

    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGTERM, interrupt)
    try:
        server.start()
        print(f"Serving {args.site_dir} at {server.url} (Ctrl-C to stop)", file=sys.stderr)
        if args.open:
            webbrowser.open(server.url)
        while True:
            # Short naps: Ctrl-C may be delivered to another thread, and the main thread
            # only raises KeyboardInterrupt once it wakes.
            time.sleep(0.2)
    except (ConfigMissing, PortInUse) as exc:
        print(f"commonsgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while stopping
        server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    print("Stopped.", file=sys.stderr)
    return EXIT_OK
