import functools
import json

from commonsgen import i18n
from commonsgen.build import BuildOptions, build
from commonsgen.outputs import credits
from commonsgen.render import builtin_themes_dir
from tests.conftest import page

FILES = {
    "commonsgen.yml": "title: Handbook\nbase_url: https://example.org/hb/\ndefault_license: CC-BY-SA-4.0\n",
    "contributors.yml": "ada:\n  name: Ada Mensah\n  orcid: 0000-0002-1825-0097\n  url: https://ada.example.org\nlin:\n  name: Lin Zhou\n",
    "content/probe.md": page(
        "title: The probe\ncontributors: [ada]\nlicense: CC-BY-4.0\ndate: 2026-03-01\n"
        "derived_from:\n  - title: Field guide\n    author: Jane Doe\n    url: https://example.net/g\n"
        "    license: CC0-1.0\n    changes: shortened\n"
        "media:\n  - file: img/p.svg\n    title: Probe drawing\n    author: Kim Lee\n    license: CC-BY-4.0",
        "Text.\n\n![A probe](img/p.svg)\n",
    ),
    "content/img/p.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/de/probe.md": page(
        "title: Die Sonde\nlang: de\ncontributors: [{id: lin, roles: [translator]}]\ntranslation_of: ../probe.md"
    ),
}


def built(make_site):
    result = build(make_site(FILES), BuildOptions(write=False))
    assert not result.report.items, result.report.sorted()
    return result


def ld_of(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_jsonld_of_an_adaptation_and_a_translation(make_site):
    result = built(make_site)
    ld = ld_of(result.files["probe/index.html"].decode())
    assert ld["@type"] == "Article" and ld["name"] == "The probe"
    assert ld["url"] == "https://example.org/hb/probe/"
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["author"] == [
        {
            "@type": "Person",
            "name": "Ada Mensah",
            "url": "https://ada.example.org",
            "sameAs": "https://orcid.org/0000-0002-1825-0097",
        }
    ]
    assert ld["isBasedOn"] == [
        {
            "@type": "CreativeWork",
            "name": "Field guide",
            "url": "https://example.net/g",
            "license": "https://creativecommons.org/publicdomain/zero/1.0/",
            "author": [{"@type": "Person", "name": "Jane Doe"}],
        }
    ]
    assert ld["datePublished"] == "2026-03-01" and ld["inLanguage"] == "en"
    de = ld_of(result.files["de/probe/index.html"].decode())
    assert de["translationOfWork"]["url"] == "https://example.org/hb/probe/"
    assert de["contributor"][0]["name"] == "Lin Zhou" and de["translator"][0]["name"] == "Lin Zhou"


def test_credits_block_rdfa_figure_and_copyable_text(make_site):
    html = built(make_site).files["de/probe/index.html"].decode()
    assert '<link rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">' in html
    assert (
        'rel="license" href="https://creativecommons.org/licenses/by-sa/4.0/">CC BY-SA 4.0</a>'
        in html
    )
    # The copyable credit is in the page's language, German here (the theme's catalogue).
    text = html.split('<p class="attribution-text" id="attribution-text">')[1].split("</p>")[0]
    # Lin only translated it: the credit still names the original's author.
    assert text == (
        "„Die Sonde“ von Ada Mensah, übersetzt von Lin Zhou, https://example.org/hb/de/probe/, "
        "ist lizenziert "
        "unter CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). "
        "„Die Sonde“ ist übersetzt aus „The probe“ von Ada Mensah, https://example.org/hb/probe/, "
        "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/). "
        "„The probe“ ist bearbeitet nach „Field guide“ von Jane Doe, https://example.net/g, "
        "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/). Änderungen: shortened."
    )
    probe = built(make_site).files["probe/index.html"].decode()
    english = probe.split('<p class="attribution-text" id="attribution-text">')[1].split("</p>")[0]
    assert english == (
        "“The probe” by Ada Mensah, https://example.org/hb/probe/, is licensed under CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/). "
        "“The probe” is adapted from “Field guide” by Jane Doe, https://example.net/g, "
        "CC0 1.0 (https://creativecommons.org/publicdomain/zero/1.0/). Changes: shortened."
    )
    assert (
        '<figure class="media">\n<img src="../img/p.svg" alt="A probe" />\n<figcaption>Probe drawing by Kim Lee, <a'
        in probe
    )


def test_credits_json_is_stable_and_complete(make_site):
    result = built(make_site)
    data = json.loads(result.files["credits.json"])
    assert (
        data["schema"] == "commonsgen-credits" and data["version"] == credits.CREDITS_SCHEMA_VERSION
    )
    probe = next(w for w in data["works"] if w["id"] == "probe.md")
    assert probe["license"] == "CC-BY-4.0"
    assert probe["contributors"] == [{"key": "ada", "name": "Ada Mensah", "roles": ["author"]}]
    assert probe["sources"][0] == {
        "type": "work",
        "title": "Field guide",
        "authors": ["Jane Doe"],
        "author_url": None,
        "copyright": None,
        "url": "https://example.net/g",
        "license": "CC0-1.0",
        "changes": "shortened",
    }
    assert probe["media"][0]["file"] == "img/p.svg" and probe["media"][0]["license"] == "CC-BY-4.0"
    # The outside source's CC0 is used on the site too, and gets its entry.
    assert [lic["id"] for lic in data["licenses"]] == ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"]
    assert result.files["credits.json"].endswith(b"\n")


def test_contributor_and_licence_pages(make_site):
    files = built(make_site).files
    index = files["contributors/index.html"].decode()
    assert "Ada Mensah" in index and "Lin Zhou" in index
    ada = files["contributors/ada/index.html"].decode()
    assert "The probe" in ada and "Credited upstream" in ada and "Die Sonde" in ada
    lic = files["licenses/cc-by-sa-4.0/index.html"].decode()
    assert "legalcode" in lic and "Die Sonde" in lic and "share an adaptation" in lic
    assert "CC BY 4.0" in files["licenses/index.html"].decode()


def test_licence_summaries_follow_the_terms():
    from commonsgen.licenses import lookup

    english = i18n.Catalogue([builtin_themes_dir() / "default" / "i18n"])

    def summary(lid: str) -> str:
        words = functools.partial(english.lookup, "en")
        return " ".join(credits.license_summary(lookup(lid).license, words))

    nd = summary("CC-BY-NC-ND-4.0")
    assert "may not be published" in nd and "for yourself" in nd and "non-commercial" in nd
    # Before 4.0, ND grants no right to make adaptations at all (BY-ND 3.0 section 3).
    old_nd = summary("CC-BY-ND-3.0")
    assert "may not make changed versions at all, not even for yourself" in old_nd
    assert "No credit is legally required" in summary("CC0-1.0")
    assert "a label, not a licence" in summary("CC-PDM-1.0")
    assert "waived" not in summary("CC-PDM-1.0")
    # Each ShareAlike version in its own words; no compatible licence that does not exist.
    assert "GPLv3, Free Art License 1.3" in summary("CC-BY-SA-4.0")
    nc_sa = summary("CC-BY-NC-SA-4.0")
    assert "BY-NC-SA 4.0 or a later version." in nc_sa and "compatible" not in nc_sa
    assert "a CC jurisdiction port of BY-SA 3.0" in summary("CC-BY-SA-3.0")
    assert "a later version" in summary("CC-BY-SA-3.0-DE")
    assert "CC BY-SA 1.0 itself" in summary("CC-BY-SA-1.0")
    assert "Free Art License 1.3 or CC BY-SA 4.0" in summary("LAL-1.3")
