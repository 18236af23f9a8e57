"""The documentation in docs/ is a commonsgen site: it builds and checks under --strict with
no warnings, its reference tables list what the program has, and every command it shows
exists with the options it names."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from commonsgen import cli, render
from commonsgen.build import BuildOptions, build
from commonsgen.config import OPTIONS
from commonsgen.content.fields import KNOWN_FIELDS
from commonsgen.diagnostics import CHECKS, KINDS, OFF_UNLESS_SET, UNLOWERABLE
from commonsgen.roles import TABLE as ROLES
from tests.conftest import EXAMPLE_SITE, REPO, run_cli

DOCS = REPO / "docs"
CONTENT = DOCS / "content"
PAGES = sorted(CONTENT.rglob("*.md"))
SHOWN = [REPO / "README.md", *PAGES]
"""Every file whose commands readers copy."""


def doc(rel_path: str) -> str:
    return (CONTENT / rel_path).read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under a ``## heading``, up to the next heading of that level."""
    after = text.split(f"\n## {heading}\n", 1)
    assert len(after) == 2, f"no '## {heading}' heading"
    return after[1].split("\n## ", 1)[0]


def first_column(text: str) -> list[str]:
    """The backticked names in the first cell of each table row (header rows left out)."""
    names = []
    for line in text.splitlines():
        cells = line.split(" | ")
        if line.startswith("| `") and len(cells) > 1:
            names.extend(re.findall(r"`([^`]+)`", cells[0]))
    return names


def table_rows(text: str) -> list[list[str]]:
    return [
        [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        for line in text.splitlines()
        if line.startswith("| `")
    ]


# -- the site builds ---------------------------------------------------------------------


def test_the_docs_build_with_strict_and_no_warnings(tmp_path: Path) -> None:
    out = tmp_path / "docs"
    result = run_cli("build", str(DOCS), "--strict", "--no-cache", "--out", str(out), "-j", "1")
    assert result.code == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout + result.stderr
    # its own credits and licence pages, and every page credited and licensed
    assert (out / "contributors/commonsgen-team/index.html").is_file()
    assert (out / "licenses/cc-by-4.0/index.html").is_file()
    assert (out / "licenses/cc0-1.0/index.html").is_file()
    for page in PAGES:
        rel = page.relative_to(CONTENT).with_suffix("")
        html_path = out / (rel.parent if rel.name == "index" else rel) / "index.html"
        html = html_path.read_text(encoding="utf-8")
        assert 'rel="license"' in html and "The commonsgen team" in html, html_path


def test_the_docs_check_with_strict_and_no_warnings() -> None:
    result = run_cli("check", str(DOCS), "--strict", "--format", "json")
    assert (result.code, result.stdout.strip()) == (0, "[]"), result.stdout + result.stderr


def test_every_page_has_a_weight_so_the_sidebar_reads_in_order() -> None:
    for page in PAGES:
        if page == CONTENT / "index.md":
            continue
        head = page.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert re.search(r"^weight: \d+$", head, re.MULTILINE), page


# -- the reference tables list what the program has -------------------------------------


def test_the_diagnostics_table_lists_every_kind_with_its_default_and_whether_it_can_change() -> (
    None
):
    rows = table_rows(section(doc("reference/diagnostics.md"), "Every diagnostic"))
    listed = {row[0].strip("`"): row for row in rows}
    assert set(listed) == KINDS, (
        f"add a row to docs/content/reference/diagnostics.md for {sorted(KINDS - set(listed))}"
        f"; remove {sorted(set(listed) - KINDS)}"
    )
    for code, (_, default, tunable, what) in listed.items():
        assert tunable == ("no" if code in UNLOWERABLE else "yes"), code
        assert what, code
        if code in OFF_UNLESS_SET:
            assert default == "off", code
        elif code in CHECKS:
            assert default == CHECKS[code][0].value, code
        else:
            assert default in {"error", "warning"}, code


def test_the_roles_table_lists_every_role_in_order() -> None:
    rows = table_rows(section(doc("reference/roles.md"), "Every role"))
    assert [row[0].strip("`") for row in rows] == [role.id for role in ROLES]
    for row, role in zip(rows, ROLES, strict=True):
        assert row[2] == ("yes" if role.maker else "no"), role.id
        assert (row[3] == "CRediT") == role.credit, role.id


def test_the_config_reference_lists_every_key() -> None:
    text = doc("reference/config.md")
    table = text.split("| key | default | meaning |", 1)[1].split("\n\n", 1)[0]
    listed = set(first_column(table))
    assert listed == {option.key for option in OPTIONS}, listed ^ {o.key for o in OPTIONS}


def test_the_frontmatter_reference_lists_every_field() -> None:
    table = doc("reference/frontmatter.md").split("| field | type | meaning |", 1)[1]
    listed = set(first_column(table.split("\n\n", 1)[0]))
    assert {*KNOWN_FIELDS, "published", "doi"} <= listed, set(KNOWN_FIELDS) - listed


def _context_keys(site_dir: Path) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """The keys of ``page`` per kind, of ``site`` and of the context itself, as a build of
    ``site_dir`` gives them to its templates."""
    pages: dict[str, set[str]] = {}
    sites: set[str] = set()
    names: set[str] = set()
    real = render.template_context

    def spy(site, view, site_views=None):  # type: ignore[no-untyped-def]
        context = real(site, view, site_views)
        pages.setdefault(view["kind"], set()).update(view)
        sites.update(context["site"])
        names.update(context)
        return context

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "template_context", spy)
        result = build(site_dir, BuildOptions(write=False, jobs=1, git=False))
    assert not result.report.errors, result.report.errors
    return pages, sites, names


def test_the_template_context_lists_what_templates_get() -> None:
    text = doc("reference/template-context.md")
    pages, sites, names = _context_keys(EXAMPLE_SITE)
    common = set.intersection(*pages.values())
    assert set(first_column(section(text, "The `page` view on every page"))) == common
    documented_page = set(first_column(section(text, "The `page` view of a Markdown page")))
    assert documented_page == pages["page"] - common
    listing = set(first_column(section(text, "The `page` view of a section or home page")))
    # `listing` is null on a page, and documented again where it holds the listing
    assert listing == (pages["section"] | pages["home"]) - pages["page"] | {"listing"}
    generated = {
        row[0].strip("`"): set(re.findall(r"`([^`]+)`", row[1]))
        for row in table_rows(section(text, "The `page` view of the pages commonsgen makes"))
    }
    for kind, keys in pages.items():
        if kind in {"page", "section", "home"}:
            continue
        assert generated.get(kind) == keys - common, kind
    assert set(first_column(section(text, "The `site` view"))) == sites
    documented_names = {
        name.split("(")[0].split(" ")[0]
        for name in first_column(section(text, "Names every template has"))
    }
    assert names <= documented_names, names - documented_names


# -- every command shown exists with the options it names --------------------------------


def _code_blocks(text: str, languages: set[str]) -> Iterator[str]:
    for match in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.DOTALL | re.MULTILINE):
        if match.group(1) in languages:
            yield match.group(2)


def shown_commands() -> list[tuple[str, str]]:
    """(file, command) for every command in an ``sh`` block, and every ``run:`` line of a
    workflow in a ``yaml`` block, split at ``&&``."""
    found = []
    for path in SHOWN:
        text = path.read_text(encoding="utf-8")
        lines = [line for block in _code_blocks(text, {"sh"}) for line in block.splitlines()]
        for block in _code_blocks(text, {"yaml"}):
            lines += [m.group(1) for m in re.finditer(r"- run: (.+)", block)]
        where = str(path.relative_to(REPO))
        for line in lines:
            line = line.split(" #", 1)[0].strip()
            found += [(where, part.strip()) for part in line.split("&&") if part.strip()]
    return found


COMMANDS = shown_commands()
COMMONSGEN = [(where, c) for where, c in COMMANDS if re.match(r"(\S*/)?commonsgen ", c)]


def test_the_docs_show_commonsgen_commands() -> None:
    shown = {shlex.split(command)[1] for _, command in COMMONSGEN}
    assert {"build", "check", "serve", "new", "theme", "translations"} <= shown


@pytest.mark.parametrize(("where", "command"), COMMONSGEN)
def test_every_commonsgen_command_shown_parses(where: str, command: str) -> None:
    args = shlex.split(command)[1:]
    parser = cli._parser()
    try:
        parser.parse_args(args)
    except SystemExit as exc:
        pytest.fail(f"{where}: '{command}' is not a valid command line (exit {exc.code})")


@pytest.mark.parametrize(
    "command", sorted({shlex.split(c)[1] for _, c in COMMONSGEN} | {"translations pin"})
)
def test_every_subcommand_shown_has_help(command: str) -> None:
    result = run_cli(*command.split(), "--help")
    assert result.code == 0 and "usage: commonsgen" in result.stdout, result.stderr


def test_every_script_shown_exists() -> None:
    for where, command in COMMANDS:
        for word in shlex.split(command):
            if word.startswith("benchmarks/") and word.endswith(".py"):
                assert (REPO / word).is_file(), f"{where}: {command}"


@pytest.mark.slow
def test_the_sdist_carries_the_docs_and_no_build_output(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    [sdist] = tmp_path.glob("commonsgen-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    assert {"docs/commonsgen.yml", "docs/content/index.md", "README.md"} <= set(names)
    assert "docs/content/images/example-site.png" in names  # the README's screenshot
    assert not [n for n in names if "/public/" in n or ".commonsgen-cache" in n]
