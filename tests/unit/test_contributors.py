from commonsgen.content.contributors import load_registry, orcid_checksum_ok
from commonsgen.diagnostics import Report


def registry(tmp_path, text):
    path = tmp_path / "contributors.yml"
    path.write_text(text, encoding="utf-8")
    report = Report()
    return load_registry(path, "contributors.yml", report), report


def test_reads_people_sorted_by_id(tmp_path):
    people, report = registry(
        tmp_path,
        "lin:\n  name: Lin Zhou\nada:\n  name: Ada Mensah\n  orcid: https://orcid.org/0000-0002-1825-0097\n"
        "  emails: [Ada@Example.org]\n",
    )
    assert not report.items
    assert list(people) == ["ada", "lin"]
    assert people["ada"].orcid == "0000-0002-1825-0097"
    assert people["ada"].emails == ("ada@example.org",)
    assert people["lin"].pos.line == 1


def test_orcid_check_digit():
    assert orcid_checksum_ok("0000-0002-1825-0097")
    assert orcid_checksum_ok("0000-0002-1694-233X")
    assert not orcid_checksum_ok("0000-0002-1825-0098")


def test_bad_entries_are_reported_and_left_out(tmp_path):
    people, report = registry(
        tmp_path,
        "ada:\n  url: ada.example.org\nbad id:\n  name: X\nkim:\n  name: Kim\n  orcid: 0000-0002-1825-0098\n",
    )
    assert list(people) == ["kim"]
    assert people["kim"].orcid is None
    assert {(d.code, d.line) for d in report.items} == {
        ("contributor-without-name", 1),
        ("bad-contributor-id", 3),
        ("bad-orcid", 7),
    }


def test_missing_file_is_an_empty_registry(tmp_path):
    assert load_registry(tmp_path / "none.yml", "none.yml", Report()) == {}
