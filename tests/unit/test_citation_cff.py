"""The site-level ``CITATION.cff``: written when ``citation: {cff: true}``, valid CFF 1.2.0.

The schema in tests/cases/cff-1.2.0.schema.json is Citation File Format's own (version 1.2.0,
CC-BY-4.0, as shipped in the cffconvert package).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from commonsgen.build import BuildOptions, build
from commonsgen.outputs.cite import CITATION_PATH
from tests.conftest import page, run_cli

SCHEMA = json.loads(
    (Path(__file__).resolve().parent.parent / "cases/cff-1.2.0.schema.json").read_text("utf-8")
)
REQUIRED = ("cff-version", "message", "title", "authors")

REGISTRY = """\
ada:
  name: Ada Mensah
  url: https://ada.example.org
  orcid: 0000-0002-1825-0097
  emails: [ada@example.org]
jonas:
  name: Jonas Weber
"""


def config(citation: str, **extra: str) -> str:
    lines = [
        "title: 'River Watch: Handbook'",
        "description: Field methods for volunteers.",
        "base_url: https://riverwatch.example.org/handbook/",
        "default_license: CC-BY-SA-4.0",
        "languages: {en: English, de: Deutsch}",
        *(f"{key}: {value}" for key, value in extra.items()),
        citation,
    ]
    return "\n".join(lines) + "\n"


PAGES = {
    "contributors.yml": REGISTRY,
    "content/index.md": page("title: Home\ncontributors: [jonas, {id: ada, roles: [editor]}]"),
    "content/a.md": page("title: A\ncontributors: [ada]"),
    "content/b.md": page("title: B\ncontributors: [ada, {name: Sam Okafor}]"),
    "content/de/c.md": page("title: C\ncontributors: [jonas, {id: ada, roles: [translator]}]"),
}


def citation_of(site: Path) -> tuple[dict, bytes]:
    result = build(site, BuildOptions(write=False))
    assert not result.report.errors, result.report.sorted()
    data = result.files[CITATION_PATH]
    return yaml.safe_load(data.decode("utf-8")), data


def assert_valid_cff(cff: dict) -> None:
    for key in REQUIRED:
        assert cff.get(key), f"{key} is required by CFF 1.2.0"
    assert cff["cff-version"] == "1.2.0"
    assert all(isinstance(a, dict) and a for a in cff["authors"])
    jsonschema.validate(cff, SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def test_a_configured_site_writes_a_valid_citation_cff(make_site):
    site = make_site(
        {
            "commonsgen.yml": config(
                "citation:\n  cff: true\n  version: '2026.1'\n  doi: 10.5281/zenodo.1003150\n"
                "  date_released: 2026-05-01",
                repo_url="https://github.com/example/riverwatch",
            ),
            **PAGES,
        }
    )
    cff, _ = citation_of(site)
    assert_valid_cff(cff)
    assert cff["title"] == "River Watch: Handbook"
    assert cff["abstract"] == "Field methods for volunteers."
    # The pages' creators, those of the most pages first, then by name: Ada writes two
    # pages, Jonas two, Sam one; Ada's editing and translating do not count.
    assert [a["name"] for a in cff["authors"]] == ["Ada Mensah", "Jonas Weber", "Sam Okafor"]
    assert cff["authors"][0] == {
        "name": "Ada Mensah",
        "orcid": "https://orcid.org/0000-0002-1825-0097",
        "website": "https://ada.example.org",
    }
    assert "email" not in json.dumps(cff)  # registry e-mails are for matching, not publishing
    assert (cff["version"], cff["doi"], cff["date-released"]) == (
        "2026.1",
        "10.5281/zenodo.1003150",
        "2026-05-01",
    )
    assert cff["license"] == "CC-BY-SA-4.0"
    assert cff["url"] == "https://riverwatch.example.org/handbook/"
    assert cff["repository"] == "https://github.com/example/riverwatch"
    preferred = cff["preferred-citation"]
    assert (preferred["type"], preferred["title"], preferred["year"]) == (
        "website",
        "River Watch: Handbook",
        2026,
    )
    assert preferred["authors"] == cff["authors"]
    assert preferred["languages"] == ["en", "de"]


def test_it_is_written_to_the_output_and_the_same_every_time(make_site, tmp_path):
    site = make_site({"commonsgen.yml": config("citation: {cff: true}"), **PAGES})
    _, first = citation_of(site)
    _, second = citation_of(site)
    assert first == second
    assert run_cli("build", str(site)).code == 0
    assert (site / "public" / CITATION_PATH).read_bytes() == first


def test_no_citation_file_unless_configured(make_site):
    site = make_site({"commonsgen.yml": config("citation: {cff: false}"), **PAGES})
    assert CITATION_PATH not in build(site, BuildOptions(write=False)).files
    site = make_site({"commonsgen.yml": config(""), **PAGES})
    assert CITATION_PATH not in build(site, BuildOptions(write=False)).files


def test_citation_authors_set_the_order_and_must_be_registry_ids(make_site):
    site = make_site(
        {"commonsgen.yml": config("citation: {cff: true, authors: [jonas, ada]}"), **PAGES}
    )
    cff, _ = citation_of(site)
    assert [a["name"] for a in cff["authors"]] == ["Jonas Weber", "Ada Mensah"]
    assert_valid_cff(cff)

    (site / "commonsgen.yml").write_text(
        config("citation: {cff: true, authors: [jonass]}"), encoding="utf-8"
    )
    result = run_cli("check", str(site))
    assert result.code == 1
    assert (
        "commonsgen.yml:6:1: error[unknown-contributor]: citation.authors: unknown contributor 'jonass'"
        in result.stdout
    )
    assert "did you mean 'jonas'?" in result.stdout


@pytest.mark.parametrize(
    ("citation", "expected"),
    [
        ("{cff: yes please}", "cff: expected true or false"),
        ("{cff: true, doi: 'https://doi.org/10.5281/zenodo.1'}", "without https://doi.org/"),
        ("{cff: true, verison: '1.0'}", "unknown key 'verison'; did you mean 'version'?"),
        ("{cff: true, date_released: 'May 2026'}", "expected a date written as 2026-05-01"),
        ("{cff: true, authors: ada}", "expected a list of ids"),
        ("[cff]", "expected a mapping"),
    ],
)
def test_a_wrong_citation_setting_is_an_error_at_its_line(make_site, citation, expected):
    site = make_site({"commonsgen.yml": config(f"citation: {citation}"), **PAGES})
    result = run_cli("check", str(site))
    assert result.code != 0
    assert "commonsgen.yml:6:1: error[config-type]: citation: " in result.stdout
    assert expected in result.stdout


def test_the_sites_own_citation_file_wins(make_site):
    own = "cff-version: 1.2.0\nmessage: ours\ntitle: Ours\nauthors: [{name: Us}]\n"
    site = make_site(
        {
            "commonsgen.yml": config("citation: {cff: true}"),
            "static/CITATION.cff": own,
            **PAGES,
        }
    )
    assert run_cli("build", str(site)).code == 0
    assert (site / "public" / CITATION_PATH).read_text(encoding="utf-8") == own


def test_a_site_that_credits_no_one_is_cited_by_its_own_name(make_site):
    site = make_site(
        {
            "commonsgen.yml": "title: Commons Atlas\ndefault_license: CC0-1.0\n"
            "checks: {no-contributors: ignore}\ncitation: {cff: true}\n",
            "content/index.md": page("title: Home"),
        }
    )
    cff, _ = citation_of(site)
    assert cff["authors"] == [{"name": "Commons Atlas"}]
    # no URL, as the site does not say where it is published (a site's own pages cannot
    # be under the Public Domain Mark, which is for works free of copyright)
    assert cff["license"] == "CC0-1.0" and "url" not in cff
    assert_valid_cff(cff)
