"""SPDX expressions, LicenseRef- permissions, and separate licences for prose and code."""

from __future__ import annotations

import json

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.licenses import REGISTRY, Verdict, adaptation_ruling, expression, reference
from tests.conftest import page

QUIET = "checks: {no-contributors: ignore, uncredited-contributor: ignore, source-without-url: ignore}\n"
MUSEUM = (
    "licenses:\n  LicenseRef-museum:\n    name: Used with permission of the City Museum\n"
    "    url: https://museum.example/permission\n"
)


def run(make_site, files, config="default_license: CC-BY-4.0\n"):
    root = make_site({"commonsgen.yml": "title: T\n" + config + QUIET, **files})
    result = build(root, BuildOptions(write=False))
    found = [(d.path, d.line, str(d.severity), d.code) for d in result.report.sorted()]
    return result, found


def parse(text, refs=None):
    return expression.parse(text, refs or {})


def test_expressions_parse_with_spdx_precedence():
    found = parse("CC-BY-4.0 OR MIT AND Apache-2.0").license
    assert found.operator == "OR" and found.id == "CC-BY-4.0 OR (MIT AND Apache-2.0)"
    assert [p.id for p in found.parts] == ["CC-BY-4.0", "MIT AND Apache-2.0"]
    grouped = parse("(CC-BY-SA-4.0 OR MIT) AND CC0-1.0").license
    assert grouped.id == "(CC-BY-SA-4.0 OR MIT) AND CC0-1.0"
    assert grouped.short_name == "(CC BY-SA 4.0 or MIT) and CC0 1.0"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("CC-BY-4.0 OR", "ends or continues where a licence id is expected"),
        ("(CC-BY-4.0 OR MIT", "unclosed parenthesis"),
        ("CC-BY-4.0 OR MIT)", "expected AND or OR before ')'"),
        ("MIT WITH Classpath-exception-2.0", "'WITH') are not supported"),
        ("CC-BY-4.0 OR Beerware", "unknown licence 'Beerware'"),
        ("LicenseRef-x OR MIT", "'LicenseRef-x' is not declared"),
    ],
)
def test_bad_expressions_say_what_is_wrong(text, problem):
    parsed = parse(text)
    assert parsed.license is None and problem in parsed.problem and parsed.hint


def test_or_is_met_by_any_branch_and_needs_every_offered_branch():
    dual = parse("CC-BY-NC-4.0 OR CC-BY-4.0").license
    both = parse("CC-BY-NC-4.0 AND CC-BY-4.0").license
    by = REGISTRY["CC-BY-4.0"]
    assert adaptation_ruling(dual, by).verdict is Verdict.ALLOWED  # take the BY branch
    assert adaptation_ruling(both, by).code == "nc-dropped"  # NC applies too
    # A page offered as "BY-SA OR MIT" lets re-users take MIT: a BY-SA source refuses it.
    offered = parse("CC-BY-SA-4.0 OR MIT").license
    assert adaptation_ruling(REGISTRY["CC-BY-SA-4.0"], offered).code == "sa-downgrade"
    assert adaptation_ruling(by, offered).verdict is Verdict.ALLOWED


def test_a_licenseref_source_needs_its_entry_to_allow_adaptations():
    closed = reference("LicenseRef-a", "Permission A", "https://a.example/")
    open_ = reference("LicenseRef-b", "Permission B", "https://b.example/", adaptations=True)
    by = REGISTRY["CC-BY-4.0"]
    ruling = adaptation_ruling(closed, by)
    assert (ruling.verdict, ruling.code) == (Verdict.REFUSED, "licenseref-no-adaptations")
    assert "adaptations: true" in ruling.rule and ruling.url == "https://a.example/"
    assert adaptation_ruling(open_, by).verdict is Verdict.ALLOWED
    assert not closed.is_cc and closed.is_reference
    # As an adapter's licence it is treated as CC BY is: BY-SA material may not take it.
    assert adaptation_ruling(REGISTRY["CC-BY-SA-4.0"], open_).code == "sa-downgrade"


def test_a_dual_licensed_page_is_shown_linked_and_in_the_metadata(make_site):
    result, found = run(
        make_site,
        {
            "content/a.md": page("title: Dual\nlicense: CC-BY-4.0 OR MIT"),
            "content/b.md": page("title: B\nlicense: CC-BY-SA-4.0\nderived_from: [a.md]"),
        },
    )
    assert found == []
    html = result.files["a/index.html"].decode()
    assert (
        '<a rel="license" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> or '
        '<a rel="license" href="https://opensource.org/license/mit">MIT</a>.'
    ) in html
    assert '<link rel="license" href="https://opensource.org/license/mit">' in html
    assert (
        "CC BY 4.0 or MIT (https://creativecommons.org/licenses/by/4.0/, "
        "https://opensource.org/license/mit)." in html
    )
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["license"] == [
        "https://creativecommons.org/licenses/by/4.0/",
        "https://opensource.org/license/mit",
    ]
    page_html = result.files["licenses/cc-by-4.0-or-mit/index.html"].decode()
    assert "You may choose which of these licences to follow: CC BY 4.0 or MIT." in page_html
    works = {w["id"]: w for w in json.loads(result.files["credits.json"])["works"]}
    assert works["a.md"]["license"] == "CC-BY-4.0 OR MIT"


def test_a_used_with_permission_work_is_shown_never_as_cc_and_not_adaptable(make_site):
    files = {
        "content/essay.md": page("title: Essay\nlicense: LicenseRef-museum"),
        "content/remix.md": page("title: Remix\nlicense: CC-BY-4.0\nderived_from: [essay.md]"),
    }
    result, found = run(make_site, files, "default_license: CC-BY-4.0\n" + MUSEUM)
    assert found == [("content/remix.md", 4, "error", "licenseref-no-adaptations")]
    files["content/remix.md"] = page("title: Remix\nlicense: CC-BY-4.0")
    result, found = run(make_site, files, "default_license: CC-BY-4.0\n" + MUSEUM)
    assert found == []
    html = result.files["essay/index.html"].decode()
    assert (
        '<a rel="license" href="https://museum.example/permission">'
        "Used with permission of the City Museum</a>"
    ) in html
    assert "Creative Commons" not in html.split('class="license-notice"')[1].split("</p>")[0]


def test_licenseref_entries_are_checked(make_site):
    bad = "licenses:\n  LicenseRef-x:\n    name: X\n    url: javascript:alert(1)\n"
    _, found = run(make_site, {"content/a.md": page("title: A")}, bad)
    assert ("commonsgen.yml", 2, "error", "config-type") in found
    undeclared = {"content/a.md": page("title: A\nlicense: LicenseRef-nope")}
    result, found = run(make_site, undeclared)
    assert found == [("content/a.md", 3, "error", "unknown-license")]
    assert "declare it under 'licenses:'" in result.report.errors[0].hint


def test_content_and_code_licences_are_shown_and_in_the_metadata(make_site):
    result, found = run(
        make_site,
        {"content/lesson.md": page("title: Lesson\nlicense: {content: CC-BY-4.0, code: MIT}")},
    )
    assert found == []
    html = result.files["lesson/index.html"].decode()
    assert (
        'is licensed under <a rel="license" href="https://creativecommons.org/licenses/by/4.0/">'
        'CC BY 4.0</a>. Code on this page is licensed under <a href="https://opensource.org/'
        'license/mit">MIT</a>.'
    ) in html
    # The credit a re-user copies names both.
    assert "Code on this page is licensed under MIT (https://opensource.org/license/mit)." in html
    ld = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["hasPart"] == [
        {
            "@type": "SoftwareSourceCode",
            "name": "Code",
            "license": "https://opensource.org/license/mit",
        }
    ]
    data = json.loads(result.files["credits.json"])
    [work] = data["works"]
    assert (work["license"], work["code_license"]) == ("CC-BY-4.0", "MIT")
    assert {lic["id"]: lic["code_of"] for lic in data["licenses"]}["MIT"] == ["lesson.md"]


def test_a_site_default_may_split_content_and_code(make_site):
    config = "default_license: {content: CC-BY-4.0, code: MIT}\n"
    files = {
        "content/a.md": page("title: A"),
        "content/b.md": page("title: B\nlicense: CC-BY-SA-4.0"),  # its own: code under BY-SA
    }
    result, found = run(make_site, files, config)
    assert found == []
    works = {w["id"]: w for w in json.loads(result.files["credits.json"])["works"]}
    assert (works["a.md"]["license"], works["a.md"]["code_license"]) == ("CC-BY-4.0", "MIT")
    assert works["b.md"]["code_license"] is None
    assert json.loads(result.files["credits.json"])["site"]["default_code_license"] == "MIT"


def test_code_licences_are_checked_only_against_the_code_of_sources(make_site):
    files = {
        # The prose is BY-SA; the code is GPL.
        "content/a.md": page("title: A\nlicense: {content: CC-BY-SA-4.0, code: GPL-3.0-only}"),
        # Prose BY-SA 4.0 from BY-SA prose: fine. Code MIT from GPL code: refused.
        "content/b.md": page(
            "title: B\nlicense: {content: CC-BY-SA-4.0, code: MIT}\nderived_from: [a.md]"
        ),
        # Code GPL from GPL code is fine although the prose source is BY-SA (never the code's).
        "content/c.md": page(
            "title: C\nlicense: {content: CC-BY-SA-4.0, code: GPL-3.0-only}\nderived_from: [a.md]"
        ),
    }
    result, found = run(make_site, files)
    assert found == [("content/b.md", 4, "error", "incompatible-licence")]
    [d] = result.report.errors
    assert d.message.startswith("code: content/a.md is under GPL-3.0-only; this adaptation")


def test_a_license_mapping_needs_content(make_site):
    _, found = run(make_site, {"content/a.md": page("title: A\nlicense: {code: MIT}")})
    assert ("content/a.md", 3, "error", "wrong-type") in found


def test_the_public_domain_mark_inside_an_expression_is_checked_too(make_site):
    _, found = run(make_site, {"content/a.md": page("title: A\nlicense: CC-PDM-1.0 OR CC-BY-4.0")})
    assert found == [("content/a.md", 3, "error", "public-domain-adaptation")]
