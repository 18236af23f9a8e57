from commonsgen.build import BuildOptions, load
from commonsgen.diagnostics import Report
from tests.conftest import page

CONFIG = "title: T\ndefault_license: CC-BY-SA-4.0\nchecks: {no-contributors: ignore, uncredited-contributor: ignore, source-without-url: ignore}\n"


def load_site(make_site, files):
    root = make_site({"commonsgen.yml": CONFIG, **files})
    report = Report()
    _, site = load(root, BuildOptions(), report)
    return site, report


def codes(report):
    return [(d.path, d.line, d.code) for d in report.sorted()]


def test_chain_of_adaptations_and_translation(make_site):
    site, report = load_site(
        make_site,
        {
            "content/a.md": page(
                "title: A\nlicense: CC-BY-4.0\nderived_from:\n  - title: Outside\n    author: X\n    license: CC0-1.0\n"
            ),
            "content/b.md": page("title: B\nderived_from:\n  - page: a.md\n    changes: cut"),
            "content/de/c.md": page("title: C\ntranslation_of: ../b.md"),
        },
    )
    assert not report.items
    chain = site.attribution.upstream["de/c.md"]
    assert [(s.depth, s.kind, s.page or s.work.title) for s in chain] == [
        (1, "translation_of", "b.md"),
        (2, "derived_from", "a.md"),
        (3, "derived_from", "Outside"),
    ]
    assert chain[1].changes == "cut" and chain[1].license.id == "CC-BY-4.0"
    assert site.attribution.downstream == {"a.md": ("b.md",), "b.md": ("de/c.md",)}


def test_licence_spellings_are_normalised_with_a_warning(make_site):
    site, report = load_site(make_site, {"content/a.md": page("title: A\nlicense: CC BY 4.0")})
    assert site.attribution.licenses["a.md"].id == "CC-BY-4.0"
    assert [(d.code, d.severity) for d in report.items] == [("license-spelling", "warning")]


def test_unknown_licence_suggests(make_site):
    _, report = load_site(make_site, {"content/a.md": page("title: A\nlicense: CC-BY-SA-4")})
    [d] = report.items
    assert (d.code, d.line, d.column) == ("unknown-license", 3, 1)
    assert d.hint.startswith("did you mean CC-BY-SA-4.0")


def test_refusals_name_both_files_both_licences_and_the_rule(make_site):
    _, report = load_site(
        make_site,
        {
            "content/nd.md": page("title: ND\nlicense: CC-BY-ND-4.0"),
            "content/x.md": page("title: X\nlicense: CC-BY-4.0\nderived_from:\n  - page: nd.md"),
        },
    )
    [d] = report.errors
    assert d.path == "content/x.md" and d.line == 5
    assert "content/nd.md" in d.message and "CC BY-ND 4.0" in d.message and "CC BY 4.0" in d.message
    assert "creativecommons.org" in d.hint


def test_cycle_lists_every_step(make_site):
    _, report = load_site(
        make_site,
        {
            "content/a.md": page("title: A\nderived_from: [b.md]"),
            "content/b.md": page("title: B\ntranslation_of: a.md"),
        },
    )
    [d] = [d for d in report.items if d.code == "derivation-cycle"]
    assert d.message.endswith("a.md -> b.md -> a.md")
    assert (
        "content/a.md:3 derived_from b.md" in d.hint
        and "content/b.md:3 translation_of a.md" in d.hint
    )


def test_people_and_upstream_credits(make_site):
    site, _ = load_site(
        make_site,
        {
            "contributors.yml": "ada:\n  name: Ada Mensah\nlin:\n  name: Lin Zhou\n",
            "content/a.md": page(
                "title: A\ncontributors: [ada, {name: Sam Okafor, roles: [reviewer]}]"
            ),
            "content/b.md": page(
                "title: B\ncontributors: [{id: lin, roles: [translator]}]\ntranslation_of: a.md"
            ),
        },
    )
    assert list(site.people) == ["ada", "lin", "sam-okafor"]  # sorted by name
    credits = site.credits_by_person["ada"]
    assert [(c.page, c.roles, c.via) for c in credits] == [
        ("a.md", ("author",), None),
        ("b.md", ("author",), "a.md"),
    ]
    assert site.pages_by_license == {"CC-BY-SA-4.0": ("a.md", "b.md")}
