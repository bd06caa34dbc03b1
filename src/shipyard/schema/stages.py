"""`[stages.NAME]`, and the top-level `mask` list (docs/configuration.md)."""

from __future__ import annotations

from shipyard.schema.model import Group, Key

NAME = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$"  # config._NAME, at most MAX_NAME_LENGTH
TRIGGERS = ("push", "pr", "tag", "schedule")
REPORT_KINDS = ("benchmark", "bundle", "coverage", "format", "junit", "lint", "sarif", "typecheck")
_TRIGGER = {"type": "string", "enum": list(TRIGGERS)}

WHEN = Group(
    "when the stage runs: triggers, changed paths, branches, a schedule",
    keys=(
        Key("on", "strings", "triggers: push, pr, tag, schedule", ("push", "pr"), choices=TRIGGERS),
        Key(
            "changed",
            "strings",
            "path globs: with --changed-since REF (and in generated PR workflows) the stage runs "
            "only when a changed file matches",
        ),
        Key(
            "branches", "strings", "branches whose pushes trigger the stage in generated workflows"
        ),
        Key(
            "schedule",
            "string",
            "a cron expression for generated workflows; adds schedule to on",
            example="0 3 * * *",
        ),
    ),
)

STAGE = Group(
    "one stage of the pipeline",
    keys=(
        Key(
            "run",
            "strings",
            "shell command(s), run in order with /bin/sh -c; the first that exits non-zero fails "
            "the stage",
            example="pytest -q",
            json={"minItems": 1},
        ),
        Key(
            "needs",
            "strings",
            "stages that must pass first; ^NAME: NAME's instances in the packages this "
            "per-package stage depends on",
            example=[],
        ),
        Key(
            "inputs",
            "strings",
            "files whose content enters the cache key; a stage without inputs is never cached",
        ),
        Key("outputs", "strings", "files or folders saved in the cache and restored on a hit"),
        Key(
            "env",
            "string-map",
            "extra environment variables (part of the cache key)",
            json={"propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"}},
        ),
        Key(
            "cwd",
            "string",
            "folder the commands run in, relative to the project root",
            example=".",
            json={"minLength": 1},
        ),
        Key("budget", "duration", "expected time; a stage over budget is reported, not failed"),
        Key("timeout", "duration", "the stage's process group is killed after this long"),
        Key(
            "critical",
            "boolean",
            "a failing critical stage fails the run; a non-critical failure is only reported",
            True,
        ),
        Key(
            "when",
            "value",
            "when the stage runs: a trigger, a list of triggers, or a table",
            json={"anyOf": [_TRIGGER, {"type": "array", "items": _TRIGGER}]},
            group=WHEN,
            example=["push", "pr"],
        ),
        Key(
            "matrix",
            "table",
            'axis -> list of versions, e.g. { python = ["3.11", "3.12"] }',
            group=Group(
                "the matrix axes",
                entries=Key(
                    "AXIS",
                    "value",
                    "the values of one axis",
                    json={
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": ["string", "number"]},
                    },
                    example=["3.12"],
                ),
                names=NAME,
            ),
        ),
        Key(
            "reports",
            "string-map",
            "report kind -> the path the stage writes it to, for the gates and the run store",
            json={"propertyNames": {"enum": list(REPORT_KINDS)}},
        ),
        Key(
            "shard",
            "integer",
            "split a test stage over this many CI runners",
            minimum=1,
            maximum=256,
        ),
        Key(
            "release",
            "boolean",
            "shipyard release (and run --release) runs this stage before anything is published",
            False,
        ),
        Key("description", "string", "shown in generated workflows", ""),
        Key(
            "per-package",
            "value",
            "run the stage in every workspace package (true), or in those whose name or folder "
            "matches one of these globs: one NAME@PACKAGE stage each",
            json={
                "anyOf": [
                    {"type": "boolean"},
                    {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                ]
            },
            example=False,
        ),
    ),
    required=("run",),
    example={"run": "true"},
)

STAGES = Group(
    "the pipeline's stages, by name (letters, digits, '_', '-' and '.')",
    entries=Key("NAME", "table", "one stage", group=STAGE),
    names=NAME,
)

MASK = Key(
    "mask",
    "strings",
    "more environment variables whose values shipyard hides as ***",
    json={"type": "array"},
)

# what config.parse reads at the top level itself; the other sections belong to their owners
TOP = Group(
    "the pipeline definition",
    keys=(Key("stages", "table", STAGES.description, group=STAGES), MASK),
)
SECTION = TOP.keys[0]
