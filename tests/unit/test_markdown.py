from commonsgen.build import BuildOptions, load, render_markdown
from commonsgen.diagnostics import Report
from commonsgen.urls import slugify
from tests.conftest import page


def rendered(make_site, files):
    root = make_site(files)
    report = Report()
    _, site = load(root, BuildOptions(), report)
    assert not report.items, report.items
    return render_markdown(site, report), report


def test_links_between_markdown_files_become_relative_site_urls(make_site):
    out, report = rendered(
        make_site,
        {
            "content/guide/rivers.md": page(
                "title: Rivers",
                "See [the probe](../sensors/probe.md#calibration), [home](../index.md),\n"
                "[a sibling](lakes.md), [top](/sensors/probe.md), [ext](https://example.org/x.md),\n"
                "[here](#depth), [data](../files/data.csv) and ![a diagram](../images/d.svg).\n"
                "\n## Depth\n",
            ),
            "content/guide/lakes.md": page("title: Lakes"),
            "content/index.md": page("title: Home"),
            "content/sensors/probe.md": page("title: Probe", "## Calibration\n"),
            "content/files/data.csv": "a,b\n",
            "content/images/d.svg": "<svg/>",
        },
    )
    html = out["guide/rivers.md"].html
    assert not report.items
    assert 'href="../../sensors/probe/#calibration"' in html
    assert 'href="../../"' in html
    assert 'href="../lakes/"' in html
    assert html.count('href="../../sensors/probe/"') == 1
    assert 'href="https://example.org/x.md"' in html
    assert 'href="#depth"' in html
    assert 'href="../../files/data.csv"' in html
    assert 'src="../../images/d.svg" alt="a diagram"' in html
    assert out["guide/rivers.md"].links[0] == "sensors/probe/#calibration"


def test_broken_links_are_reported_at_their_line(make_site):
    root = make_site(
        {
            "content/guide/rivers.md": page(
                "title: Rivers", "Intro.\n\nSee [x](../sensors/prob.md) and ![y](missing.png)\n"
            ),
            "content/sensors/probe.md": page("title: Probe"),
        }
    )
    report = Report()
    _, site = load(root, BuildOptions(), report)
    render_markdown(site, report)
    got = [(d.code, d.line, d.column, d.hint) for d in report.sorted()]
    assert got[0] == ("broken-link", 6, 9, "did you mean '../sensors/probe.md'?")
    assert got[1][:3] == ("missing-image", 6, 38)


def test_link_to_a_draft_is_an_error(make_site):
    root = make_site(
        {
            "content/a.md": page("title: A", "[b](b.md)\n"),
            "content/b.md": page("title: B\ndraft: true"),
        }
    )
    report = Report()
    _, site = load(root, BuildOptions(), report)
    render_markdown(site, report)
    assert [d.code for d in report.items] == ["link-to-draft"]


def test_heading_ids_toc_and_anchor_links(make_site):
    out, _ = rendered(
        make_site,
        {
            "content/a.md": page(
                "title: A",
                "## Step 3: Log it!\n\n### Über `grep`\n\n## Step 3: Log it!\n\n#### Deep\n",
            )
        },
    )
    result = out["a.md"]
    assert [(t.level, t.id, t.title) for t in result.toc] == [
        (2, "step-3-log-it", "Step 3: Log it!"),
        (3, "über-grep", "Über grep"),
        (2, "step-3-log-it-1", "Step 3: Log it!"),
    ]
    assert (
        '<h2 id="step-3-log-it">Step 3: Log it! <a class="anchor" href="#step-3-log-it"'
        in result.html
    )
    assert '<h4 id="deep">' in result.html


def test_markdown_features(make_site):
    body = """
| a | b |
|---|---|
| 1 | 2 |

~~old~~ and a note[^1].

[^1]: The note.

- [x] done
- [ ] todo

Term
: Definition

```python
print("hi")
```

:::{warning} Stay safe
Never alone.
:::

<script>alert(1)</script>
"""
    out, _ = rendered(make_site, {"content/a.md": page("title: A", body)})
    html = out["a.md"].html
    for fragment in (
        "<table>",
        "<del>old</del>",
        'class="footnotes"',
        'class="task-list-item-checkbox"',
        "<dt>Term</dt>",
        '<code class="language-python">',
        '<section class="admonition warning">',
        '<p class="admonition-title">Stay safe</p>',
    ):
        assert fragment in html, fragment
    assert "<script" not in html and "alert(1)" not in html  # sanitised away


def test_summary_from_first_paragraph_or_frontmatter(make_site):
    out, _ = rendered(
        make_site,
        {
            "content/a.md": page(
                "title: A", "# Heading\n\nFirst *paragraph* with [a link](b.md).\n\nSecond.\n"
            ),
            "content/b.md": page("title: B\nsummary: Given.", "Body.\n"),
            "content/c.md": page("title: C", "word " * 100),
        },
    )
    assert out["a.md"].summary == "First paragraph with a link."
    assert out["b.md"].summary == "Given."
    assert out["c.md"].summary.endswith("…") and len(out["c.md"].summary) <= 201


def test_slugify():
    assert slugify("Two-point calibration") == "two-point-calibration"
    assert slugify("  Why?  ") == "why"
    assert slugify("!!!") == "section"
