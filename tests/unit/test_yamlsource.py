import time

from commonsgen import yamlsource
from commonsgen.diagnostics import Pos, Report


def load(text: str, offset: int = 0):
    report = Report()
    doc = yamlsource.load(text, path="f.yml", report=report, line_offset=offset)
    return doc, report


def test_positions_are_file_lines_and_columns():
    doc, report = load("title: A\ncontributors:\n  - ada\n  - id: lin\n    roles: [x]\n", offset=1)
    assert not report.items
    assert doc.pos(("title",)) == Pos(2, 1)
    assert doc.pos(("contributors", 0)) == Pos(4, 5)
    assert doc.pos(("contributors", 1, "roles")) == Pos(6, 5)
    # an unknown path falls back to the nearest known parent
    assert doc.pos(("contributors", 1, "roles", 7)) == Pos(6, 5)


def test_syntax_error_points_at_the_problem():
    doc, report = load("title: A\nsummary: a: b\n", offset=1)
    assert doc is None
    [d] = report.items
    assert (d.line, d.code) == (3, "yaml-syntax")
    assert "quoted" in d.hint


def test_python_tags_are_refused():
    doc, report = load("x: !!python/object/apply:os.system ['echo hi']\n")
    assert doc is None
    [d] = report.items
    assert "not allowed" in d.message


def test_impossible_date_stays_text():
    doc, _report = load("date: 2026-13-01\nok: 2026-01-02\n")
    assert doc.value["date"] == "2026-13-01"
    assert str(doc.value["ok"]) == "2026-01-02"


def test_duplicate_key_warns_with_both_lines():
    doc, report = load("title: A\ntitle: B\n")
    assert doc.value == {"title": "B"}
    [d] = report.items
    assert d.code == "duplicate-key" and d.line == 2 and "line 1" in d.message


def test_alias_bomb_is_walked_linearly():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for name in "bcdefghi":
        bomb += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    started = time.perf_counter()
    doc, report = load(bomb)
    # 9**9 values once expanded: refused, after counting each shared node once
    assert time.perf_counter() - started < 1
    assert doc is None
    [d] = report.items
    assert d.code == "yaml-too-large" and "aliases" in d.message
    small, report = load("a: &a [x, x]\nb: [*a, *a]\n")
    assert small is not None and small.value["b"] == [["x", "x"], ["x", "x"]]


def test_control_characters_from_escapes_are_reported_at_each_value_and_left_out():
    text = (
        'title: "Safety\\x07 first"\nlist: [ok, "\\0x", {k: "\\e[1m"}]\n"a\\x01": "\\t\\r fine"\n'
    )
    doc, report = load(text, offset=1)
    assert doc.value == {
        "title": "Safety first",
        "list": ["ok", "x", {"k": "[1m"}],
        "a": "\t\r fine",
    }
    found = sorted((d.line, d.column, d.code, d.message.split(",")[0]) for d in report.items)
    assert found == [
        (2, 8, "control-character", "this value holds the invisible control character U+0007"),
        (3, 12, "control-character", "this value holds the invisible control character U+0000"),
        (3, 23, "control-character", "this value holds the invisible control character U+001B"),
        (4, 1, "control-character", "this value holds the invisible control character U+0001"),
    ]


def test_raw_control_characters_are_one_error_at_the_first_and_the_rest_still_reads():
    doc, report = load("a: 1\nb: x\x07y\x00z\n", offset=0)
    assert doc.value == {"a": 1, "b": "xyz"}
    [d] = report.items
    assert (d.line, d.column, d.code) == (2, 5, "control-character")
    assert "U+0007" in d.message and "(2 in the file)" in d.message
