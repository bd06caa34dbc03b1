"""The dependency-review workflow: on every pull request, GitHub's dependency-review action
compares the dependency graph of the base and head commits and fails when the change adds a
dependency with a known vulnerability at or above `ci.dependency-review` (default high)."""

from __future__ import annotations

from shipyard.ci.interface import GeneratedFile, Project
from shipyard.ci.pins import uses
from shipyard.ci.workflows import render


def dependency_review(project: Project) -> list[GeneratedFile]:
    severity = project.settings.dependency_review
    if severity is None:
        return []
    job = {
        "runs-on": project.settings.runner,
        "timeout-minutes": 10,
        # the action reads the dependency graph through the API; it needs no checkout
        "permissions": {"contents": "read"},
        "steps": [
            {
                "name": "Review the dependency changes",
                "uses": uses("actions/dependency-review-action"),
                "with": {"fail-on-severity": severity},
            }
        ],
    }
    on = {"pull_request": {"branches": list(project.settings.branches)}}
    return [
        render(project, "dependency-review", "Dependency Review", on, {"dependency-review": job})
    ]
