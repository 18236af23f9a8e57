"""The GitHub Actions workflow shipped with the example site and shown in the CI guide, and the
test command README.md gives, which .ci/run runs."""

from __future__ import annotations

import re

import yaml

from tests.conftest import EXAMPLE_SITE, REPO, run_cli

WORKFLOW = EXAMPLE_SITE / ".github/workflows/commonsgen.yml"


def load_workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 (PyYAML) reads the bare key `on` as true; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps_text(job: dict) -> str:
    return "\n".join(str(step.get("run", step.get("uses", ""))) for step in job["steps"])


def test_workflow_checks_pull_requests_and_deploys_main_to_pages():
    workflow = load_workflow()
    assert set(workflow["on"]) == {"pull_request", "push"}
    assert workflow["on"]["push"]["branches"] == ["main"]
    jobs = workflow["jobs"]
    assert "pull_request" in jobs["check"]["if"]
    assert "commonsgen check . --format github --strict" in steps_text(jobs["check"])
    build = jobs["build"]
    assert "commonsgen build . --strict" in steps_text(build)
    assert build["steps"][0]["with"]["fetch-depth"] == 0
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    config = yaml.safe_load((EXAMPLE_SITE / "commonsgen.yml").read_text(encoding="utf-8"))
    assert upload["with"]["path"] == config.get("output_dir", "public")
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert "deploy-pages" in steps_text(deploy)
    assert workflow["permissions"] == {"contents": "read"}


def test_the_ci_guide_shows_the_same_workflow():
    guide = (REPO / "docs/content/guide/ci.md").read_text(encoding="utf-8")
    section = guide.split("\n## The workflow\n", 1)[1]
    shown = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert shown is not None
    assert shown.group(1) == WORKFLOW.read_text(encoding="utf-8")


def test_ci_runs_exactly_the_readmes_test_command():
    run = (REPO / ".ci/run").read_text(encoding="utf-8").rstrip("\n").splitlines()[-1]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.DOTALL)
    assert "pytest" in run and any(run in block.splitlines() for block in blocks), run


def test_the_check_step_passes_on_the_example_site():
    result = run_cli("check", ".", "--format", "github", "--strict", cwd=EXAMPLE_SITE)
    assert (result.code, result.stdout) == (0, ""), result.stdout + result.stderr
