"""Data flows one way: a module imports only modules of lower layers (STYLE.md, habit 9)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "commonsgen"

LAYERS: dict[str, int] = {
    "commonsgen": 0,
    "commonsgen.adopt": 0,
    "commonsgen.incremental": 0,
    "commonsgen.markdown": 0,
    "commonsgen.outputs": 0,
    "commonsgen.diagnostics": 0,
    "commonsgen.urls": 0,
    "commonsgen.roles": 0,
    "commonsgen.incremental.stamps": 0,
    "commonsgen.markdown.words": 0,
    "commonsgen.markdown.offsets": 0,
    "commonsgen.markdown.code": 0,
    "commonsgen.yamlsource": 1,
    "commonsgen.i18n": 1,
    "commonsgen.markdown.dialect": 1,
    "commonsgen.markdown.preprocess": 2,
    "commonsgen.markdown.attributes": 3,
    "commonsgen.markdown.writer": 4,
    "commonsgen.adopt.profile": 2,
    "commonsgen.config": 3,
    "commonsgen.licenses": 2,
    "commonsgen.licenses.ports": 1,
    "commonsgen.licenses.expression": 3,
    "commonsgen.model": 1,
    "commonsgen.content": 0,
    "commonsgen.content.discover": 3,
    "commonsgen.content.active": 2,
    "commonsgen.adopt.pages": 3,
    "commonsgen.content.frontmatter": 3,
    "commonsgen.content.contributors": 3,
    "commonsgen.adopt.people": 4,
    "commonsgen.history": 4,
    "commonsgen.content.fields": 4,
    "commonsgen.shown": 4,
    "commonsgen.attribution": 5,
    "commonsgen.translations": 5,
    "commonsgen.site": 6,
    "commonsgen.markdown.html": 7,
    "commonsgen.outputs.credits": 7,
    "commonsgen.outputs.navigation": 7,
    "commonsgen.outputs.cite": 7,
    "commonsgen.outputs.status": 7,
    "commonsgen.outputs.views": 8,
    "commonsgen.parallel": 10,
    "commonsgen.outputs.feeds": 8,
    "commonsgen.outputs.search": 8,
    "commonsgen.outputs.redirects": 8,
    "commonsgen.render": 9,
    "commonsgen.output": 9,
    "commonsgen.incremental.reads": 9,
    "commonsgen.incremental.codec": 8,
    "commonsgen.incremental.memo": 10,
    "commonsgen.incremental.disk": 10,
    "commonsgen.build": 11,
    "commonsgen.designfiles": 10,
    "commonsgen.incremental.textedit": 12,
    "commonsgen.server": 13,
    "commonsgen.scaffold": 13,
    "commonsgen.pinning": 13,
    "commonsgen.themefiles": 13,
    "commonsgen.cli": 14,
    "commonsgen.__main__": 15,
}


PACKAGES = frozenset(
    module
    for module in LAYERS
    if (PACKAGE.parent / module.replace(".", "/") / "__init__.py").is_file()
)
"""Folders of modules: importing one's name is importing a module of it."""


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.Module, name: str) -> set[str]:
    """commonsgen modules imported at run time (TYPE_CHECKING blocks are for hints only)."""
    found: set[str] = set()
    package = name if name in PACKAGES else name.rsplit(".", 1)[0]
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("commonsgen"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            if base.startswith("commonsgen"):
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if candidate in LAYERS else base)
    return found - {name}


def test_every_module_has_a_layer_and_imports_only_lower_layers():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name not in LAYERS:
            problems.append(f"{name} has no layer: add it to LAYERS in tests/test_layering.py")
            continue
        for target in sorted(imported(ast.parse(path.read_text()), name)):
            if target not in LAYERS:
                problems.append(f"{name} imports unknown module {target}")
            elif LAYERS[target] >= LAYERS[name] and target not in PACKAGES:
                problems.append(
                    f"{name} (layer {LAYERS[name]}) imports {target} (layer {LAYERS[target]})"
                )
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_upward_import(tmp_path):
    tree = ast.parse("from commonsgen.build import build\nfrom . import site\n")
    assert imported(tree, "commonsgen.model") == {"commonsgen.build", "commonsgen.site"}
