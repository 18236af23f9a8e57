"""People as real repositories write them: one person per list item, one id rule for every
name, and git identities that share a personal address as one person."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commonsgen.build import BuildOptions, build
from commonsgen.content.contributors import is_person_id, person_slug
from commonsgen.history import (
    Exclusions,
    History,
    compile_patterns,
    is_personal_email,
    merge_identities,
    parse_log,
)
from tests.conftest import write_files
from tests.unit.test_history import commit, git

JOURNAL = {
    "commonsgen.yml": "title: Journal\nbase_url: https://journal.example.org/\n"
    "profile: journal.yml\n",
    "journal.yml": """\
content: lessons
roles:
  authors: author
  editors: editor
  credits: contributor
split_names: [credits]
registry:
  file: _data/people.yml
  shape: mapping
  key: name
license: CC-BY-4.0
""",
    "_data/people.yml": """\
"Martin Luther King, Jr.": {}
Kim Møller: {}
"Zo&#235; Wilkinson Salda&#241;a": {}
""",
    "lessons/a.md": """\
---
title: A lesson
authors:
  - Martin Luther King, Jr.
  - Sam and Ella Okafor
  - Zo&#235; Wilkinson Salda&#241;a
editors: [Kim Møller]
credits: Lin Zhou, Ada Mensah and Henry Ford, II
---
Text.
""",
}


@pytest.fixture(scope="module")
def journal(tmp_path_factory):
    root = write_files(tmp_path_factory.mktemp("journal"), JOURNAL)
    return build(root, BuildOptions(write=False, jobs=1, git=False))


def test_a_list_item_is_one_person_whatever_it_contains(journal):
    credits = [(c.name, c.roles, c.contributor_id) for c in journal.site.pages["a.md"].contributors]
    assert credits[:4] == [
        ("Martin Luther King, Jr.", ("author",), "martin-luther-king-jr"),
        ("Sam and Ella Okafor", ("author",), None),
        ("Zoë Wilkinson Saldaña", ("author",), "zoë-wilkinson-saldaña"),  # decoded once
        ("Kim Møller", ("editor",), "kim-møller"),
    ]


def test_only_a_declared_string_is_split_and_never_before_a_suffix(journal):
    names = [c.name for c in journal.site.pages["a.md"].contributors if "contributor" in c.roles]
    assert names == ["Lin Zhou", "Ada Mensah", "Henry Ford, II"]


def test_one_slug_rule_keeps_letters_of_any_script():
    assert person_slug("Kim Møller") == "kim-møller"
    assert person_slug("Xènia Pérez Sitjà") == "xènia-pérez-sitjà"
    assert person_slug("Flora D'Anna") == "flora-danna"
    assert person_slug("हिन्दी नाम") == "हिन्दी-नाम"  # vowel signs are kept, not dropped as by \w
    assert person_slug("Cafe\u0301 Owner") == "café-owner"  # NFC
    assert person_slug("!!!") == "person"
    assert is_person_id("kim-møller") and not is_person_id("-x") and not is_person_id("a/b")


def test_an_inline_person_keeps_their_url_when_a_name_keyed_registry_adds_them(tmp_path):
    files = {k: v for k, v in JOURNAL.items() if k != "_data/people.yml"}
    before = build(write_files(tmp_path / "before", files), BuildOptions(write=False, git=False))
    after = build(write_files(tmp_path / "after", JOURNAL), BuildOptions(write=False, git=False))
    for name in ("Kim Møller", "Martin Luther King, Jr."):
        urls = [
            next(p.page_url for p in result.site.people.values() if p.name == name)
            for result in (before, after)
        ]
        assert urls[0] == urls[1], name
    assert "contributors/kim-møller/index.html" in after.files


def test_generic_addresses_are_nobody_in_particular():
    for address in ("ada@example.org", "123+ada@users.noreply.github.com", "Ada@Example.ORG"):
        assert is_personal_email(address), address
    for address in (
        "noreply@github.com",
        "root@localhost",
        "team@example.org",
        "info@example.org",
        "you@example.com",
        "ada@laptop.local",
        "",
        "no-at-sign",
    ):
        assert not is_personal_email(address), address


def _record(sha: str, date: str, name: str, email: str, message: str, *status: str) -> str:
    header = "\x1f".join([sha, f"{date}T12:00:00+00:00", name, email, message + "\n"])
    return "\x1e" + header + "\x1f\0\n" + "\0".join(status) + "\0"


def test_identities_sharing_a_personal_email_are_one_person_and_generic_ones_never():
    raw = (
        _record("6", "2026-06-01", "A. Mensah", "ada@example.org", "Tidy", "M", "a.md")
        + _record("5", "2026-05-01", "Ada Mensah", "ada@example.org", "More", "M", "a.md")
        + _record("4", "2026-04-01", "Ada Mensah", "ada@example.org", "More", "M", "a.md")
        + _record("3", "2026-03-01", "Bob", "root@localhost", "Fix", "M", "a.md")
        + _record("2", "2026-02-01", "Carol", "root@localhost", "Fix", "M", "a.md")
        + _record("1", "2026-01-01", "Dan", "noreply@github.com", "Add", "A", "a.md")
    )
    commits, _files = parse_log(raw, lambda people: {}, Exclusions())
    merged = merge_identities(commits)
    people = {person for c in merged.values() for person in c.credited}
    assert {p.name for p in people} == {"Ada Mensah", "Bob", "Carol", "Dan"}
    # the mailmap's word on an address wins: it is left as the mailmap made it
    kept = merge_identities(commits, frozenset({"ada@example.org"}))
    assert {p.name for c in kept.values() for p in c.credited} >= {"A. Mensah", "Ada Mensah"}


def test_commits_the_site_excludes_set_no_dates():
    raw = _record("2", "2026-05-01", "Eve", "eve@example.org", "Fix a typo", "M", "a.md") + _record(
        "1",
        "2026-01-01",
        "dependabot[bot]",
        "49699333+dependabot[bot]@users.noreply.github.com",
        "Add",
        "A",
        "a.md",
    )

    rules = Exclusions(messages=compile_patterns([r"\btypo\b"], "exclude_messages"))
    commits, files = parse_log(raw, lambda people: {}, rules)
    found = History(Path("."), "", commits, files)
    # the bot's commit still dates the file (nobody else touched it); the typo fix does not
    assert [str(d) for d in found.dates("a.md")] == ["2026-01-01", "2026-01-01"]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_git_history_credits_one_person_per_personal_address(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    config = "title: T\nbase_url: https://example.org/\ndefault_license: CC-BY-4.0\n"
    page = "---\ntitle: A\ncontributors: [{name: Kim Møller}]\n---\n"
    commit(
        root,
        {"commonsgen.yml": config, "content/a.md": page + "1\n"},
        "Add",
        who=("Ada", "ada@example.org"),
    )
    commit(root, {"content/a.md": page + "2\n"}, "More", who=("Ada Mensah", "ada@example.org"))
    commit(root, {"content/a.md": page + "3\n"}, "More", who=("Ada Mensah", "ada@example.org"))
    commit(root, {"content/a.md": page + "4\n"}, "Fix", who=("Bob", "root@localhost"))
    commit(root, {"content/a.md": page + "5\n"}, "Fix", who=("Carol", "root@localhost"))
    commit(root, {"content/a.md": page + "6\n"}, "Fix", who=("Kim Møller", "kim@example.org"))
    result = build(root, BuildOptions(write=False, jobs=1))
    edits = {result.site.people[e.key].name: e.commits for e in result.site.edits["a.md"]}
    assert edits == {"Ada Mensah": 3, "Bob": 1, "Carol": 1}
    # the git name and the inline name are one person, by one slug rule
    assert "kim-møller" in result.site.people


def test_a_person_who_joins_an_id_keyed_registry_keeps_a_redirect(make_site):
    files = {
        "content/a.md": "---\ntitle: A\ncontributors:\n  - name: Sam Okafor\n---\n",
    }
    before = build(make_site(files), BuildOptions(write=False, git=False))
    assert "contributors/sam-okafor/index.html" in before.files
    files = {
        "contributors.yml": "sam:\n  name: Sam Okafor\n",
        "content/a.md": "---\ntitle: A\ncontributors: [sam]\n---\n",
    }
    after = build(make_site(files), BuildOptions(write=False, git=False))
    assert not after.report.errors, after.report.items
    moved = after.files["contributors/sam-okafor/index.html"].decode()
    assert '<meta http-equiv="refresh" content="0; url=../sam/">' in moved
    assert '<link rel="canonical" href="https://example.org/handbook/contributors/sam/">' in moved
    assert "contributors/sam/index.html" in after.files


def test_an_inline_name_has_its_entities_decoded_once(make_site):
    root = make_site(
        {"content/a.md": "---\ntitle: A\ncontributors:\n  - name: Zo&#235; &amp;amp; Co\n---\n"}
    )
    result = build(root, BuildOptions(write=False, git=False))
    assert [c.name for c in result.site.pages["a.md"].contributors] == ["Zoë &amp; Co"]
