"""Views + a theme -> the bytes of every output page. Pure: nothing is written here.

The template search path is the site's ``templates/`` folder, then the chosen theme, then
the default theme, so a site overrides one template at a time and a small theme need not
copy the rest. Autoescape is on and undefined values are errors.
"""

from __future__ import annotations

import functools
import html as htmllib
import os
import re
import types
from collections.abc import Callable, Container, Iterable, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

import jinja2
import jinja2.sandbox

from commonsgen import i18n, urls
from commonsgen.diagnostics import Report
from commonsgen.markdown.html import Engine, RenderedPage, caption_words, create_markdown
from commonsgen.model import Page, PageId
from commonsgen.outputs import cite, credits, feeds, redirects, search, status, views
from commonsgen.site import (
    CONTRIBUTORS_URL,
    LICENSES_URL,
    ROBOTS_PATH,
    SITEMAP_PATH,
    TAGS_URL,
    Section,
    Site,
)

DEFAULT_THEME = "default"
THEME_STATIC_PREFIX = "theme/"
"""Theme files are published under this folder of the output."""


def builtin_themes_dir() -> Path:
    """The themes shipped with commonsgen.

    A wheel carries them inside the package; a source checkout (an editable install) has
    them at the top of the repository.
    """
    package = Path(__file__).resolve().parent
    for candidate in (package / "themes", package.parent / "themes"):
        if (candidate / DEFAULT_THEME / "templates").is_dir():
            return candidate
    raise RuntimeError(f"commonsgen's themes are missing from {package}; reinstall commonsgen")


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    folders: tuple[Path, ...]
    """The chosen theme first, then the ones it falls back to."""

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return tuple(folder / "templates" for folder in self.folders)

    def static_files(self) -> dict[str, Path]:
        """Output path -> source for every theme static file; the chosen theme wins."""
        files: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            for dirpath, dirnames, filenames in os.walk(static):
                dirnames.sort()
                for name in sorted(filenames):
                    path = Path(dirpath) / name
                    rel = path.relative_to(static).as_posix()
                    files[THEME_STATIC_PREFIX + rel] = path
        return dict(sorted(files.items()))


def resolve_theme(
    site_root: Path, name: str, report: Report, *, key_pos: Any = None
) -> Theme | None:
    """``theme:`` names a built-in theme, a folder under the site's ``themes/``, or a path."""
    builtin = builtin_themes_dir()
    default = builtin / DEFAULT_THEME
    candidates = [site_root / name, site_root / "themes" / name]
    if "/" not in name and "\\" not in name:
        candidates.append(builtin / name)
    for candidate in candidates:
        if (candidate / "templates").is_dir():
            folder = candidate.resolve()
            folders = (folder,) if folder == default.resolve() else (folder, default)
            return Theme(name, folders)
    known = sorted(p.name for p in builtin.iterdir() if (p / "templates").is_dir())
    line, column = (key_pos.line, key_pos.column) if key_pos else (None, None)
    report.error(
        "commonsgen.yml",
        line,
        column,
        "unknown-theme",
        f"theme '{name}' not found (looked for a 'templates' folder in "
        + ", ".join(str(c) for c in candidates)
        + ")",
        "built-in themes: " + ", ".join(known),
    )
    return None


def markdown_engine(site: Site) -> Engine:
    """The site's Markdown engine: its dialect, and the caption words of every language its
    pages are in, from the catalogues of its theme (the default theme's, when the theme
    cannot be found: that error is reported where templates are needed) and its own."""
    config = site.config
    theme = resolve_theme(config.root, config.theme, Report())
    folders = theme.folders if theme is not None else (builtin_themes_dir() / DEFAULT_THEME,)
    catalogue = i18n.Catalogue(i18n.folders(config.root, folders))
    languages = sorted({page.lang for page in site.pages.values()})
    return create_markdown(
        config.markdown, {lang: caption_words(catalogue, lang) for lang in languages}
    )


_DICT_ATTRIBUTES = frozenset(dir(dict))


class _Environment(jinja2.sandbox.ImmutableSandboxedEnvironment):
    """Jinja's sandbox, which looks a view's keys up before its attributes.

    Templates come from pull requests (a site's ``templates/``, a theme), so they run in
    the sandbox: no attribute that starts with an underscore, no function that changes a
    list or dict, no ``str.format`` escape. Views are dicts, and Jinja's attribute-first
    lookup raises and catches an AttributeError for every ``page.title``: a fifth of the
    time templates take. A key of a plain dict is data, never code, so it is returned at
    once; anything else (a name of a dict method such as ``x.items``, any other object)
    goes through the sandbox's own checks."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def make_environment(site_root: Path, theme: Theme) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader([site_root / "templates", *theme.template_dirs])
    env = _Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # An environment lives for one build (serve makes a new one when a template
        # changes), so checking every template's mtime at each include is wasted.
        auto_reload=False,
    )
    catalogue = i18n.Catalogue(i18n.folders(site_root, theme.folders))
    env.globals["t"] = _translator(catalogue)
    env.globals["catalogue"] = catalogue  # for the credit lines of feeds (render_site)
    _add_credit_words(env, catalogue)
    return env


def _translator(catalogue: i18n.Catalogue) -> Callable[..., str]:
    """``t(key)``: an interface string in the language of the page being rendered;
    ``t(key, count=n)`` its form for ``n`` (``key_one`` or ``key``); ``t(key, name=value)``
    with ``{name}`` filled (a value that is HTML, such as a link a macro made, stays HTML)."""

    @jinja2.pass_context
    def t(
        context: jinja2.runtime.Context, key: str, count: int | None = None, **values: Any
    ) -> str:
        lang = context["page"]["lang"]
        if count is None:
            return i18n.fill(catalogue.lookup(lang, key), values)
        return i18n.fill(catalogue.plural(lang, key, count), {"count": count, **values})

    return t


def _add_credit_words(env: jinja2.Environment, catalogue: i18n.Catalogue) -> None:
    """Credits in the language of the page being rendered: ``names`` joins with its "and",
    ``role_list`` names roles in its words, ``attribution(page.attribution)`` is the
    copyable credit line."""

    def words(context: jinja2.runtime.Context) -> credits.Words:
        return functools.partial(catalogue.lookup, context["page"]["lang"])

    @jinja2.pass_context
    def names(context: jinja2.runtime.Context, people: list[str]) -> str:
        return credits.names(people, words(context)("and"))

    @jinja2.pass_context
    def role_list(context: jinja2.runtime.Context, roles: list[str]) -> str:
        lang = context["page"]["lang"]
        return ", ".join(_role_word(catalogue, lang, role) for role in roles)

    @jinja2.pass_context
    def attribution(context: jinja2.runtime.Context, parts: dict[str, Any]) -> str:
        return credits.attribution_line(parts, words(context))

    env.filters["names"] = names
    env.filters["role_list"] = role_list
    env.globals["attribution"] = attribution


def _role_word(catalogue: i18n.Catalogue, lang: str, role: str) -> str:
    try:
        return catalogue.lookup(lang, f"role_{role}")
    except KeyError:  # a role the theme has no word for (accepted with a warning)
        return role


def feed_words(env: jinja2.Environment) -> Callable[[str], credits.Words]:
    """Language code -> the interface strings in it, for words made outside templates
    (credit lines of feeds, the titles and summaries of the pages commonsgen makes)."""
    catalogue: i18n.Catalogue = env.globals["catalogue"]  # type: ignore[assignment]
    return lambda lang: functools.partial(catalogue.lookup, lang)


@dataclass(frozen=True, slots=True)
class Job:
    """One output page: the template to render and the view it is given."""

    out_path: str
    template: str
    view: dict[str, Any] | None
    """None for a page whose view was not made, because the build cache knows its output
    by its inputs; :func:`with_view` makes it when the page must be rendered after all."""
    page: PageId | None = None
    """The page a page's job shows."""


def template_for(site: Site, view: dict[str, Any]) -> str:
    if view["kind"] == "page":
        return page_template(site.pages[view["id"]])
    return f"{view['kind']}.html"


def page_template(page: Page) -> str:
    return page.template or "page.html"


def with_view(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    job: Job,
    page_view: PageView = views.page_view,
) -> Job:
    """``job`` with its view, made now if :func:`plan` left it out."""
    if job.view is not None:
        return job
    assert job.page is not None, "only a page's view is left out"
    view = page_view(site, rendered, site.pages[job.page])
    return Job(job.out_path, job.template, view, job.page)


def plan(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    words: Callable[[str], credits.Words],
    page_view: PageView = views.page_view,
    unviewed: Container[PageId] = frozenset(),
) -> list[Job]:
    """Every page to render, sorted by output path; ``words``: a language's interface
    strings (:func:`feed_words`), for the pages commonsgen makes. ``page_view`` stands in for
    :func:`views.page_view` (the dev server's reuses the views an edit did not change).
    The pages ``unviewed`` get jobs without a view (the build cache knows their output).

    Output is a function of the jobs and the templates alone, which is what lets a rebuild
    skip the jobs whose view did not change.
    """
    found: list[tuple[str, dict[str, Any]]] = []
    jobs: list[Job] = []
    listed = {section.index_page for section in site.sections.values() if section.index_page}
    for page_id, page in site.pages.items():
        if page_id not in listed:
            out_path = urls.out_path(site.page_urls[page_id])
            if page_id in unviewed:
                jobs.append(Job(out_path, page_template(page), None, page_id))
            else:
                found.append((out_path, page_view(site, rendered, page)))
    for section in site.sections.values():
        found += listing(site, rendered, section)
    # The pages made for the whole site are in its language.
    site_words = words(site.config.language)
    if site.people:
        found.append((urls.out_path(CONTRIBUTORS_URL), views.contributors_view(site, site_words)))
        for person in site.people.values():
            view = views.contributor_view(site, person.key, site_words)
            found.append((urls.out_path(person.page_url), view))
    if site.history is not None:
        for page_id in site.pages:
            if site.history_url(page_id) is not None:
                view = views.history_view(site, page_id, words(site.pages[page_id].lang))
                found.append((urls.out_path(view["url"]), view))
    for lang in site.language_roots if site.translation_status else ():
        view = views.translation_status_view(site, lang, words(lang))
        found.append((urls.out_path(view["url"]), view))
    if site.tags:
        found.append((urls.out_path(TAGS_URL), views.tags_view(site, site_words)))
        for key, tag in site.tags.items():
            view = views.tag_view(site, rendered, key, site_words)
            found.append((urls.out_path(tag.url), view))
    if site.licenses_used:
        found.append((urls.out_path(LICENSES_URL), views.licenses_view(site, site_words)))
        for license_id in site.licenses_used:
            view = views.license_page_view(site, license_id, site_words)
            found.append((urls.out_path(view["url"]), view))
    if site.not_found:
        not_found = views.not_found_view(site, site_words)
        found.append((not_found["url"], not_found))
    # a page of the site counts whether or not its view was made (the build cache may
    # know its output already)
    taken = {out for out, _ in found} | {job.out_path for job in jobs}
    for lang in search.languages(site):
        url = search.search_url(site, lang)
        if urls.out_path(url) not in taken:  # a page of the site's own there wins
            view = views.search_view(site, url, lang, words(lang))
            found.append((urls.out_path(url), {**view, "all_pages": search.all_pages(site, lang)}))
    jobs += (job_of(site, out_path, view) for out_path, view in found)
    return sorted(jobs, key=_out_path)


def listing(
    site: Site, rendered: dict[PageId, RenderedPage], section: Section
) -> list[tuple[str, dict[str, Any]]]:
    """A section's listing pages: (output path, view) of the first and of each later one."""
    found = [(section.out_path, views.section_view(site, rendered, section))]
    for number in range(2, site.listing_pages(section.id) + 1):
        view = views.section_view(site, rendered, section, number)
        found.append((urls.out_path(view["url"]), view))
    return found


def job_of(site: Site, out_path: str, view: dict[str, Any]) -> Job:
    page = view["id"] if view["kind"] == "page" else None
    return Job(out_path, template_for(site, view), view, page)


def jobs_of(site: Site, found: Iterable[tuple[str, dict[str, Any]]]) -> list[Job]:
    """Jobs of (output path, view) pairs, sorted by output path."""
    return sorted((job_of(site, out, view) for out, view in found), key=_out_path)


def _out_path(job: Job) -> str:
    return job.out_path


@dataclass(frozen=True, slots=True)
class WrittenFile:
    """An output page a worker process wrote into the staging folder itself."""

    size: int
    data: bytes | None = None
    """Its bytes too, when the caller keeps them (the build cache)."""


class Staging(Protocol):
    """Where :func:`render_site` puts files: a mapping, which may also take files that
    workers wrote themselves."""

    def __setitem__(self, out_path: str, data: bytes, /) -> None: ...

    def adopt(self, out_path: str, size: int) -> None: ...


def render_site(
    site: Site,
    rendered: dict[PageId, RenderedPage],
    env: jinja2.Environment,
    report: Report,
    *,
    keep: Callable[[Job], bool] | None = None,
    render_many: Callable[[list[Job]], Iterable[bytes | WrittenFile | None]] | None = None,
    page_view: PageView = views.page_view,
    unviewed: Container[PageId] = frozenset(),
    indexes: dict[str, search.Index] | None = None,
    into: MutableMapping[str, bytes] | None = None,
) -> MutableMapping[str, bytes]:
    """Output path -> bytes for every page and listing.

    ``render_many`` renders a list of jobs, in order, in place of :func:`render_job` (a
    build's worker processes and caches); a job for which ``keep`` says True is not
    rendered: its file is already in the output folder (the build cache knows).
    ``indexes``, when given, receives each search index by its output path, for the dev
    server to update in place. The files go ``into`` a mapping of the caller's (one that
    writes them to disk as they come, so a build need not hold them all) or a new dict.
    The pages ``unviewed`` get jobs without a view (:func:`plan`), for ``keep`` and
    ``render_many`` to handle.
    """
    files: MutableMapping[str, bytes] = {} if into is None else into
    jobs = plan(site, rendered, feed_words(env), page_view, unviewed)
    todo = [job for job in jobs if keep is None or not keep(job)]
    if render_many is not None:
        outputs = render_many(todo)
    else:
        site_views = SiteViews(site)
        outputs = [
            render_job(site, env, with_view(site, rendered, job, page_view), report, site_views)
            for job in todo
        ]
    for job, html in zip(todo, outputs, strict=True):
        if type(html) is WrittenFile:
            cast(Staging, files).adopt(job.out_path, html.size)
        elif html is not None:
            files[job.out_path] = html
    for job in jobs:
        if job.view is not None and job.view["kind"] == "search":
            index_url = job.view["url"] + search.INDEX_NAME
            lang = job.view["lang"]
            index = search.Index.make(site, rendered, lang)
            for out_path, data in index.files().items():  # one by one: ``files`` may write
                files[out_path] = data
            if indexes is not None:
                indexes[index_url] = index
    files[credits.CREDITS_JSON] = credits.credits_json(
        site, translations=status.translations_json(site)
    )
    if site.config.has_absolute_base:
        files[SITEMAP_PATH] = feeds.sitemap_xml(site)
        entries = feeds.feed_entries(site)
        for section_id in site.feeds:
            feed_url = site.feed_url(section_id)
            assert feed_url is not None
            files[urls.out_path(feed_url)] = feeds.atom_feed(
                site, rendered, section_id, feed_words(env), entries[section_id]
            )
    if site.robots:
        files[ROBOTS_PATH] = feeds.robots_txt(site)
    for old, new in site.redirects.items():
        files[urls.out_path(old)] = redirects.redirect_page(site, old, new)
    if cite.writes_citation(site):
        files[cite.CITATION_PATH] = cite.citation_cff(site, credits.creators)
    return files


def render_job(
    site: Site,
    env: jinja2.Environment,
    job: Job,
    report: Report,
    site_views: SiteViews | None = None,
) -> bytes | None:
    """A job's page; give the same ``site_views`` to every job rendered with one site."""
    assert job.view is not None, "a job left without its view is given one to render"
    html = render_view(site, env, job.template, job.view, report, site_views)
    return without_control(html.encode("utf-8")) if html is not None else None


_C0 = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
"""C0 control characters but tab and line ends (in UTF-8 they are these bytes alone)."""


def without_control(data: bytes) -> bytes:
    """A page without control characters, whatever a template or a value it printed held:
    their sources are reported where they are written (frontmatter, YAML files); this is
    the backstop for the rest (a theme, a git author's name). About 0.6 µs a kilobyte."""
    clean = data.translate(None, _C0)
    return clean if len(clean) != len(data) else data


JobRenderer = Callable[[Site, jinja2.Environment, Job, Report], "bytes | None"]
PageView = Callable[[Site, dict[PageId, RenderedPage], Page], dict[str, Any]]


class SiteViews:
    """The site's view in each language, made once for all the pages rendered with it:
    it is the same for every page of a language (title, languages, navigation, licence)."""

    __slots__ = ("_views", "site")

    def __init__(self, site: Site) -> None:
        self.site = site
        self._views: dict[str, dict[str, Any]] = {}

    def __call__(self, lang: str) -> dict[str, Any]:
        view = self._views.get(lang)
        if view is None:
            view = self._views[lang] = views.site_view(self.site, lang)
        return view


def template_context(
    site: Site, view: dict[str, Any], site_views: SiteViews | None = None
) -> dict[str, Any]:
    """All a template sees besides the environment: with the template's name it decides
    the output, which is what lets a rebuild skip the pages whose context is unchanged.
    ``site_views``: the site's views of the pages rendered together (made here if not)."""
    if "root" in view:  # served at any URL (the 404 page): links from the site's top
        link = functools.partial(views.rooted, view["root"])
        theme_link = functools.partial(_rooted_theme_url, view["root"])
    else:
        link = functools.partial(urls.relative, view["url"])
        theme_link = functools.partial(_theme_url, view["url"])
    context = {
        "site": site_views(view["lang"]) if site_views else views.site_view(site, view["lang"]),
        "page": view,
        "url": link,
        "theme_url": theme_link,
    }
    if "root" in view:
        # Also a link from where the page is written, for its folder served at a host's
        # top (a preview, ``python3 -m http.server``) rather than at the site's root.
        context["local_theme_url"] = functools.partial(_theme_url, view["url"])
    return context


def render_view(
    site: Site,
    env: jinja2.Environment,
    name: str,
    view: dict[str, Any],
    report: Report,
    site_views: SiteViews | None = None,
) -> str | None:
    context = template_context(site, view, site_views)
    try:
        template = env.get_template(name)
        html = template.render(context)
        refused = refused_link(html)
        if refused is None:
            return html
        report.error(
            _template_path(site, template.filename, name),
            None,
            None,
            "bad-url",
            f"rendering {view['source'] or view['url'] or 'the home page'}: the template put "
            f"{refused} into a page; only web addresses, mailto: and the site's own links "
            "may be a link or a source",
            "a value the template prints there is not a web address: check the page's "
            "frontmatter and the template",
        )
    except jinja2.TemplateSyntaxError as exc:
        report.error(
            _template_path(site, exc.filename, exc.name),
            exc.lineno,
            None,
            "template-syntax",
            f"template syntax error: {exc.message}",
            "fix the template; see https://jinja.palletsprojects.com/templates/",
        )
    except jinja2.TemplateNotFound as exc:
        where = view["source"] or "commonsgen.yml"
        report.error(
            where,
            None,
            None,
            "template-not-found",
            f"template '{exc.name}' not found",
            "searched: " + ", ".join(str(p) for p in env.loader.searchpath),  # type: ignore[union-attr]
        )
    except jinja2.sandbox.SecurityError as exc:
        filename, line = _template_frame(exc.__traceback__, env)
        report.error(
            _template_path(site, filename, name),
            line,
            None,
            "template-unsafe",
            f"the template tried something the sandbox forbids: {exc}",
            "templates run in a sandbox: they can print and loop over the page's values, "
            "but not reach Python internals (names starting with '_') or change values",
        )
    except (
        jinja2.TemplateError,
        # A theme's expression that fails at run time ({{ 1 / 0 }}, an include of itself)
        # is a mistake in the theme too, reported at its line.
        TypeError,
        ValueError,
        ArithmeticError,
        LookupError,
        RecursionError,
    ) as exc:
        filename, line = _template_frame(exc.__traceback__, env)
        undefined = isinstance(exc, jinja2.TemplateError)
        report.error(
            _template_path(site, filename, name),
            line,
            None,
            "template-error",
            f"rendering {view['source'] or view['url'] or 'the home page'} failed: "
            + (str(exc) if undefined else f"{type(exc).__name__}: {exc}"),
            "the template uses a value the page does not have; check its spelling"
            if undefined
            else "fix the expression on this line of the template",
        )
    return None


_URL_ATTRIBUTE = re.compile(
    r"""[\s"'/](href|src|action|formaction|poster|xlink:href|background)\s*=\s*"""
    r"""(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""",
)
"""Over the page in lower case: three times as fast as a case-blind pattern."""
_IGNORED_IN_URL = re.compile(r"[\t\n\r]")
"""Characters a browser drops from a URL before it reads the scheme."""
_C0_OR_SPACE = "".join(map(chr, range(0x21)))
"""What a browser strips from the start of a URL."""
_SAFE_SCHEMES = frozenset(urls.LINK_SCHEMES)
_DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|avif);base64,", re.IGNORECASE)


def refused_link(html: str) -> str | None:
    """The first link or source in ``html`` that a browser would run or that reads
    something other than the web (``javascript:``, ``vbscript:``, ``data:`` other than
    an image, ``file:`` ...), described; None when there is none. The backstop behind
    every URL field's own check: whatever a template prints into ``href`` or ``src``."""
    for match in _URL_ATTRIBUTE.finditer(html.lower()):
        attribute = match.group(1)
        value = match.group(2) if match.group(2) is not None else match.group(3) or match.group(4)
        if value is None or (":" not in value and "&" not in value):
            continue
        url = _IGNORED_IN_URL.sub("", htmllib.unescape(value)).lstrip(_C0_OR_SPACE)
        if not urls.has_scheme(url):
            continue
        scheme = url.split(":", 1)[0].strip()
        if scheme in _SAFE_SCHEMES or (attribute == "src" and _DATA_IMAGE.match(url)):
            continue
        shown = url if len(url) <= 60 else url[:57] + "..."
        return f'{attribute}="{shown}"'
    return None


def _theme_url(from_url: str, path: str) -> str:
    return urls.relative(from_url, THEME_STATIC_PREFIX + path)


def _rooted_theme_url(root: str, path: str) -> str:
    return views.rooted(root, THEME_STATIC_PREFIX + path)


def _template_frame(
    tb: types.TracebackType | None, env: jinja2.Environment
) -> tuple[str | None, int | None]:
    """The innermost traceback frame that belongs to a template file."""
    roots = [str(p) for p in env.loader.searchpath]  # type: ignore[union-attr]
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(root) for root in roots):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _template_path(site: Site, filename: str | None, name: str | None) -> str:
    if filename:
        try:
            return Path(filename).resolve().relative_to(site.config.root).as_posix()
        except ValueError:
            return filename
    return name or "<template>"
