"""Pages that say where a page moved: a tiny HTML document for every old URL the site keeps
(``Site.redirects``), which static hosts serve as they are."""

from __future__ import annotations

from html import escape

from commonsgen import urls
from commonsgen.site import Site


def redirect_page(site: Site, old: str, new: str) -> bytes:
    """An HTML page at ``old`` that sends readers to ``new`` (both site URLs): a refresh
    for browsers, a canonical link for search engines, and a plain link for everyone."""
    href = escape(urls.relative(old, new))
    canonical = (
        escape(urls.absolute(site.config.base_url, new)) if site.config.has_absolute_base else href
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(site.config.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{escape(site.config.title)}</title>\n"
        f'<link rel="canonical" href="{canonical}">\n'
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        "</head>\n"
        f'<body><p><a href="{href}">{href}</a></p></body>\n'
        "</html>\n"
    ).encode()
