"""Run the stages in order: the one entry point for the CLI and the dev server.

config -> discover -> frontmatter -> fields -> attribution -> site -> markdown -> views ->
render -> output. Every stage adds to one Report; nothing is rendered when the report has
errors (or warnings under strict), and nothing is written unless everything rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import os
from collections.abc import Callable, Container, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commonsgen import attribution, history, i18n, output, parallel, render, translations, urls
from commonsgen.adopt.pages import link_translation_keys
from commonsgen.adopt.people import adopt_people
from commonsgen.config import SiteConfig, load_config
from commonsgen.content import active, contributors, discover, fields, frontmatter
from commonsgen.diagnostics import Report
from commonsgen.incremental import disk as diskcache
from commonsgen.incremental.disk import DiskCache
from commonsgen.markdown.html import Engine, RenderedPage, check_anchors, render_page
from commonsgen.model import Page, PageId, SourceFile
from commonsgen.outputs import cite, search, views
from commonsgen.site import Site, assemble

if TYPE_CHECKING:
    import jinja2

    from commonsgen.incremental.memo import BuildCache

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Told (stage, done, total) as a build goes; total 0 when unknown."""


@dataclass(frozen=True, slots=True)
class BuildOptions:
    out: Path | None = None
    """Overrides ``output_dir``."""
    base_url: str | None = None
    drafts: bool = False
    strict: bool | None = None
    """None: as the config says."""
    write: bool = True
    git: bool | None = None
    """Read the content's git history: None as ``git:`` in the config says, or forced."""
    uncommitted_now: bool = False
    """Count uncommitted edits as made today (``serve``); builds use commits alone, so
    that the same commits give the same output."""
    jobs: int | None = None
    """Worker processes for Markdown and templates; None: one per core. Sites under
    ``parallel.MIN_PAGES`` pages use one process; ``serve`` asks for one after its first
    build (forking a process with threads is unsafe)."""
    cache: bool = False
    """Use and update the build cache in the site folder (``diskcache``); ``build`` on the
    command line does, unless ``--no-cache``."""
    progress: Progress | None = None
    """Told (stage, done, total) as the build goes; total 0 when unknown."""


@dataclass(slots=True)
class BuildResult:
    report: Report
    config: SiteConfig | None = None
    site: Site | None = None
    files: MutableMapping[str, bytes] = field(default_factory=dict)
    """Output path -> bytes; after a written build, read back from the output folder."""
    copies: dict[str, Path] = field(default_factory=dict)
    output: Path | None = None
    written: bool = False
    kept: set[str] = field(default_factory=set)
    """Output files the build cache showed to be up to date: not rendered, not written."""
    pages_built: int = 0
    """HTML pages rendered from their templates."""
    pages_reused: int = 0
    """HTML pages not rendered again (the build cache had them)."""
    unchanged: bool = False
    """Nothing changed since the last build: nothing was read beyond the config."""
    touched: int = 0
    """Files written or removed in the output folder."""

    @property
    def strict(self) -> bool:
        return bool(self.config and self.config.strict)

    @property
    def failed(self) -> bool:
        return self.report.failed(strict=self.strict)


def output_pages(files: MutableMapping[str, bytes] | dict[str, Any]) -> int:
    """The HTML pages among a build's output files: the number build and serve report."""
    return sum(1 for path in files if path.endswith(".html"))


def read_config(root: Path, options: BuildOptions, report: Report) -> SiteConfig | None:
    """The site's config with the options' overrides; the report takes its ``checks:``."""
    overrides: dict[str, Any] = {}
    if options.base_url is not None:
        overrides["base_url"] = options.base_url
    if options.strict is not None:
        overrides["strict"] = options.strict
    config = load_config(root, report, overrides=overrides)
    if config is None:
        return None
    if options.out is not None:
        config = _with_output(config, options.out)
    report.levels = dict(config.checks)
    return config


def load(
    root: Path,
    options: BuildOptions,
    report: Report,
    *,
    cache: BuildCache | None = None,
    disk: DiskCache | None = None,
    config: SiteConfig | None = None,
) -> tuple[SiteConfig | None, Site | None]:
    """Read and check everything, write nothing: config (unless given), content,
    contributors, links."""
    if config is None:
        config = read_config(root, options, report)
    if config is None:
        return None, None

    registry = contributors.load_registry(
        config.contributors_path, config.contributors_file, report
    )
    people = adopt_people(config.root, config.profile, registry, report)
    registry = people.registry
    cite.check_citation(config, registry, report)
    if not config.content_path.is_dir():
        report.error(
            "commonsgen.yml",
            config.positions["content_dir"].line if "content_dir" in config.positions else None,
            None,
            "no-content",
            f"the content folder '{config.content_dir}' does not exist",
            "create it and put your Markdown pages in it, or set content_dir",
        )
        return config, None
    find = cache.discover(discover.discover) if cache else discover.discover
    sources = find(config.content_path, config.root, report)
    sources = discover.adopt(sources, config.profile, config.output_path)
    context = fields.PageContext(
        registry=registry,
        default_language=config.language,
        languages=config.language_codes() if len(config.languages) > 1 else (),
        default_license=config.default_license,
        default_code_license=config.default_code_license,
        contributors_file=people.file or config.contributors_file,
        profile=config.profile,
        names=people.names,
        site_credits=people.site_credits,
        site_title=config.title,
    )
    pages: list[Page] = []
    if disk is not None:
        pages = disk.read_pages(read_page, [s for s in sources if s.is_page], context, report)
    else:
        read = cache.read_page(read_page) if cache else read_page
        for source in sources:
            if not source.is_page:
                continue
            page = read(source, context, report)
            if page is not None:
                pages.append(page)
    pages = link_translation_keys(pages, config.profile, config.language, report)
    # Pages whose file is there but could not be read (their own error says why): links
    # and sources naming them are not reported as well, so one mistake gives one error.
    read_ids = {page.id for page in pages}
    unread = frozenset(
        PageId(s.rel_path) for s in sources if s.is_page and s.rel_path not in read_ids
    )
    attributed = attribution.resolve(pages, config, report, unread=unread)
    assets = [s for s in sources if not s.is_page]
    if not config.unsafe_files:
        active.check_files(assets, report)
    today = dt.date.today() if options.uncommitted_now else None
    read_history = cache.history(history.read) if cache else history.read
    changes = read_history(config, report, enabled=options.git, today=today)
    published = {p.id: p for p in pages if options.drafts or not p.draft}
    statuses = translation_status(published, changes, config, report)
    site = assemble(
        config,
        pages,
        assets,
        registry,
        attributed,
        report,
        drafts=options.drafts,
        history=changes,
        translation_status=statuses,
        unread=unread,
    )
    return config, site


def translation_status(
    pages: Mapping[PageId, Page],
    changes: history.History | None,
    config: SiteConfig,
    report: Report,
) -> dict[PageId, translations.TranslationStatus]:
    """Each translation's status (``SOURCE_DATE_EPOCH`` dates the notice's age)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return translations.compute(
        pages, changes, config.translations, report, source_date_epoch=epoch
    )


def read_page(source: SourceFile, context: fields.PageContext, report: Report) -> Page | None:
    """One Markdown file -> its page; None when it has no usable frontmatter or title."""
    raw = frontmatter.read_page(source, report)
    return fields.parse_page(raw, context, report) if raw is not None else None


def render_markdown(
    site: Site,
    report: Report,
    *,
    cache: BuildCache | None = None,
    disk: DiskCache | None = None,
    workers: parallel.Workers | None = None,
    md: Engine | None = None,
) -> dict[PageId, RenderedPage]:
    """Every page's HTML, with ``md`` (the workers' engine, else the site's own)."""
    if md is None:
        md = workers.md if workers is not None else render.markdown_engine(site)
    if cache is not None:
        fresh = functools.partial(_render_fresh, site, md, workers)
        rendered = cache.render_pages(site, md, fresh, report)
    else:
        rendered = _render_or_reuse(site, md, report, disk, workers)
    check_anchors(rendered, site, report)
    return rendered


def _render_or_reuse(
    site: Site,
    md: Engine,
    report: Report,
    disk: DiskCache | None,
    workers: parallel.Workers | None,
) -> dict[PageId, RenderedPage]:
    keys: dict[PageId, bytes] = {}
    stored: dict[PageId, RenderedPage] = {}
    if disk is not None:
        for pid, page in site.pages.items():
            key = disk.markdown_key(site, page, md)
            if key is not None:
                keys[pid] = key
        stored = disk.get_markdowns(keys, site)
    done = _render_fresh(site, md, workers, [pid for pid in site.pages if pid not in stored])
    fresh: dict[PageId, RenderedPage] = {}
    for pid, page_html, diagnostics in done:
        report.extend(diagnostics)
        fresh[pid] = page_html
    if disk is not None:
        disk.counts.markdown_rendered += len(done)
        disk.put_markdown(
            [(keys[pid], html) for pid, html, diags in done if not diags and pid in keys], site
        )
    return {pid: stored[pid] if pid in stored else fresh[pid] for pid in site.pages}


def _render_fresh(
    site: Site, md: Engine, workers: parallel.Workers | None, todo: list[PageId]
) -> list[parallel.Rendered]:
    """These pages' Markdown (by the workers when there are enough), each with a report of
    its own: a cache keeps only a page that reported nothing."""
    if workers is not None and workers.worth_it(len(todo)):
        return workers.render_pages(todo)
    done: list[parallel.Rendered] = []
    for pid in todo:
        own = Report()
        done.append((pid, render_page(md, site, site.pages[pid], own), own.items))
    return done


def build(
    root: Path, options: BuildOptions | None = None, *, cache: BuildCache | None = None
) -> BuildResult:
    """Build the site in ``root``. Raises ConfigMissing and OutputRefused (usage errors).

    With a ``cache`` (the dev server keeps one), the stages reuse what the last build
    computed from the same inputs; with ``options.cache``, the build cache in the site
    folder does the same between runs. Either way the result is the same as without.
    """
    options = options or BuildOptions()
    report = Report()
    result = BuildResult(report)
    if cache is not None:
        cache.forget_last()  # until this build succeeds
    config = read_config(root, options, report)
    result.config = config
    if config is None:
        return result
    result.output = config.output_path
    if options.write:
        check_output_location(config)
    disk = None
    if options.cache and options.write and cache is None:
        disk = DiskCache.open(config.root, report)
    try:
        return _build(config, options, result, cache, disk)
    finally:
        if disk is not None:
            disk.close()


def _build(
    config: SiteConfig,
    options: BuildOptions,
    result: BuildResult,
    cache: BuildCache | None,
    disk: DiskCache | None,
) -> BuildResult:
    report = result.report
    progress = options.progress or _no_progress
    inputs = None
    if disk is not None:
        inputs = diskcache.inputs_digest(
            disk.code,
            config.root,
            config.output_path,
            _options_key(options),
            [
                render.builtin_themes_dir(),
                config.content_path,
                config.templates_path,
                config.static_path,
                config.contributors_path,
            ],
            disk.hashed_inputs(),
        )
        last = disk.unchanged(inputs, config.output_path.resolve())
        if last is not None:
            items, result.pages_reused = last
            report.items.clear()  # the replay holds the config's diagnostics too
            report.extend(items)
            result.unchanged = True
            return result
    progress("Reading", 0, 0)
    config, site = load(config.root, options, report, cache=cache, disk=disk, config=config)
    result.site = site
    if config is None or site is None:
        return result
    jobs = options.jobs if options.jobs is not None else parallel.default_jobs()
    with parallel.Workers(site, jobs) as workers:
        return _render(config, options, result, site, cache, disk, workers, inputs)


def _render(
    config: SiteConfig,
    options: BuildOptions,
    result: BuildResult,
    site: Site,
    cache: BuildCache | None,
    disk: DiskCache | None,
    workers: parallel.Workers,
    inputs: diskcache.Inputs | None,
) -> BuildResult:
    report = result.report
    progress = options.progress or _no_progress
    progress("Rendering Markdown", 0, len(site.pages))
    rendered = render_markdown(site, report, cache=cache, disk=disk, workers=workers)
    if result.failed:
        return result
    theme = render.resolve_theme(
        config.root, config.theme, report, key_pos=config.positions.get("theme")
    )
    if theme is None:
        return result
    if cache:
        env = cache.environment(render.make_environment, config.root, theme)
    else:
        env = render.make_environment(config.root, theme)
    keep = None
    indexes: dict[str, search.Index] = {}
    if cache is not None:
        fresh = functools.partial(_render_fresh_jobs, site, env, theme, workers, progress)
        render_many = functools.partial(
            cache.render_all, site, env, report=report, render_fresh=fresh
        )
    out = config.output_path
    staged = None
    if options.write:
        # Written as they are rendered (a whole site's bytes would double a build's memory)
        # into a staging folder; put in place only once everything rendered.
        staged = output.Staged(out, update=disk is not None and (out / output.MARKER).is_file())
    if cache is None:
        folder = staged.folder_for_workers if staged is not None else None
        render_chunk = functools.partial(
            _render_jobs, site, rendered, env, theme, report, disk, workers, folder
        )
        render_many = functools.partial(_in_chunks, render_chunk, progress)
    unviewed: Container[PageId] = frozenset()
    if cache is None and disk is None:
        # Each page's view made with its chunk of jobs, not all before the first renders:
        # at 100,000 pages the views of every page held at once are gigabytes.
        unviewed = site.pages
    if disk is not None:
        disk.use_templates(
            [config.templates_path, *theme.template_dirs, *i18n.folders(config.root, theme.folders)]
        )
        keep = functools.partial(disk.keep, site, output=config.output_path.resolve())
        unviewed = disk.known_views(site)
    try:
        files = render.render_site(
            site,
            rendered,
            env,
            report,
            keep=keep,
            render_many=render_many,
            page_view=(
                cache.page_view(site, rendered, views.page_view) if cache else views.page_view
            ),
            unviewed=unviewed,
            indexes=indexes if cache is not None else None,
            into=staged,
        )
        copies = _copies(config, site, theme, report)
        folded_copies = {urls.folded(out) for out in copies}
        clash = sorted(out for out in files if urls.folded(out) in folded_copies)
        for out_path in clash:
            report.error(
                "commonsgen.yml",
                None,
                None,
                "url-collision",
                f"'{out_path}' is both a page and a copied file",
                "rename the file in static/ or content/",
            )
        kept = disk.kept if disk is not None else set()
        result.files, result.copies, result.kept = files, copies, kept
        if disk is not None:
            result.pages_built = disk.counts.pages_rendered
            result.pages_reused = len(kept) + disk.counts.pages_stored
        else:
            result.pages_built = output_pages(files)
        if cache is not None and not result.failed:
            cache.remember(site, rendered, env, files, copies, report, indexes)
        if result.failed or not options.write:
            return result
        progress("Writing", 0, 0)
        assert staged is not None  # made when writing
        result.touched = staged.finish(copies, kept)
        result.written = True
        if disk is not None:
            pages = result.pages_built + result.pages_reused
            disk.finish(inputs, out.resolve(), [*files, *copies, *kept], (report.items, pages))
        log.debug("%d files written or removed in %s", result.touched, out)
        if disk is not None:
            # the figures as data too, for tools and tests that read the log
            counts = dataclasses.asdict(disk.counts)
            log.debug("build cache: %s", disk.counts.describe(), extra={"counts": counts})
        return result
    except OSError as exc:
        # A full disk, a read-only or vanished folder, a file gone or unreadable since it
        # was found: one error naming the file and the system's reason, and (below) the
        # staging folder removed, the last good site left in place.
        path, message = _os_problem(exc, config, staged)
        report.error(path, None, None, "file-system", message, _OS_HINT)
        result.written = False
        return result
    finally:
        if staged is not None:
            # none may still be writing into the staging folder
            workers.close(stopping=not result.written)
            staged.discard()  # nothing left to discard once finished


_OS_HINT = "fix the cause (free space, permissions, a file moved away) and build again"


def _os_problem(exc: OSError, config: SiteConfig, staged: output.Staged | None) -> tuple[str, str]:
    """Where an OSError of the render or write stage happened, as a user knows the place,
    and what the system said."""
    reason = exc.strerror or str(exc)
    named = exc.filename if isinstance(exc.filename, str) else None
    if named is None:
        return config.output_dir.rstrip("/") + "/", f"cannot write the site: {reason}"
    shown = staged.shown(Path(named)) if staged is not None else None
    if shown is not None:
        return _site_path(Path(shown), config), f"cannot write this file of the site: {reason}"
    return _site_path(Path(named), config), f"cannot read this file: {reason}"


def _site_path(path: Path, config: SiteConfig) -> str:
    """``path`` as diagnostics name files: from the site folder, or absolute outside it."""
    try:
        return path.resolve().relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def _render_jobs(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    env: jinja2.Environment,
    theme: render.Theme,
    report: Report,
    disk: DiskCache | None,
    workers: parallel.Workers,
    folder: Path | None,
    progress: Progress,
    jobs: list[render.Job],
) -> list[bytes | render.WrittenFile | None]:
    """The jobs' bytes from the build cache where it has them, else rendered (by the workers
    when there are enough; a job left without its view gets it first); diagnostics in job
    order, as a serial render gives them. Workers write the files they render into
    ``folder`` when there is one."""
    outputs: list[bytes | render.WrittenFile | None] = (
        list(disk.stored_pages(site, jobs)) if disk is not None else [None] * len(jobs)
    )
    missing = [i for i, stored in enumerate(outputs) if stored is None]
    chosen = [render.with_view(site, rendered, jobs[i]) for i in missing]
    fresh = _render_fresh_jobs(
        site, env, theme, workers, progress, chosen, folder=folder, keep_bytes=disk is not None
    )
    for i, (html, diagnostics) in zip(missing, fresh, strict=True):
        report.extend(diagnostics)
        outputs[i] = html
        data = html.data if isinstance(html, render.WrittenFile) else html
        if disk is not None and data is not None and not diagnostics:
            disk.remember_page(site, jobs[i], data)
    if disk is not None:
        disk.counts.pages_rendered += len(chosen)
    return outputs


def _render_fresh_jobs(
    site: Site,
    env: jinja2.Environment,
    theme: render.Theme,
    workers: parallel.Workers,
    progress: Progress,
    jobs: list[render.Job],
    *,
    folder: Path | None = None,
    keep_bytes: bool = True,
) -> list[parallel.Output]:
    """These jobs rendered (by the workers when there are enough, who then write them
    into ``folder`` if one is given), each with a report of its own."""
    if workers.worth_it(len(jobs)):
        return workers.render_jobs(
            site.config.root,
            theme,
            jobs,
            lambda done, total: progress("Rendering pages", done, total),
            folder=folder,
            keep_bytes=keep_bytes,
        )
    fresh: list[parallel.Output] = []
    site_views = render.SiteViews(site)
    for n, job in enumerate(jobs, 1):
        if n % 100 == 0:
            progress("Rendering pages", n, len(jobs))
        own = Report()
        fresh.append((render.render_job(site, env, job, own, site_views), own.items))
    return fresh


RENDER_CHUNK = 1000
"""Output pages rendered (or read from the build cache) at a time, then written: enough to
keep the workers busy, few enough that a large site's bytes are not all in memory."""


def _in_chunks(
    render_chunk: Callable[[Progress, list[render.Job]], list[bytes | render.WrittenFile | None]],
    progress: Progress,
    jobs: list[render.Job],
) -> Iterator[bytes | render.WrittenFile | None]:
    """``render_chunk`` a chunk of jobs at a time, for the caller to write each as it comes;
    progress counts over all of them."""
    total = len(jobs)
    for start in range(0, total, RENDER_CHUNK):

        def told(stage: str, done: int, _: int, start: int = start) -> None:
            progress(stage, start + done, total)

        yield from render_chunk(told, jobs[start : start + RENDER_CHUNK])


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def _options_key(options: BuildOptions) -> tuple[Any, ...]:
    """What of the options the output depends on (not ``jobs``, nor the progress display)."""
    # SOURCE_DATE_EPOCH: when a translation's notice shows (translations.notice_after_days).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return (options.out, options.base_url, options.drafts, options.strict, options.git, epoch)


def _copies(config: SiteConfig, site: Site, theme: render.Theme, report: Report) -> dict[str, Path]:
    """Files published as they are: theme static files, the site's static/, content assets.

    No two may land on one output path (nor on paths a case-blind or Unicode-normalising
    file system or host takes for one): in particular, a file of a pull request's must
    not replace the theme's ``theme/copy.js``, which every page runs."""
    copies: dict[str, Path] = dict(theme.static_files())
    claims: dict[str, tuple[str, str]] = {
        urls.folded(out): (out, f"the theme's {out}") for out in copies
    }

    def claim(out: str, source: Path, named: str, *, line_hint: str) -> None:
        taken = claims.get(urls.folded(out))
        if taken is not None:
            report.error(
                named,
                None,
                None,
                "url-collision",
                f"'{out}' would replace {taken[1]}"
                + ("" if taken[0] == out else f" ('{taken[0]}', the same path to a web host)"),
                line_hint,
            )
            return
        claims[urls.folded(out)] = (out, named)
        copies[out] = source

    if config.static_path.is_dir():
        for source in discover.discover(config.static_path, config.root, report):
            claim(
                source.rel_path,
                source.abs_path,
                source.site_path,
                line_hint="rename the file; to change a theme's files, make a theme of your own",
            )
    for asset in site.assets.values():
        claim(
            asset.url,
            asset.source.abs_path,
            asset.source.site_path,
            line_hint="keep one of the two files",
        )
    return dict(sorted(copies.items()))


def check_output_location(config: SiteConfig) -> None:
    """Raise OutputRefused when replacing the output folder would touch the user's files."""
    output.check_location(
        config.root / config.output_dir,
        site_root=config.root,
        protected={
            **content_folders(config),
            "templates": config.templates_path,
            "static": config.static_path,
        },
    )


def content_folders(config: SiteConfig) -> dict[str, Path]:
    """The folders the output must stay out of: the content folder, or, when a profile
    publishes only some of it (a repository whose pages sit at its top), those parts."""
    profile = config.profile
    if profile is None or not profile.include or config.content_path != config.root:
        return {"content": config.content_path}
    return {f"content ({item})": config.content_path / item for item in profile.include}


def _with_output(config: SiteConfig, out: Path) -> SiteConfig:
    absolute = out if out.is_absolute() else Path.cwd() / out
    # Made absolute but not resolved: an output folder that is a symbolic link is refused.
    return replace(config, output_dir=os.path.abspath(absolute))
