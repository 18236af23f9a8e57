"""Three real CC BY 4.0 repositories, adopted as they are with a shipped profile.

Each corpus (``../shared/corpora/<name>``, read-only; see its SOURCE.md) is copied to a
temporary folder, gets the few-line ``commonsgen.yml`` a community would add, and is built
once per session. The builds must have zero errors, and named pages must come out with the
right credits, roles, translations and licences.

The copies leave out images and data files (SOURCE.md says which); where a shipped profile
keeps missing files an error, the test's ``commonsgen.yml`` extends it to make them
warnings, as a repository with those files would not need to.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, BuildResult, build
from tests.conftest import REPO

CORPORA = REPO.parent / "shared" / "corpora"

CONFIGS = {
    "rdmkit": (
        "title: RDMkit\nbase_url: https://rdmkit.elixir-europe.org/\n"
        "profile: rdmkit\n"
        "checks: {broken-link: warning}   # seven links to nothing (RDMKIT_BROKEN)\n"
    ),
    "opensource-guide": (
        "title: Open Source Guides\nbase_url: https://opensource.guide/\n"
        "profile: opensource-guide\n"
    ),
    "swc-shell-novice": (
        "title: The Unix Shell\nbase_url: https://swcarpentry.github.io/shell-novice/\n"
        "profile:\n  extends: carpentries\n"
        "  checks: {missing-image: warning, missing-file: warning}   # figures not copied\n"
    ),
}


def adopt(name: str, tmp: Path) -> tuple[Path, BuildResult]:
    source = CORPORA / name
    if not (source / "SOURCE.md").is_file():
        pytest.skip(f"the corpus {source} is absent (it is not part of the repository)")
    root = tmp / name
    shutil.copytree(source, root)
    (root / "commonsgen.yml").write_text(CONFIGS[name], encoding="utf-8")
    return root, build(root, BuildOptions(git=False))


@pytest.fixture(scope="module")
def rdmkit(tmp_path_factory):
    return adopt("rdmkit", tmp_path_factory.mktemp("corpora"))


@pytest.fixture(scope="module")
def osg(tmp_path_factory):
    return adopt("opensource-guide", tmp_path_factory.mktemp("corpora"))


@pytest.fixture(scope="module")
def swc(tmp_path_factory):
    return adopt("swc-shell-novice", tmp_path_factory.mktemp("corpora"))


def credits(result: BuildResult, page: str) -> dict[str, tuple[str, ...]]:
    return {c.name: c.roles for c in result.site.pages[page].contributors}


def html(root: Path, url: str) -> str:
    return (root / "public" / url / "index.html").read_text(encoding="utf-8")


def test_corpora_are_never_written(rdmkit, osg, swc):
    for name in CONFIGS:
        assert not (CORPORA / name / "commonsgen.yml").exists()
        assert not (CORPORA / name / "public").exists()


# RDMkit: names in full per page, three role fields, a registry keyed by full name ------


def test_rdmkit_builds_with_zero_errors(rdmkit):
    _, result = rdmkit
    assert not result.report.errors, [str(d) for d in result.report.errors[:5]]
    assert result.written
    assert len(result.site.pages) == 133


RDMKIT_BROKEN = [
    # Links written with a page's page_id, not its file name (permalink: /:basename
    # publishes pages/your_tasks/metadata_management.md at metadata_management): no page,
    # permalink or redirect of the repository is at these addresses.
    ("your_domain/agroecology.md", 116, "metadata"),
    ("your_domain/agroecology.md", 119, "sensitive"),
    ("your_domain/agroecology.md", 119, "security"),
    ("your_domain/cancer_data.md", 100, "sensitive"),
    ("your_domain/plant_sciences.md", 131, "plant_pheno_assembly"),
    # data_security.md's redirect_from: jekyll-redirect-from publishes it; commonsgen
    # publishes no redirect_from addresses (the profile ignores the field).
    ("your_tasks/ethics.md", 32, "data_protection"),
    ("your_tasks/ethics.md", 63, "data_protection"),
]


def test_rdmkit_links_written_as_addresses_are_checked(rdmkit):
    """Every link to a page by its address ([x](storage), as the repository writes 37
    of them) reaches a page; the ones that reach none are these, checked by hand."""
    _, result = rdmkit
    broken = [
        (d.path.removeprefix("pages/"), d.line, d.message.split("'")[1])
        for d in result.report.sorted()
        if d.code == "broken-link"
    ]
    assert broken == RDMKIT_BROKEN


def test_rdmkit_roles_come_from_their_fields(rdmkit):
    _, result = rdmkit
    norway = credits(result, "national_resources/no_resources.md")
    assert norway["Korbinian Bösl"] == ("author", "editor")  # editor and coordinator: one role
    assert norway["Nazeefa Fatima"] == ("author", "editor")
    assert norway["Erin Calhoun"] == ("author",)
    storage = credits(result, "your_tasks/storage.md")
    assert storage["Flora D'Anna"] == ("author", "editor")
    assert len(storage) == 12


def test_rdmkit_registry_keyed_by_name(rdmkit):
    root, result = rdmkit
    flora = next(c for c in result.site.registry.values() if c.name == "Flora D'Anna")
    assert flora.orcid == "0000-0003-4665-6673"
    assert flora.url == "https://github.com/floradanna"
    storage = result.site.pages["your_tasks/storage.md"]
    assert next(c for c in storage.contributors if c.name == "Flora D'Anna").contributor_id
    person = html(root, f"contributors/{flora.id}")
    assert "Data storage" in person and "0000-0003-4665-6673" in person


def test_rdmkit_people_missing_from_the_registry_are_credited_with_a_warning(rdmkit):
    _, result = rdmkit
    role = credits(result, "your_role/research_software_engineer.md")
    assert role["Helena Schnitzer"] == ("author",)
    unknown = [d for d in result.report.warnings if d.code == "unknown-contributor"]
    assert any("Helena Schnitzer" in d.message for d in unknown)
    # a template's placeholder comment is nobody
    assert not any("REPLACE" in d.message for d in unknown)


def test_rdmkit_section_pages_and_licence(rdmkit):
    root, result = rdmkit
    assert result.site.sections["your_tasks"].index_page == "your_tasks/index.md"
    assert result.site.pages["your_tasks/index.md"].source.site_path == "pages/your_tasks.md"
    # pages that name no one are the community's (CITATION.cff's author)
    assert credits(result, "your_tasks/index.md") == {"RDMkit community": ("author",)}
    assert not [d for d in result.report.items if d.code == "no-contributors"]
    assert result.site.pages_by_license.keys() == {"CC-BY-4.0"}
    assert "Creative Commons" in html(root, "licenses/cc-by-4.0")
    assert "{% tool" not in html(root, "your_tasks/storage")
    # permalink: /:basename: pages link to each other by file name ([x](storage))
    assert 'href="../storage/"' in html(root, "your_tasks/data_brokering")


# Open Source Guides: no per-page credits, translations in language folders ------------


def test_osg_builds_with_zero_errors(osg):
    _, result = osg
    assert not result.report.errors, [str(d) for d in result.report.errors[:5]]
    assert result.written
    assert len(result.config.languages) == 29


def test_osg_site_level_credit_and_licence(osg):
    root, result = osg
    assert credits(result, "best-practices.md") == {"Open Source Guides authors": ("author",)}
    assert credits(result, "de/best-practices.md") == {"Open Source Guides authors": ("author",)}
    assert not [d for d in result.report.items if d.code == "no-contributors"]
    assert result.site.pages_by_license.keys() == {"CC-BY-4.0"}
    assert "Open Source Guides authors" in html(root, "best-practices")


def test_osg_translations_by_folder(osg):
    root, result = osg
    translations = result.site.translations["best-practices.md"]
    assert "de/best-practices.md" in translations and "ja/best-practices.md" in translations
    assert result.site.pages["de/best-practices.md"].lang == "de"
    page = html(root, "de/best-practices")
    assert 'hreflang="en" href="https://opensource.guide/best-practices/"' in page
    # articles link to each other by published URL (../building-community/), in their language
    assert not [d for d in result.report.items if d.code == "link-outside"]
    assert 'href="../building-community/#' in html(root, "best-practices")


def test_osg_untranslated_copies_are_no_translation(osg):
    root, result = osg
    copy = "de/security-best-practices-for-your-project.md"
    assert result.site.pages[copy].lang == "en"  # it is English text
    assert copy not in result.site.translations.get("security-best-practices-for-your-project.md")
    assert copy not in result.site.translations
    assert re.search(r'<html lang="en"', html(root, "de/security-best-practices-for-your-project"))
    # one marked false is a translation
    balance = "de/maintaining-balance-for-open-source-maintainers.md"
    assert balance in result.site.translations["maintaining-balance-for-open-source-maintainers.md"]


# The Unix Shell: a Carpentries Workbench lesson ---------------------------------------


def test_swc_builds_with_zero_errors(swc):
    _, result = swc
    assert not result.report.errors, [str(d) for d in result.report.errors[:5]]
    assert result.written
    assert set(result.site.pages) == {
        str(p.relative_to(CORPORA / "swc-shell-novice").as_posix())
        for p in (CORPORA / "swc-shell-novice").rglob("*.md")
        if p.name != "SOURCE.md"
    }


def test_swc_lesson_order_title_and_credit(swc):
    root, result = swc
    episodes = result.site.sections["episodes"].pages
    assert [p.split("/")[-1][:2] for p in episodes] == ["01", "02", "03", "04", "05", "06", "07"]
    assert result.site.pages["index.md"].title == "The Unix Shell"
    assert credits(result, "episodes/03-create.md") == {"The Carpentries": ("author",)}
    assert result.site.pages_by_license.keys() == {"CC-BY-4.0"}
    assert (root / "public" / "licenses" / "cc-by-4.0" / "index.html").is_file()


def test_swc_fenced_divs_are_admonitions(swc):
    root, _ = swc
    page = html(root, "episodes/03-create")
    assert 'class="admonition challenge"' in page
    assert ":::::" not in page
