"""The whole definition `shipyard init` proposes: every detected toolchain's stages, the
security and staged-secrets stages, and the plan's other sections (gates, release, hooks,
bench), as data that render.py turns into commented TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from shipyard.store import STATE_DIR
from shipyard.toolchains import tags
from shipyard.toolchains.interface import BUDGETS, Guess, Proposal, StageTable
from shipyard.toolchains.registry import TOOLCHAINS

GATE_REPORTS = ("coverage", "junit", "lint", "typecheck", "bundle")


@dataclass
class Plan:
    stages: dict[str, StageTable] = field(default_factory=dict)
    guesses: list[Guess] = field(default_factory=list)
    publish: list[str] = field(default_factory=list)
    tag: tags.TagStyle = field(default_factory=lambda: tags.TagStyle("v{version}", None, None))
    scheme: str = "semver"
    bench: dict[str, StageTable] = field(default_factory=dict)
    branch: str = "main"
    ignore: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)

    @property
    def reports(self) -> set[str]:
        """The report kinds some stage writes (the gates that can be judged)."""
        return {kind for t in self.stages.values() for kind in t.get("reports", {})}

    @property
    def pre_commit(self) -> list[str]:
        lint = [n for n in self.stages if n == "lint" or n.endswith("-lint")]
        return [*lint, "secrets"]


def propose(root: Path) -> Plan:
    """Detect every toolchain at `root`; an empty plan when none matches."""
    from shipyard.git import Repo

    found = [tc for tc in TOOLCHAINS.values() if tc.detect(root)]
    plan = Plan(languages=[tc.name for tc in found])
    if not found:
        return plan
    proposals: list[Proposal] = []
    for tc in found:
        proposal = tc.propose(root)
        proposals.append(proposal)
        prefix = f"{tc.name}-" if len(found) > 1 and tc.name != "python" else ""
        for name, table in proposal.stages.items():
            if prefix and "needs" in table:
                table["needs"] = [prefix + n for n in table["needs"]]
            plan.stages[prefix + name] = table
        plan.guesses += proposal.guesses
        plan.bench.update(proposal.bench)
        plan.ignore += proposal.ignore
        if proposal.publish:
            plan.publish.append(proposal.publish)
    plan.stages["security"] = {
        "run": "shipyard scan",
        "critical": False,
        "budget": BUDGETS["security"],
    }
    plan.stages["secrets"] = {"run": "shipyard scan secrets --staged", "when": []}
    repo = Repo.find(root)
    if repo is not None:
        plan.branch = repo.default_branch()
        plan.guesses.append(
            Guess(f"default branch: {plan.branch}", "git (origin/HEAD, main, master)")
        )
        tagged = repo.git("tag", "--list", "--sort=-creatordate", check=False).split()
        plan.tag = tags.detect(tagged, proposals[0].package)
    _mark_workspace(root, plan)
    plan.scheme = plan.tag.scheme or proposals[0].scheme
    where = f"tag {plan.tag.example}" if plan.tag.example else "no release tag yet"
    plan.guesses.append(Guess(f"release tags: {plan.tag.format}, versions {plan.scheme}", where))
    # `shipyard scan` (the security stage) writes its SBOM into the project root
    plan.ignore = list(dict.fromkeys([f"{STATE_DIR}/", *plan.ignore, "sbom.cdx.json"]))
    return plan


def _mark_workspace(root: Path, plan: Plan) -> None:
    """Name a monorepo's packages, and give each Node package its own stages."""
    from shipyard import workspace
    from shipyard.errors import ShipyardError

    try:
        ws = workspace.discover(root)
    except ShipyardError as exc:
        plan.guesses.append(Guess(f"workspace: not read ({exc.message})", "the manifests"))
        return
    if ws is None or not ws.packages:
        return
    names = ", ".join(f"{p.name} ({p.folder})" for p in ws.packages)
    plan.guesses.append(Guess(f"workspace packages: {names}", f"{ws.kind} workspace"))
    if "node" in plan.languages:
        from shipyard.toolchains import monorepo

        monorepo.split(root, plan, ws)
