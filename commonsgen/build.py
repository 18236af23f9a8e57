"""Run the stages in order: the one entry point for the CLI and the dev server.

config -> discover -> frontmatter -> fields -> attribution -> site -> markdown -> views ->
render -> output. Every stage adds to one Report; nothing is rendered when the report has
errors (or warnings under strict), and nothing is written unless everything rendered.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from commonsgen import attribution, contributors, history, output, parallel, render
from commonsgen.config import SiteConfig, load_config
from commonsgen.content import discover, fields, frontmatter
from commonsgen.diagnostics import Report
from commonsgen.markdown import RenderedPage, check_anchors, create_markdown, render_page
from commonsgen.model import Page, PageId, SourceFile
from commonsgen.site import Site, assemble

if TYPE_CHECKING:
    from commonsgen.buildstate import BuildCache

log = logging.getLogger(__name__)


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
    """Worker processes for Markdown rendering; None: one per core. Sites under
    ``parallel.MIN_PAGES`` pages, and builds with a cache (``serve``), use one process."""


@dataclass(slots=True)
class BuildResult:
    report: Report
    config: SiteConfig | None = None
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    copies: dict[str, Path] = field(default_factory=dict)
    output: Path | None = None
    written: bool = False

    @property
    def strict(self) -> bool:
        return bool(self.config and self.config.strict)

    @property
    def failed(self) -> bool:
        return self.report.failed(strict=self.strict)


def load(
    root: Path, options: BuildOptions, report: Report, *, cache: BuildCache | None = None
) -> tuple[SiteConfig | None, Site | None]:
    """Read and check everything, write nothing: config, content, contributors, links."""
    overrides: dict[str, Any] = {}
    if options.base_url is not None:
        overrides["base_url"] = options.base_url
    if options.strict is not None:
        overrides["strict"] = options.strict
    config = load_config(root, report, overrides=overrides)
    if config is None:
        return None, None
    if options.out is not None:
        config = _with_output(config, options.out)
    report.levels = dict(config.checks)

    registry = contributors.load_registry(
        config.contributors_path, config.contributors_file, report
    )
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
    context = fields.PageContext(
        registry=registry,
        default_language=config.language,
        languages=config.language_codes() if len(config.languages) > 1 else (),
        default_license=config.default_license,
        contributors_file=config.contributors_file,
    )
    read = cache.read_page(read_page) if cache else read_page
    pages: list[Page] = []
    for source in sources:
        if not source.is_page:
            continue
        page = read(source, context, report)
        if page is not None:
            pages.append(page)
    attributed = attribution.resolve(pages, config, report)
    assets = [s for s in sources if not s.is_page]
    today = dt.date.today() if options.uncommitted_now else None
    changes = history.read(config, report, enabled=options.git, today=today)
    site = assemble(
        config, pages, assets, registry, attributed, report, drafts=options.drafts, history=changes
    )
    return config, site


def read_page(source: SourceFile, context: fields.PageContext, report: Report) -> Page | None:
    """One Markdown file -> its page; None when it has no usable frontmatter or title."""
    raw = frontmatter.read_page(source, report)
    return fields.parse_page(raw, context, report) if raw is not None else None


def render_markdown(
    site: Site, report: Report, *, cache: BuildCache | None = None, jobs: int = 1
) -> dict[PageId, RenderedPage]:
    # The dev server's cache renders only what changed, in its own process; workers would
    # cost more than they save there (and forking a threaded server is unsafe).
    if cache is None and parallel.use_workers(jobs, len(site.pages)):
        rendered = parallel.render_pages(site, report, jobs=jobs)
    else:
        md = create_markdown()
        render = cache.render_page(site, render_page) if cache else render_page
        rendered = {pid: render(md, site, page, report) for pid, page in site.pages.items()}
    check_anchors(rendered, site, report)
    return rendered


def build(
    root: Path, options: BuildOptions | None = None, *, cache: BuildCache | None = None
) -> BuildResult:
    """Build the site in ``root``. Raises ConfigMissing and OutputRefused (usage errors).

    With a ``cache`` (the dev server keeps one), the stages reuse what the last build
    computed from the same inputs; the result is the same as without.
    """
    options = options or BuildOptions()
    report = Report()
    result = BuildResult(report)
    config, site = load(root, options, report, cache=cache)
    result.config, result.site = config, site
    if config is None or site is None:
        return result
    result.output = config.output_path
    if options.write:
        check_output_location(config)
    jobs = options.jobs if options.jobs is not None else parallel.default_jobs()
    rendered = render_markdown(site, report, cache=cache, jobs=jobs)
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
    job_renderer = cache.render_job(render.render_job) if cache else None
    files = render.render_site(site, rendered, env, report, job_renderer=job_renderer)
    copies = _copies(config, site, theme, report)
    clash = sorted(set(files) & set(copies))
    for out_path in clash:
        report.error(
            "commonsgen.yml",
            None,
            None,
            "url-collision",
            f"'{out_path}' is both a page and a copied file",
            "rename the file in static/ or content/",
        )
    result.files, result.copies = files, copies
    if result.failed or not options.write:
        return result
    output.write_site(config.output_path, files, copies)
    result.written = True
    log.debug("wrote %d pages and %d files to %s", len(files), len(copies), config.output_path)
    return result


def _copies(config: SiteConfig, site: Site, theme: render.Theme, report: Report) -> dict[str, Path]:
    """Files published as they are: theme static files, the site's static/, content assets."""
    copies: dict[str, Path] = dict(theme.static_files())
    if config.static_path.is_dir():
        for source in discover.discover(config.static_path, config.root, report):
            copies[source.rel_path] = source.abs_path
    for asset in site.assets.values():
        if asset.url in copies and not asset.url.startswith(render.THEME_STATIC_PREFIX):
            report.error(
                asset.source.site_path,
                None,
                None,
                "url-collision",
                f"'{asset.url}' is also in static/",
                "keep one of the two files",
            )
        copies[asset.url] = asset.source.abs_path
    return dict(sorted(copies.items()))


def check_output_location(config: SiteConfig) -> None:
    """Raise OutputRefused when replacing the output folder would touch the user's files."""
    output.check_location(
        config.output_path,
        site_root=config.root,
        protected={
            "content": config.content_path,
            "templates": config.templates_path,
            "static": config.static_path,
        },
    )


def _with_output(config: SiteConfig, out: Path) -> SiteConfig:
    absolute = out if out.is_absolute() else Path.cwd() / out
    return replace(config, output_dir=str(absolute.resolve()))
