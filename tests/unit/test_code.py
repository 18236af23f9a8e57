"""Fenced code blocks: coloured, numbered and marked lines (commonsgen.markdown.code)."""

from __future__ import annotations

import html
import re

from hypothesis import given
from hypothesis import strategies as st

from commonsgen.markdown.code import Fence, code_block, parse_info


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment.removesuffix("</pre>\n")))


def test_a_known_language_is_coloured_with_token_classes_and_keeps_its_text():
    block = code_block("python", 'def f():\n    return "a<b"\n')
    assert block.startswith('<pre class="highlight" tabindex="0"><code class="language-python">')
    assert '<span class="k">def</span>' in block and '<span class="nf">f</span>' in block
    assert "&lt;" in block and "<b" not in block.replace("<pre", "").replace("</", "")
    assert text_of(block) == 'def f():\n    return "a<b"\n'


def test_an_unknown_or_missing_language_is_escaped_text_as_before():
    assert (
        code_block("", 'x "<y>"\n')
        == '<pre tabindex="0"><code>x &quot;&lt;y&gt;&quot;\n</code></pre>\n'
    )
    assert code_block("no-such-lang", "z\n") == (
        '<pre tabindex="0"><code class="language-no-such-lang">z\n</code></pre>\n'
    )


def test_hugo_and_python_markdown_option_spellings():
    assert parse_info('python {linenos=true hl_lines="2-3"}') == Fence(
        "python", 1, frozenset({2, 3})
    )
    assert parse_info('python linenums="5" hl_lines="1 4"') == Fence("python", 5, frozenset({1, 4}))
    assert parse_info("python{linenos=table}") == Fence("python", 1)
    assert parse_info("bash title=run.sh") == Fence("bash")
    assert parse_info('python hl_lines="1-99999999"').marked == frozenset(range(1, 10_001))


def test_numbered_and_marked_lines_are_elements_whose_numbers_are_not_text():
    block = code_block('python linenums="7" hl_lines="2"', "a = 1\nb = 2\n")
    rows = re.findall(r'<span class="(line[^"]*)"><span class="ln" aria-hidden="true">(\d+)', block)
    assert rows == [("line", "7"), ("line hl", "8")]
    without_numbers = re.sub(r'<span class="ln"[^>]*>\d+</span>', "", block)
    assert text_of(without_numbers) == "a = 1\nb = 2\n"


def test_a_hostile_language_name_cannot_leave_the_class_attribute():
    block = code_block('"><script>alert(1)</script>', "x\n")
    assert "<script>" not in block and "&quot;&gt;&lt;script&gt;" in block


@given(st.sampled_from(["python", "bash", "yaml", "json", "html", "", "zzz"]), st.text())
def test_any_text_in_any_language_comes_out_as_the_same_text(language, text):
    # Markdown hands code blocks over with line endings made \n
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    assert text_of(code_block(language, text)) == text
