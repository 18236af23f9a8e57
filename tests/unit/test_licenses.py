"""The registry and CC's adaptation rules, checked against a table written from CC's pages."""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from commonsgen.licenses import (
    REGISTRY,
    REGISTRY_LIST,
    SPDX_LIST_VERSION,
    License,
    Verdict,
    adaptation_ruling,
    licenses_satisfying,
    lookup,
)

TABLE = Path(__file__).parent.parent / "cases" / "licences.txt"
CC_FAMILIES = ("CC-BY", "CC-BY-SA", "CC-BY-NC", "CC-BY-NC-SA", "CC-BY-ND", "CC-BY-NC-ND")


def column(lic: License) -> str:
    return {"CC0": "CC0", "PDM": "PDM", "GPL-3.0": "GPL", "LAL": "LAL"}.get(
        lic.family, lic.family[3:]
    )


def chart() -> dict[tuple[str, str], str]:
    rows = [
        line.split() for line in TABLE.read_text().splitlines() if line and not line.startswith("#")
    ]
    header, body = rows[0][1:], rows[1:]
    return {(row[0], col): cell for row in body for col, cell in zip(header, row[1:], strict=True)}


def expected(source: License, adapted: License, cells: dict[tuple[str, str], str]) -> Verdict:
    cell = cells[(column(source), column(adapted))]
    version = tuple(int(n) for n in source.version.split("."))
    adapted_version = tuple(int(n) for n in adapted.version.split("."))
    if cell == "V":
        ok = adapted_version == version or (source.version != "1.0" and adapted_version > version)
        cell = "A" if ok else "R"
    elif cell == "C":
        ok = adapted.id == "CC-BY-SA-4.0" if source.family == "LAL" else source.id == "CC-BY-SA-4.0"
        cell = "A" if ok else "R"
    elif cell == "G":
        cell = "A" if adapted.id == source.id or source.id == "GPL-3.0-or-later" else "R"
    return {"A": Verdict.ALLOWED, "W": Verdict.DISCOURAGED, "R": Verdict.REFUSED}[cell]


def test_every_ordered_pair_follows_the_chart():
    cells = chart()
    wrong = []
    for source in REGISTRY_LIST:
        for adapted in REGISTRY_LIST:
            want = expected(source, adapted, cells)
            got = adaptation_ruling(source, adapted).verdict
            if got != want:
                wrong.append(f"{source.id} -> {adapted.id}: expected {want}, got {got}")
    assert wrong == [], "\n".join(wrong)
    assert len(REGISTRY_LIST) ** 2 == 1225


def test_registry_has_every_generic_version_on_the_spdx_list():
    assert SPDX_LIST_VERSION
    for family in CC_FAMILIES:
        assert [
            lid
            for lid in REGISTRY
            if lid.startswith(family + "-") and lid[len(family) + 1].isdigit()
        ] == [f"{family}-{v}" for v in ("4.0", "3.0", "2.5", "2.0", "1.0")]
    for extra in ("CC0-1.0", "CC-PDM-1.0", "GPL-3.0-only", "GPL-3.0-or-later", "LAL-1.3"):
        assert extra in REGISTRY
    assert len(REGISTRY) == len(REGISTRY_LIST) == 35


def test_entries_know_their_names_urls_and_terms():
    by_sa = REGISTRY["CC-BY-SA-4.0"]
    assert by_sa.name == "Creative Commons Attribution-ShareAlike 4.0 International"
    assert by_sa.short_name == "CC BY-SA 4.0"
    assert by_sa.deed_url == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert by_sa.legal_url == "https://creativecommons.org/licenses/by-sa/4.0/legalcode"
    assert (by_sa.terms.attribution, by_sa.terms.share_alike, by_sa.terms.non_commercial) == (
        True,
        True,
        False,
    )
    assert (
        REGISTRY["CC-BY-NC-ND-1.0"].deed_url == "https://creativecommons.org/licenses/by-nd-nc/1.0/"
    )
    assert REGISTRY["CC-BY-ND-3.0"].name == "Creative Commons Attribution-NoDerivs 3.0 Unported"
    assert REGISTRY["CC0-1.0"].terms.public_domain and REGISTRY["CC-PDM-1.0"].legal_url is None
    for lic in REGISTRY_LIST:
        assert lic.deed_url.startswith("https://")
        assert lic.is_cc == (lic.family not in ("GPL-3.0", "LAL"))


def test_lookup_understands_common_spellings():
    for written, want in [
        ("CC BY-SA 4.0", "CC-BY-SA-4.0"),
        ("cc-by-sa-4.0", "CC-BY-SA-4.0"),
        ("CC BY SA 4.0", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/", "CC-BY-SA-4.0"),
        ("http://creativecommons.org/licenses/by/3.0", "CC-BY-3.0"),
        ("https://creativecommons.org/licenses/by-nc/4.0/legalcode.en", "CC-BY-NC-4.0"),
        ("https://creativecommons.org/licenses/by-sa/4.0/deed.de", "CC-BY-SA-4.0"),
        ("https://creativecommons.org/licenses/by-nd-nc/1.0/", "CC-BY-NC-ND-1.0"),
        ("CC-BY-ND-NC-1.0", "CC-BY-NC-ND-1.0"),
        ("https://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
        ("CC0", "CC0-1.0"),
        ("Public Domain Mark", "CC-PDM-1.0"),
        ("FAL-1.3", "LAL-1.3"),
    ]:
        found = lookup(written)
        assert found.license is not None and found.license.id == want, written
        assert not found.exact
    assert lookup("CC-BY-SA-4.0").exact


def test_unknown_ids_suggest_the_nearest():
    assert lookup("CC-BY-SA-4").suggestions[0] == "CC-BY-SA-4.0"
    assert lookup("CC-BY-SA-4").license is None
    assert lookup("CC-BY-SA-4.O").suggestions[0] == "CC-BY-SA-4.0"
    assert lookup("MIT").license is None


def test_every_ruling_explains_itself():
    for source in REGISTRY_LIST:
        for adapted in REGISTRY_LIST:
            ruling = adaptation_ruling(source, adapted)
            assert ruling.url.startswith("https://creativecommons.org/")
            if ruling.verdict is not Verdict.ALLOWED:
                assert ruling.rule and ruling.code != "allowed"


licences = st.sampled_from(REGISTRY_LIST)


@given(st.lists(licences, min_size=2, max_size=6))
def test_chains(chain):
    """Along a chain of adaptations: a refused step anywhere is found; ND is never adapted;
    NC is never dropped; ShareAlike never goes back to an older or weaker licence."""
    verdicts = [adaptation_ruling(a, b).verdict for a, b in itertools.pairwise(chain)]
    if all(v is not Verdict.REFUSED for v in verdicts):
        for source, later in (
            (chain[i], chain[j]) for i in range(len(chain)) for j in range(i + 1, len(chain))
        ):
            assert not source.terms.no_derivatives
            if source.terms.non_commercial:
                assert later.terms.non_commercial
            if source.terms.share_alike and source.is_cc:
                assert later.terms.share_alike
                if later.family == source.family:
                    assert later.version >= source.version
    for source in chain:
        if source.terms.no_derivatives:
            assert all(
                adaptation_ruling(source, other).verdict is Verdict.REFUSED
                for other in REGISTRY_LIST
            )


@given(st.lists(licences, min_size=1, max_size=4))
def test_licenses_satisfying_agrees_with_the_rulings(sources):
    fitting = set(licenses_satisfying(sources))
    for candidate in REGISTRY_LIST:
        ok = all(adaptation_ruling(s, candidate).verdict is not Verdict.REFUSED for s in sources)
        assert (candidate in fitting) == ok


def test_by_sa_and_by_nc_sa_cannot_be_combined():
    assert licenses_satisfying([REGISTRY["CC-BY-SA-4.0"], REGISTRY["CC-BY-NC-SA-4.0"]]) == ()
    first = licenses_satisfying([REGISTRY["CC-BY-4.0"], REGISTRY["CC-BY-SA-3.0"]])
    assert [lic.id for lic in first[:2]] == ["CC-BY-SA-4.0", "CC-BY-SA-3.0"]
