"""``commonsgen new``: a new site that builds with no warnings, or a new page in a site.

Nothing a user made is overwritten: a site is only created in a folder that does not exist
or is empty (a bare ``git init`` counts as empty), and every file is opened with ``"x"``
(create, fail if it exists), so a file that appears in the meantime is left alone too.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

from commonsgen import licenses
from commonsgen.config import CONFIG_FILE, OPTIONS, load_config
from commonsgen.content.contributors import load_registry, name_key, person_slug
from commonsgen.diagnostics import Report, format_text

DEFAULT_LICENSE = "CC-BY-SA-4.0"
"""The licence of a new site unless ``--license`` says otherwise: the licence of Wikipedia
and of most community handbooks, which keeps adaptations open."""

PLACEHOLDER_NAME = "Your Name"
"""Who a new site credits when git knows no name and ``--author`` gives none."""

# Ignored so that a `.git` from `git init` does not make a folder count as in use.
_IGNORABLE = frozenset({".git"})


class ScaffoldError(Exception):
    """A usage problem: the message says what is wrong and how to go on."""


@dataclass(frozen=True, slots=True)
class Created:
    root: Path
    """The site folder (for ``new page``, the site the page belongs to)."""
    files: tuple[Path, ...]
    """What was written, absolute paths, in the order written."""
    notes: tuple[str, ...] = ()
    """What the user may want to change by hand (an unmatched e-mail, a placeholder name)."""


@dataclass(frozen=True, slots=True)
class Identity:
    name: str | None
    email: str | None


# --- checking options -------------------------------------------------------------------


def _option_check(key: str, value: object) -> str | None:
    option = next(option for option in OPTIONS if option.key == key)
    return option.check(value)


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ScaffoldError("--title: the title is empty; write it as --title 'River Handbook'")
    if "\n" in title:
        raise ScaffoldError("--title: the title must be one line")
    return title


def check_language(code: str) -> str:
    problem = _option_check("language", code)
    if problem:
        raise ScaffoldError(f"--language: {problem}")
    return code


def check_license(text: str) -> tuple[str, str | None]:
    """The SPDX id for ``text``, and a note when it was written another way."""
    found = licenses.lookup(text)
    if found.license is None:
        raise ScaffoldError(f"--license: '{text}' is not a licence commonsgen knows; {found.hint}")
    if found.exact:
        return found.license.id, None
    return found.license.id, f"'{text}' is written as its SPDX id, {found.license.id}"


# --- a new site -------------------------------------------------------------------------


def git_identity(cwd: Path) -> Identity:
    """git's user.name and user.email as seen from ``cwd``; None for what git lacks."""
    return Identity(_git_config(cwd, "user.name"), _git_config(cwd, "user.email"))


def _git_config(cwd: Path, key: str) -> str | None:
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run(
            [git, "config", "--get", key],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    value = done.stdout.strip()
    return value if done.returncode == 0 and value else None


def title_from_name(name: str) -> str:
    """``field-visit`` -> ``Field visit``: what a file or folder name says, as a title."""
    words = re.sub(r"[-_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:] if words else ""


def contributor_id(name: str) -> str:
    """An id for the registry from a person's name: ``Ada Mensah`` -> ``ada-mensah``."""
    slug = person_slug(name)
    return slug if slug != "person" or name_key(name) == "person" else "me"


def yaml_text(value: str) -> str:
    """``value`` as a YAML scalar that reads back as the same text (quoted when needed)."""
    try:
        plain_ok = yaml.safe_load(f"key: {value}") == {"key": value}
    except yaml.YAMLError:
        plain_ok = False
    # A JSON string is a YAML double-quoted scalar.
    return value if plain_ok else json.dumps(value, ensure_ascii=False)


def new_site(
    target: Path,
    *,
    title: str | None = None,
    language: str = "en",
    license_text: str = DEFAULT_LICENSE,
    author: str | None = None,
    identity: Identity | None = None,
    today: dt.date | None = None,
    install_from: str | None = None,
) -> Created:
    """Create a site in ``target`` (which must not exist, or be empty). ``install_from``:
    what its CI workflow installs (default: this commonsgen, see :func:`install_source`)."""
    target = target.absolute()
    _refuse_used_folder(target)
    title = check_title(title if title is not None else title_from_name(target.name) or "Handbook")
    language = check_language(language)
    license_id, license_note = check_license(license_text)
    identity = identity or git_identity(target.parent if target.parent.is_dir() else Path.cwd())
    name = (author or identity.name or PLACEHOLDER_NAME).strip() or PLACEHOLDER_NAME
    cid = contributor_id(name)
    source = install_source(install_from)
    notes = [license_note] if license_note else []
    if source.note:
        notes.append(source.note)
    if name == PLACEHOLDER_NAME:
        notes.append(
            f"contributors.yml credits '{PLACEHOLDER_NAME}': put your name there "
            "(or pass --author, or set git's user.name)"
        )
    files = site_files(
        title=title,
        language=language,
        license_id=license_id,
        name=name,
        cid=cid,
        email=identity.email if author is None or identity.name == author else None,
        today=today or dt.date.today(),
        install=source.requirement,
    )
    target.mkdir(parents=True, exist_ok=True)
    written = [_create(target / rel, text) for rel, text in files.items()]
    return Created(target, tuple(written), tuple(notes))


@dataclass(frozen=True, slots=True)
class InstallSource:
    requirement: str
    """What the workflow gives ``pip install``."""
    note: str | None = None


_REQUIREMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9@:/._+=#~!,<>-]*")
"""A pip requirement or URL, written into the workflow's YAML between double quotes: no
quote, space, ``$`` or newline can end the string or reach the shell."""


def install_source(explicit: str | None = None) -> InstallSource:
    """What a new site's CI installs: the same commonsgen that wrote the workflow, from
    where it came. pip records a direct install (PEP 610's ``direct_url.json``): a git
    URL is pinned to the commit, an archive URL is kept; an install from a package index
    is pinned to its exact version. A local folder is not reachable from CI, so the
    workflow names the version and the note says to pass ``--install-from``."""
    if explicit is not None:
        if not _REQUIREMENT.fullmatch(explicit.replace(" @ ", "@", 1)):
            raise ScaffoldError(
                f"--install-from '{explicit}' is not a pip requirement or URL "
                "(for example git+https://example.org/commonsgen.git@v0.1.0)"
            )
        return InstallSource(explicit)
    from importlib import metadata

    try:
        dist = metadata.distribution("commonsgen")
    except metadata.PackageNotFoundError:  # run from a source folder without installing
        return _local_source("0+unknown")
    return source_of_install(dist.version, dist.read_text("direct_url.json"))


def source_of_install(version: str, direct_url: str | None) -> InstallSource:
    """The requirement for the install that pip recorded; ``direct_url``: the text of
    its ``direct_url.json``, None for an install from a package index."""
    if direct_url is None:
        return InstallSource(f"commonsgen=={version}")
    try:
        direct = json.loads(direct_url)
        url = direct["url"]
        vcs = direct.get("vcs_info")
    except (ValueError, KeyError, TypeError, AttributeError):
        return _local_source(version)
    if not isinstance(url, str) or not url.startswith(("https://", "http://", "ssh://")):
        return _local_source(version)  # file: URLs and anything CI cannot reach
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        requirement = f"commonsgen @ git+{url}@{vcs['commit_id']}"
    else:
        requirement = f"commonsgen @ {url}"
    if not _REQUIREMENT.fullmatch(requirement.replace(" @ ", "@", 1)):
        return _local_source(version)
    return InstallSource(requirement)


def _local_source(version: str) -> InstallSource:
    return InstallSource(
        f"commonsgen=={version}",
        note=(
            "this commonsgen was installed from a local folder, which CI cannot reach: "
            f".github/workflows/commonsgen.yml installs 'commonsgen=={version}'; edit that "
            "line, or create the site with --install-from (a git URL at a tag, such as "
            "git+https://example.org/commonsgen.git@v0.1.0)"
        ),
    )


def _refuse_used_folder(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file; give the path of a new folder")
    if target.is_dir():
        used = sorted(p.name for p in target.iterdir() if p.name not in _IGNORABLE)
        if used:
            shown = ", ".join(used[:5]) + (", ..." if len(used) > 5 else "")
            raise ScaffoldError(
                f"{target} is not empty ({shown}); commonsgen new only creates a site in a "
                "new or empty folder, so that nothing of yours is overwritten. Choose "
                "another folder, or add pages to an existing site with: commonsgen new page PATH"
            )


def _create(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    return path


def site_files(
    *,
    title: str,
    language: str,
    license_id: str,
    name: str,
    cid: str,
    email: str | None,
    today: dt.date,
    install: str,
) -> dict[str, str]:
    """Relative path -> text of every file of a new site."""
    emails = f"  emails:\n    - {yaml_text(email)}\n" if email else ""
    return {
        CONFIG_FILE: (
            "# The site's settings: commonsgen's documentation lists every key (Reference,\n"
            "# Configuration: docs/content/reference/config.md in its repository).\n"
            f"title: {yaml_text(title)}\n"
            f"language: {language}\n"
            "# The licence of every page that names none in its frontmatter (an SPDX id).\n"
            f"default_license: {license_id}\n"
            "# Where the site will be published; builds in CI pass --base-url instead.\n"
            "# base_url: https://example.org/handbook/\n"
        ),
        "contributors.yml": (
            "# The people credited on this site, by id. Pages name them under `contributors:`.\n"
            "# `emails` lets `commonsgen new page` credit you from git's user.email.\n"
            f"{cid}:\n"
            f"  name: {yaml_text(name)}\n"
            f"{emails}"
        ),
        "content/index.md": (
            "---\n"
            f"title: {yaml_text(title)}\n"
            "contributors:\n"
            f"  - {cid}\n"
            f"date: {today.isoformat()}\n"
            "---\n"
            "\n"
            "Welcome. This is the first page of the site: edit it in `content/index.md`.\n"
            "\n"
            "Add a page with `commonsgen new page my-page.md`, preview the site with\n"
            "`commonsgen serve`, and check it with `commonsgen check --strict`.\n"
        ),
        "templates/README.md": TEMPLATES_README,
        ".gitignore": (
            "# What commonsgen writes: the built site and its build cache.\n"
            "/public/\n"
            "/.commonsgen-cache/\n"
        ),
        ".github/workflows/commonsgen.yml": CI_WORKFLOW.replace("{install}", install),
    }


TEMPLATES_README = """\
# Theme overrides

A template in this folder replaces the default theme's template of the same name, one file
at a time: copy `page.html` (or `partials/footer.html`, ...) from commonsgen's
`themes/default/templates/` here and change your copy. Templates not in this folder come
from the theme. `commonsgen serve` reloads the preview when you save one.

Files here that are not templates, such as this README, are never published.
"""

CI_WORKFLOW = """\
# Check every pull request with commonsgen; build and publish to GitHub Pages from main.
# Copy this file to .github/workflows/ at the top of your site's repository. In the
# repository's settings, under Pages, set "Source" to "GitHub Actions".
name: commonsgen

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

jobs:
  check:
    # Annotates the pull request: each problem shows on its line under "Files changed".
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "{install}"
      - run: commonsgen check . --format github --strict

  build:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the whole history: page dates and credits come from git
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install "{install}"
      - uses: actions/cache@v4
        with:
          # the build cache: pages whose inputs did not change are not rendered again
          path: .commonsgen-cache
          key: commonsgen-${{ github.sha }}
          restore-keys: commonsgen-
      - id: pages
        uses: actions/configure-pages@v5
      - run: commonsgen build . --strict --base-url "${{ steps.pages.outputs.base_url }}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
"""The same workflow as ``example-site/.github/workflows/commonsgen.yml`` (a test keeps
them equal), so that a new site is checked and published from its first push."""


# --- a new page -------------------------------------------------------------------------


def find_site(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` that has a ``commonsgen.yml``."""
    start = start.absolute()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    return None


def page_path(written: str, *, content: Path, cwd: Path) -> Path:
    """Where ``commonsgen new page PATH`` writes.

    PATH is taken from the current folder when that lands in the content folder (so tab
    completion inside ``content/`` works, and ``content/guides/kit.md`` from the site root
    too); otherwise it is relative to the content folder (``guides/kit.md`` from the site
    root, or from anywhere with ``--site``). ``.md`` is added when missing.
    """
    if not written.strip():
        raise ScaffoldError("the page path is empty; write it as guides/first-steps.md")
    path = Path(written)
    if path.suffix.lower() != ".md":
        path = path.with_name(path.name + ".md")
    content = content.resolve()
    from_cwd = (cwd / path).resolve()
    if from_cwd.is_relative_to(content):
        return from_cwd
    if path.is_absolute():
        raise ScaffoldError(f"{written} is outside the content folder {content}")
    from_content = (content / path).resolve()
    if not from_content.is_relative_to(content):
        raise ScaffoldError(f"{written} would leave the content folder {content}")
    return from_content


def new_page(
    written: str,
    *,
    site: Path | None = None,
    cwd: Path | None = None,
    title: str | None = None,
    identity: Identity | None = None,
    today: dt.date | None = None,
) -> Created:
    """Create a page with its frontmatter filled in from the site and from git."""
    cwd = (cwd or Path.cwd()).absolute()
    root = site.absolute() if site is not None else find_site(cwd)
    if root is None or not (root / CONFIG_FILE).is_file():
        where = root if root is not None else cwd
        raise ScaffoldError(
            f"no {CONFIG_FILE} in {where} or above it; run commonsgen new page inside a site, "
            "or name the site with --site DIR"
        )
    report = Report()
    config = load_config(root, report)
    if config is None:
        raise ScaffoldError(
            f"{CONFIG_FILE} cannot be used, so the page's defaults are unknown:\n"
            + format_text(report.sorted()).rstrip()
        )
    path = page_path(written, content=config.content_path, cwd=cwd)
    if path.exists():
        raise ScaffoldError(f"{path} already exists; it is left as it is. Choose another name")
    rel = path.relative_to(config.content_path).as_posix()
    if title is None:
        name = path.parent.name if path.stem == "index" else path.stem
        title = config.title if rel == "index.md" else title_from_name(name)
    title = check_title(title)

    registry = load_registry(config.contributors_path, config.contributors_file, Report())
    identity = identity or git_identity(root)
    email = (identity.email or "").strip().lower()
    matched = sorted(cid for cid, person in registry.items() if email and email in person.emails)
    notes: list[str] = []
    lines = ["---", f"title: {yaml_text(title)}"]
    if matched:
        lines += ["contributors:", f"  - {matched[0]}"]
    else:
        lines.append("contributors: []  # ids from " + config.contributors_file)
        if email:
            notes.append(
                f"git's user.email {identity.email} is in no entry of "
                f"{config.contributors_file}: add it to your entry's emails to be credited "
                "on new pages, and name yourself under contributors: in this page"
            )
        else:
            notes.append(
                "git has no user.email here: name the page's contributors yourself "
                f"(ids from {config.contributors_file})"
            )
    if config.default_license:
        lines.append(f"license: {config.default_license}")
    else:
        lines.append("# license: CC-BY-4.0  # an SPDX id; the site has no default_license")
        notes.append("the site has no default_license: give the page a licence")
    lines += [f"date: {(today or dt.date.today()).isoformat()}", "---", "", ""]
    written_path = _create(path, "\n".join(lines))
    return Created(root, (written_path,), tuple(notes))
