"""The licence registry and the adaptation rules Creative Commons publishes. Data, no I/O.

Registry: the generic (unported) versions of the six CC licences that exist on the SPDX
licence list, CC0, the Public Domain Mark, and the outside licences an adaptation of CC BY-SA
4.0 may be released under. Facts checked against SPDX licence list 3.26 (the ids, including
``CC-PDM-1.0``) and creativecommons.org's URL scheme (the 1.0 BY-NC-ND deed lives at
``/licenses/by-nd-nc/1.0/``).

Rules, from:

- CC's FAQ, "If I derive or adapt material offered under a Creative Commons license, which CC
  license(s) can I use?" and its Adapter's License Chart:
  https://creativecommons.org/faq/#if-i-derive-or-adapt-material-offered-under-a-creative-commons-license-which-cc-licenses-can-i-use
- CC's compatible licences page (BY-SA 4.0 -> GPLv3 one way, 2015; BY-SA 4.0 <-> Free Art
  Licence 1.3, 2014): https://creativecommons.org/compatiblelicenses
- the ShareAlike clauses of the legal codes: BY-SA and BY-NC-SA from 2.0 on allow "this version
  or later"; 1.0 only the same licence.

One table row per source licence family says which adapter licences are allowed; cells CC's
chart marks "allowed, but not recommended" are DISCOURAGED (a warning). A translation is an
adaptation (4.0 definition of Adapted Material).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from commonsgen.diagnostics import did_you_mean

SPDX_LIST_VERSION = "3.26"
CHART_URL = (
    "https://creativecommons.org/faq/#if-i-derive-or-adapt-material-offered-under-a-"
    "creative-commons-license-which-cc-licenses-can-i-use"
)
COMPATIBLE_URL = "https://creativecommons.org/compatiblelicenses"


@dataclass(frozen=True, slots=True)
class Terms:
    attribution: bool
    share_alike: bool
    non_commercial: bool
    no_derivatives: bool
    public_domain: bool


@dataclass(frozen=True, slots=True)
class License:
    id: str
    """SPDX id."""
    name: str
    short_name: str
    version: str
    family: str
    """"CC-BY-SA", "CC0", "PDM", "GPL-3.0", "LAL" ..., versions aside."""
    deed_url: str
    legal_url: str | None
    terms: Terms

    @property
    def is_cc(self) -> bool:
        return self.family.startswith("CC") or self.family == "PDM"


_ELEMENTS = {
    "CC-BY": ("Attribution", "by"),
    "CC-BY-SA": ("Attribution-ShareAlike", "by-sa"),
    "CC-BY-NC": ("Attribution-NonCommercial", "by-nc"),
    "CC-BY-NC-SA": ("Attribution-NonCommercial-ShareAlike", "by-nc-sa"),
    "CC-BY-ND": ("Attribution-NoDerivatives", "by-nd"),
    "CC-BY-NC-ND": ("Attribution-NonCommercial-NoDerivatives", "by-nc-nd"),
}
_VERSIONS = ("4.0", "3.0", "2.5", "2.0", "1.0")
_SUFFIX = {
    "4.0": "International",
    "3.0": "Unported",
    "2.5": "Generic",
    "2.0": "Generic",
    "1.0": "Generic",
}


def _cc(family: str, version: str) -> License:
    words, slug = _ELEMENTS[family]
    if family == "CC-BY-NC-ND" and version == "1.0":
        slug = "by-nd-nc"  # the 1.0 licence put the elements the other way round
    if version != "4.0":
        words = words.replace("NoDerivatives", "NoDerivs")
    deed = f"https://creativecommons.org/licenses/{slug}/{version}/"
    return License(
        id=f"{family}-{version}",
        name=f"Creative Commons {words} {version} {_SUFFIX[version]}",
        short_name=f"CC {family[3:]} {version}",
        version=version,
        family=family,
        deed_url=deed,
        legal_url=deed + "legalcode",
        terms=Terms(
            attribution=True,
            share_alike="SA" in family,
            non_commercial="NC" in family,
            no_derivatives="ND" in family,
            public_domain=False,
        ),
    )


_COPYLEFT = Terms(True, True, False, False, False)
REGISTRY_LIST: tuple[License, ...] = (
    *(_cc(family, version) for family in _ELEMENTS for version in _VERSIONS),
    License(
        "CC0-1.0",
        "Creative Commons Zero v1.0 Universal",
        "CC0 1.0",
        "1.0",
        "CC0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "https://creativecommons.org/publicdomain/zero/1.0/legalcode",
        Terms(False, False, False, False, True),
    ),
    License(
        "CC-PDM-1.0",
        "Creative Commons Public Domain Mark 1.0 Universal",
        "Public Domain Mark 1.0",
        "1.0",
        "PDM",
        "https://creativecommons.org/publicdomain/mark/1.0/",
        None,  # a label, not a licence: there is no legal code
        Terms(False, False, False, False, True),
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
        "Licence Art Libre 1.3 (Free Art License 1.3)",
        "Free Art License 1.3",
        "1.3",
        "LAL",
        "https://artlibre.org/licence/lal/en/",
        "https://artlibre.org/licence/lal/en/",
        _COPYLEFT,
    ),
)
REGISTRY: dict[str, License] = {lic.id: lic for lic in REGISTRY_LIST}


@dataclass(frozen=True, slots=True)
class Lookup:
    license: License | None
    exact: bool
    """True when written as the SPDX id; False when another spelling was understood."""
    suggestions: tuple[str, ...] = ()


_BY_FOLDED = {lic.id.casefold(): lic for lic in REGISTRY_LIST}
_ALIASES = {
    "cc0": "CC0-1.0",
    "cc-zero": "CC0-1.0",
    "publicdomainmark": "CC-PDM-1.0",
    "pdm": "CC-PDM-1.0",
    "pdm-1.0": "CC-PDM-1.0",
    "cc-by-nd-nc-1.0": "CC-BY-NC-ND-1.0",
    "fal-1.3": "LAL-1.3",
    "freeartlicense1.3": "LAL-1.3",
    "gplv3": "GPL-3.0-only",
    "gpl-3.0": "GPL-3.0-only",
    "gplv3+": "GPL-3.0-or-later",
    "gpl-3.0+": "GPL-3.0-or-later",
}
_URL = re.compile(
    r"^(?:https?://)?(?:www\.)?creativecommons\.org/"
    r"(?:licenses/(?P<slug>[a-z-]+)/(?P<version>\d\.\d)|publicdomain/(?P<pd>zero|mark)/1\.0)"
    r"(?:/(?:legalcode(?:\.[a-z-]+)?|deed(?:\.[a-zA-Z-]+)?)?)?/?$"
)


def lookup(text: str) -> Lookup:
    """Find a licence by SPDX id, by a common spelling, or by its deed or legal-code URL."""
    written = text.strip()
    if written in REGISTRY:
        return Lookup(REGISTRY[written], True)
    found = _understand(written)
    if found is not None:
        return Lookup(found, False)
    return Lookup(None, False, tuple(_nearest(written)))


def _understand(written: str) -> License | None:
    match = _URL.match(written.lower())
    if match:
        if match.group("pd"):
            return REGISTRY["CC0-1.0" if match.group("pd") == "zero" else "CC-PDM-1.0"]
        slug = "by-nc-nd" if match.group("slug") == "by-nd-nc" else match.group("slug")
        return REGISTRY.get(f"CC-{slug.upper()}-{match.group('version')}")
    folded = written.casefold()
    if folded in _BY_FOLDED:
        return _BY_FOLDED[folded]
    squeezed = re.sub(r"[\s_]+", "-", folded)
    squeezed = re.sub(r"^creative-commons-", "cc-", squeezed)
    squeezed = re.sub(r"-v(?=\d)", "-", squeezed)
    if squeezed in _BY_FOLDED:
        return _BY_FOLDED[squeezed]
    compact = squeezed.replace("-", "")
    for key, target in _ALIASES.items():
        if squeezed == key or compact == key.replace("-", ""):
            return REGISTRY[target]
    return None


def _nearest(written: str) -> list[str]:
    """Registry ids closest to a misspelling, the likeliest first."""
    key = re.sub(r"[\s_]+", "-", written.strip()).upper()
    prefixed = [lid for lid in REGISTRY if lid.startswith(key)] if len(key) >= 5 else []
    if prefixed:
        return sorted(prefixed, key=lambda lid: (len(lid), lid != f"{key}.0"))[:3]
    return did_you_mean(key, REGISTRY)


class Verdict(StrEnum):
    ALLOWED = "allowed"
    DISCOURAGED = "discouraged"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class Ruling:
    verdict: Verdict
    rule: str
    """The rule in plain words, for an editor."""
    code: str
    """Stable diagnostic code: allowed, discouraged-combination, nd-source, sa-downgrade,
    sa-older-version, nc-dropped, public-domain-adaptation, copyleft-source."""
    url: str


_ALLOWED = Ruling(Verdict.ALLOWED, "allowed", "allowed", CHART_URL)


def _version(lic: License) -> tuple[int, ...]:
    return tuple(int(part) for part in lic.version.split("."))


def adaptation_ruling(source: License, adapted: License) -> Ruling:
    """May a work under ``source`` be adapted (or translated) into one under ``adapted``?"""
    s, a = source.terms, adapted.terms
    if s.public_domain:
        return _ALLOWED
    if s.no_derivatives:
        return Ruling(
            Verdict.REFUSED,
            f"material under {source.short_name} may not be adapted at all "
            "(a translation is an adaptation); it may only be shared unchanged",
            "nd-source",
            CHART_URL,
        )
    if not source.is_cc:
        # GPL and the Free Art Licence are copyleft: adaptations stay under the same licence
        # (GPL "or later" may be narrowed to v3 only; FAL 1.3 and BY-SA 4.0 are compatible).
        allowed = {source.id}
        if source.id == "GPL-3.0-or-later":
            allowed.add("GPL-3.0-only")
        if source.id == "LAL-1.3":
            allowed.add("CC-BY-SA-4.0")
        if adapted.id in allowed:
            return _ALLOWED
        return Ruling(
            Verdict.REFUSED,
            f"adaptations of {source.short_name} material must be released under "
            + " or ".join(sorted(REGISTRY[lid].short_name for lid in allowed)),
            "copyleft-source",
            COMPATIBLE_URL,
        )
    if a.public_domain:
        return Ruling(
            Verdict.REFUSED,
            "an adaptation cannot be put in the public domain while the source's conditions "
            f"({source.short_name}) still apply to it",
            "public-domain-adaptation",
            CHART_URL,
        )
    if s.share_alike:
        return _share_alike(source, adapted)
    if s.non_commercial and not a.non_commercial:
        return Ruling(
            Verdict.REFUSED,
            f"adaptations of {source.short_name} material must keep the NonCommercial "
            "condition: use a licence with NC",
            "nc-dropped",
            CHART_URL,
        )
    if not adapted.is_cc:
        # BY material under a copyleft licence: BY 4.0 §3(a)(4) allows any adapter's licence
        # that does not stop re-users from giving credit; CC's chart does not list these.
        return Ruling(
            Verdict.DISCOURAGED,
            f"CC's chart does not cover releasing adaptations of {source.short_name} material "
            f"under {adapted.short_name}; keep crediting the source",
            "discouraged-combination",
            CHART_URL,
        )
    if a.no_derivatives and not s.no_derivatives:
        # The chart allows it, but marks it "not recommended": the adaptation could then not
        # be adapted again although its source could.
        return Ruling(
            Verdict.DISCOURAGED,
            f"CC advises against releasing adaptations of {source.short_name} material under "
            f"a NoDerivatives licence such as {adapted.short_name}",
            "discouraged-combination",
            CHART_URL,
        )
    return _ALLOWED


def _share_alike(source: License, adapted: License) -> Ruling:
    later_clause = source.version != "1.0"
    if adapted.family == source.family:
        if adapted.version == source.version:
            return _ALLOWED
        if later_clause and _version(adapted) > _version(source):
            return _ALLOWED
        if not later_clause:
            rule = f"{source.short_name} allows adaptations only under {source.short_name} itself"
        else:
            rule = (
                f"adaptations of {source.short_name} material must use {source.family[3:]} "
                f"{source.version} or a later version, not an older one"
            )
        return Ruling(Verdict.REFUSED, rule, "sa-older-version", CHART_URL)
    if source.id == "CC-BY-SA-4.0" and adapted.family in ("GPL-3.0", "LAL"):
        return _ALLOWED  # declared compatible by CC (GPLv3 one way, FAL 1.3)
    if source.terms.non_commercial:
        rule = (
            f"adaptations of {source.short_name} material must be released under "
            f"CC BY-NC-SA {source.version} or a later version"
        )
    else:
        compatible = " or a licence CC declared compatible (GPLv3, Free Art License 1.3)"
        rule = (
            f"adaptations of {source.short_name} material must be released under "
            f"CC BY-SA {source.version}"
            + (" or a later version" if later_clause else "")
            + (compatible if source.id == "CC-BY-SA-4.0" else "")
        )
    return Ruling(Verdict.REFUSED, rule, "sa-downgrade", COMPATIBLE_URL)


def _preference(lic: License) -> tuple[int, tuple[int, ...], str]:
    return (0 if lic.is_cc else 1, tuple(-n for n in _version(lic)), lic.id)


def licenses_satisfying(sources: Iterable[License]) -> tuple[License, ...]:
    """Every licence an adaptation of all ``sources`` together may be released under."""
    wanted = list(sources)
    fitting = [
        lic
        for lic in REGISTRY_LIST
        if all(adaptation_ruling(src, lic).verdict is not Verdict.REFUSED for src in wanted)
    ]
    return tuple(sorted(fitting, key=_preference))
