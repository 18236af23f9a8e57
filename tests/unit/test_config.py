from pathlib import Path

import pytest

from commonsgen.config import ConfigMissing, load_config
from commonsgen.diagnostics import Report


def config(tmp_path: Path, text: str, **overrides):
    (tmp_path / "commonsgen.yml").write_text(text, encoding="utf-8")
    report = Report()
    return load_config(tmp_path, report, overrides=overrides), report


def test_defaults(tmp_path):
    cfg, report = config(tmp_path, "title: River Watch\n")
    assert not report.items
    assert cfg.title == "River Watch"
    assert cfg.base_url == "/"
    assert (cfg.content_dir, cfg.output_dir, cfg.theme, cfg.language) == (
        "content",
        "public",
        "default",
        "en",
    )
    assert cfg.language_codes() == ("en",)
    assert cfg.output_path == tmp_path.resolve() / "public"


def test_base_url_gets_a_trailing_slash_and_overrides_win(tmp_path):
    cfg, _ = config(tmp_path, "title: T\nbase_url: https://example.org/handbook\n")
    assert cfg.base_url == "https://example.org/handbook/"
    cfg, _ = config(tmp_path, "title: T\nbase_url: https://a.org/\n", base_url="https://b.org/x")
    assert cfg.base_url == "https://b.org/x/"


def test_unknown_key_is_a_warning_with_suggestion(tmp_path):
    cfg, report = config(tmp_path, "title: T\ndefault_licence: CC-BY-4.0\n")
    assert cfg is not None
    [d] = report.items
    assert (d.severity, d.line, d.column, d.code) == ("warning", 2, 1, "unknown-config-key")
    assert d.hint == "did you mean 'default_license'?"


def test_wrong_types_and_missing_title_are_errors_at_their_key(tmp_path):
    cfg, report = config(tmp_path, "strict: maybe\nbase_url: example.org\n")
    assert cfg is None
    by_code = {(d.code, d.line) for d in report.items}
    assert ("config-type", 1) in by_code
    assert ("config-type", 2) in by_code
    assert ("config-missing-key", 1) in by_code


def test_not_a_mapping(tmp_path):
    cfg, report = config(tmp_path, "- a\n- b\n")
    assert cfg is None and report.items[0].code == "config-not-mapping"


def test_languages_default_first(tmp_path):
    cfg, _ = config(tmp_path, "title: T\nlanguage: en\nlanguages:\n  de: Deutsch\n  en: English\n")
    assert [(lang.code, lang.title) for lang in cfg.languages] == [
        ("en", "English"),
        ("de", "Deutsch"),
    ]


def test_absolute_paths_are_refused(tmp_path):
    cfg, report = config(tmp_path, "title: T\noutput_dir: /etc\n")
    assert cfg is None and "absolute" in report.items[0].message


def test_missing_file(tmp_path):
    with pytest.raises(ConfigMissing):
        load_config(tmp_path, Report())
