"""Miniatures of real Node repositories for the test runners and builds init wires beyond
vitest: their package.json, configuration and tag history kept, their code cut to a few lines.

- `mime_types`: jshttp/mime-types at 3a1187e (2026), CommonJS, mocha (`mocha --reporter spec
  test/test.js`) under nyc, eslint 8 with .eslintrc.yml, no lockfile (npm), bare `2.1.35` tags
  followed by `v3.0.0`…`v3.0.2`. Substituted for the run: c8 for nyc (the same lcov report;
  nyc is not installed here); eslint is left out of the devDependencies.
"""

from __future__ import annotations

import json
import os
import subprocess

from tests.conftest import GitRepo
from tests.samples import NODE_MODULES

__all__ = ["NODE_MODULES", "mime_types"]

MIME_TYPES_PACKAGE = {
    "name": "mime-types",
    "description": "The ultimate javascript content-type utility.",
    "version": "3.0.2",
    "license": "MIT",
    "repository": "jshttp/mime-types",
    "devDependencies": {"mocha": "10.8.2", "nyc": "15.1.0"},
    "files": ["HISTORY.md", "LICENSE", "index.js", "mimeScore.js"],
    "engines": {"node": ">=18"},
    "scripts": {
        "test": "mocha --reporter spec test/test.js",
        "test-ci": "nyc --reporter=lcov --reporter=text npm test",
        "test-cov": "nyc --reporter=html --reporter=text npm test",
    },
}

MIME_TYPES_INDEX = """\
'use strict'

var db = { 'text/html': ['html', 'htm'], 'application/json': ['json'] }

exports.lookup = function lookup (path) {
  if (!path || typeof path !== 'string') {
    return false
  }
  var extension = path.split('.').pop().toLowerCase()
  for (var type in db) {
    if (db[type].indexOf(extension) !== -1) {
      return type
    }
  }
  return false
}

exports.extension = function extension (type) {
  if (!type || typeof type !== 'string') {
    return false
  }
  var exts = db[type.split(';')[0].trim().toLowerCase()]
  return exts ? exts[0] : false
}

exports.charset = function charset (type) {
  if (/^text\\//i.test(type)) {
    return 'UTF-8'
  }
  return false
}
"""

MIME_TYPES_TEST = """\
var assert = require('assert')
var mimeTypes = require('..')

describe('mimeTypes', function () {
  describe('.lookup(extension)', function () {
    it('should return mime type for ".html"', function () {
      assert.strictEqual(mimeTypes.lookup('.html'), 'text/html')
    })
  })
})
"""


def mime_types(repo: GitRepo, coverage: str = "nyc") -> None:
    """The layout; `coverage="c8"` swaps nyc for c8, which is installed here, for a run."""
    package = json.loads(json.dumps(MIME_TYPES_PACKAGE))
    if coverage != "nyc":
        del package["devDependencies"]["nyc"]
        package["devDependencies"][coverage] = "10.1.3"
    repo.write("package.json", json.dumps(package, indent=2) + "\n")
    repo.write(".eslintrc.yml", "root: true\nextends:\n  - standard\n")
    repo.write(".gitignore", ".nyc_output/\ncoverage/\nnode_modules/\nnpm-debug.log\n")
    repo.write("index.js", MIME_TYPES_INDEX)
    repo.write("test/test.js", MIME_TYPES_TEST)
    (repo.path / "node_modules").symlink_to(NODE_MODULES)
    repo.commit("feat: content types")
    # annotated, a day apart, as released: the newest tags say `v`, most of the history not
    for day, tag in enumerate(("2.1.33", "2.1.34", "2.1.35", "v3.0.0", "v3.0.1", "v3.0.2")):
        env = {**os.environ, "GIT_COMMITTER_DATE": f"2025-01-{day + 1:02d}T12:00:00Z"}
        subprocess.run(["git", "tag", "-a", tag, "-m", tag], cwd=repo.path, env=env, check=True)
