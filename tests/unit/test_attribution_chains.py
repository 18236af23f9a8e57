"""Whole chains, unlicensed pages of the site and the Public Domain Mark, on tiny sites."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonsgen.build import BuildOptions, load
from commonsgen.diagnostics import Report
from commonsgen.licenses import REGISTRY, Verdict, adaptation_ruling
from tests.conftest import page

QUIET = "checks: {no-contributors: ignore, uncredited-contributor: ignore, source-without-url: ignore}\n"


def load_site(make_site, files, default: str | None = "CC-BY-SA-4.0"):
    config = "title: T\n" + (f"default_license: {default}\n" if default else "") + QUIET
    root = make_site({"commonsgen.yml": config, **files})
    report = Report()
    _, site = load(root, BuildOptions(), report)
    return site, report


def found(report):
    return [(d.path, d.line, str(d.severity), d.code) for d in report.sorted()]


def chain_of_three(first: str, second: str, third: str) -> dict[str, str]:
    return {
        "content/a.md": page(f"title: A\nlicense: {first}"),
        "content/b.md": page(f"title: B\nlicense: {second}\nderived_from: [a.md]"),
        "content/c.md": page(f"title: C\nlicense: {third}\nderived_from: [b.md]"),
    }


@pytest.mark.parametrize(
    ("first", "second", "third"),
    [
        ("CC-BY-SA-3.0", "CC-BY-SA-4.0", "GPL-3.0-only"),
        ("CC-BY-SA-2.0", "CC-BY-SA-4.0", "LAL-1.3"),
    ],
)
def test_every_ancestor_is_checked_not_only_the_direct_source(make_site, first, second, third):
    _, report = load_site(make_site, chain_of_three(first, second, third))
    errors = [d for d in report.items if d.severity == "error"]
    assert [(d.path, d.line, d.code) for d in errors] == [
        ("content/c.md", 4, "incompatible-licence")
    ]
    [d] = errors
    # The page, the ancestor, the way between them, and the rule.
    assert d.message.startswith(
        f"content/c.md is under {third.replace('LAL-1.3', 'Free Art License 1.3')}"
    )
    assert "content/a.md (CC BY-SA" in d.message and "through b.md" in d.message
    assert "has not declared" in d.message
    assert d.hint.startswith("release this page under a licence its sources allow (CC-BY-SA-4.0")
    assert "creativecommons.org" in d.hint


def test_the_same_chain_under_allowed_licences_passes(make_site):
    _, report = load_site(make_site, chain_of_three("CC-BY-SA-3.0", "CC-BY-SA-4.0", "CC-BY-SA-4.0"))
    assert [d for d in report.items if d.severity == "error"] == []


def test_an_ancestor_broken_higher_up_is_reported_once_where_it_breaks(make_site):
    # ND -> BY is the mistake (in b.md); c.md under BY adapts b.md legally.
    _, report = load_site(make_site, chain_of_three("CC-BY-ND-4.0", "CC-BY-4.0", "CC-BY-4.0"))
    assert found(report) == [("content/b.md", 4, "error", "nd-source")]


def test_a_wrong_direct_source_is_not_reported_twice(make_site):
    # c.md drops ShareAlike from both b.md and a.md: one licence to fix, one error.
    _, report = load_site(make_site, chain_of_three("CC-BY-SA-4.0", "CC-BY-SA-4.0", "CC-BY-4.0"))
    assert found(report) == [("content/c.md", 4, "error", "sa-downgrade")]


def test_an_outside_work_up_the_chain_counts_too(make_site):
    files = {
        "content/b.md": page(
            "title: B\nlicense: CC-BY-SA-4.0\nderived_from:\n"
            "  - title: Old wiki\n    author: X\n    license: CC-BY-SA-3.0"
        ),
        "content/de/c.md": page("title: C\nlicense: GPL-3.0-or-later\ntranslation_of: ../b.md"),
    }
    _, report = load_site(make_site, files)
    [d] = report.errors
    assert (d.path, d.line, d.code) == ("content/de/c.md", 4, "incompatible-licence")
    assert "the outside work 'Old wiki' (CC BY-SA 3.0) through b.md" in d.message


def test_by_into_cc0_stays_a_warning_along_a_chain(make_site):
    _, report = load_site(make_site, chain_of_three("CC-BY-4.0", "CC-BY-4.0", "CC0-1.0"))
    assert found(report) == [("content/c.md", 4, "warning", "public-domain-adaptation")]


def test_an_unlicensed_page_of_the_site_cannot_be_adapted(make_site):
    files = {
        "content/a.md": page("title: A"),
        "content/b.md": page("title: B\nlicense: CC-BY-4.0\nderived_from: [a.md]"),
        "content/fr/c.md": page("title: C\ntranslation_of: ../a.md"),
    }
    _, report = load_site(make_site, files, default=None)
    assert found(report) == [
        ("content/a.md", 2, "warning", "missing-license"),
        ("content/b.md", 4, "error", "unlicensed-source"),
        ("content/fr/c.md", 2, "warning", "missing-license"),
        ("content/fr/c.md", 3, "error", "unlicensed-source"),
    ]
    error = report.errors[0]
    assert (
        error.message
        == "content/a.md has no licence, so this adaptation of it may not be published"
    )
    assert "give content/a.md a licence" in error.hint and "default_license" in error.hint
    assert "translation of it" in report.errors[1].message


def test_the_site_default_licenses_a_page_without_its_own(make_site):
    files = {
        "content/a.md": page("title: A"),
        "content/b.md": page("title: B\nderived_from: [a.md]"),
    }
    _, report = load_site(make_site, files, default="CC-BY-4.0")
    assert found(report) == []


def test_the_public_domain_mark_is_refused_on_an_adaptation(make_site):
    files = {
        "content/a.md": page("title: A\nlicense: CC0-1.0"),
        "content/b.md": page("title: B\nlicense: CC-PDM-1.0\nderived_from: [a.md]"),
    }
    _, report = load_site(make_site, files)
    assert found(report) == [("content/b.md", 3, "error", "public-domain-adaptation")]
    [d] = report.errors
    assert "an adaptation of other works" in d.message
    assert "license: CC0-1.0" in d.hint and "PDM_FAQ" in d.hint


def test_the_public_domain_mark_is_refused_on_a_new_page(make_site):
    _, report = load_site(make_site, {"content/a.md": page("title: A\nlicense: CC-PDM-1.0")})
    [d] = report.errors
    assert (d.path, d.line, d.code) == ("content/a.md", 3, "public-domain-adaptation")
    assert "the site's own work" in d.message and "CC0-1.0" in d.hint


def test_a_public_domain_mark_default_is_one_error_on_the_config(make_site):
    files = {f"content/{n}.md": page(f"title: {n}") for n in "abcdefg"}
    files["content/z.md"] = page("title: Z\nlicense: CC-BY-4.0")
    _, report = load_site(make_site, files, default="CC-PDM-1.0")
    [d] = report.errors
    assert (d.path, d.code) == ("commonsgen.yml", "public-domain-adaptation")
    assert "(a.md, b.md, c.md, d.md, e.md and 2 more)" in d.message
    assert "default_license: CC0-1.0" in d.hint


def test_public_domain_outside_works_and_cc0_pages_stay_allowed(make_site):
    files = {
        "content/a.md": page(
            "title: A\nlicense: CC0-1.0\nderived_from:\n"
            "  - title: Old map\n    author: X\n    license: CC-PDM-1.0"
        ),
    }
    _, report = load_site(make_site, files)
    assert report.errors == []


def test_a_ported_licence_up_the_chain_is_checked(make_site):
    files = {
        "content/b.md": page(
            "title: B\nlicense: CC-BY-SA-4.0\nderived_from:\n"
            "  - title: Handbuch\n    author: X\n"
            "    license: https://creativecommons.org/licenses/by-sa/3.0/de/"
        ),
        "content/c.md": page("title: C\nlicense: GPL-3.0-only\nderived_from: [b.md]"),
    }
    _, report = load_site(make_site, files)
    assert found(report) == [
        ("content/b.md", 5, "warning", "license-spelling"),
        ("content/c.md", 4, "warning", "discouraged-combination"),  # BY-SA 4.0 -> GPLv3
        ("content/c.md", 4, "error", "incompatible-licence"),
    ]
    assert "'https://creativecommons.org/licenses/by-sa/3.0/de/' is read as CC-BY-SA-3.0-DE" in (
        report.sorted()[0].message
    )
    assert "the outside work 'Handbuch' (CC BY-SA 3.0 DE) through b.md" in report.errors[0].message


def test_licence_checks_cannot_be_lowered_by_a_site(make_site):
    from commonsgen.diagnostics import UNLOWERABLE

    root = make_site(
        {
            "commonsgen.yml": "title: T\nchecks:\n  incompatible-licence: warning\n",
            **chain_of_three("CC-BY-SA-3.0", "CC-BY-SA-4.0", "GPL-3.0-only"),
        }
    )
    report = Report()
    load(root, BuildOptions(), report)
    [d] = [d for d in report.errors if d.path == "commonsgen.yml"]
    assert (d.line, d.code) == (2, "config-type")
    assert d.message == (
        "checks: 'incompatible-licence' cannot be changed: lowering it would publish "
        "a page under a licence its sources do not allow"
    )
    assert "licence its sources do not allow" in UNLOWERABLE["incompatible-licence"]


def test_a_protected_kind_stays_an_error_even_if_levels_name_it():
    report = Report(levels={"nd-source": "ignore", "missing-alt": "ignore"})
    report.error("a.md", 1, 1, "nd-source", "m")
    report.warning("a.md", 1, 1, "missing-alt", "m")
    assert [(d.code, str(d.severity)) for d in report.items] == [("nd-source", "error")]


CHAIN_LICENCES = [
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-3.0-DE",
    "CC-BY-SA-4.0",
    "CC-BY-NC-SA-4.0",
    "CC-BY-NC-4.0",
    "CC0-1.0",
    "GPL-3.0-only",
    "LAL-1.3",
    "CC-BY-SA-2.0",
]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(CHAIN_LICENCES), min_size=2, max_size=4))
def test_a_site_chain_fails_exactly_when_some_ancestor_and_page_pair_is_refused(make_site, ids):
    """The site-level check agrees with the pairwise rulings: a chain of pages passes only if
    every (ancestor, page) pair passes on its own."""
    files = {"content/p0.md": page(f"title: P0\nlicense: {ids[0]}")}
    for n, lid in enumerate(ids[1:], 1):
        files[f"content/p{n}.md"] = page(
            f"title: P{n}\nlicense: {lid}\nderived_from: [p{n - 1}.md]"
        )
    # One site folder serves every example: start each from an empty content folder.
    shutil.rmtree(make_site({}) / "content", ignore_errors=True)
    _, report = load_site(make_site, files)
    chain = [REGISTRY[lid] for lid in ids]
    refused = any(
        adaptation_ruling(chain[a], chain[b]).verdict is Verdict.REFUSED
        for b in range(1, len(chain))
        for a in range(b)
    )
    licence_errors = [d for d in report.errors if d.code != "unknown-license"]
    assert bool(licence_errors) == refused, (ids, report.sorted())
