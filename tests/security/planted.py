"""A corpus of planted secrets, one per rule family, built at run time from random characters
(so this source file holds no secret-shaped string for any scanner to trip over)."""

from __future__ import annotations

import json
import random
import string

_rng = random.Random(20261127)
ALNUM = string.ascii_letters + string.digits


def token(n: int, alphabet: str = ALNUM) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


AWS = "AKIA" + token(16, string.ascii_uppercase + "234567")
GITHUB = "ghp_" + token(36)
GITLAB = "glpat-" + token(20)
SLACK = "xoxb-" + token(12, string.digits) + "-" + token(13, string.digits) + "-" + token(24)
STRIPE = "sk_" + "live_" + token(24)
NPM = "npm_" + token(36)
PYPI = "pypi-AgEIcHlwaS5vcmc" + token(60)
SENDGRID = "SG." + token(22) + "." + token(43)
GENERIC = token(32)
PEM_BODY = "\n".join(token(64, ALNUM + "+/") for _ in range(6))
PRIVATE_KEY = f"-----BEGIN RSA PRIVATE KEY-----\n{PEM_BODY}\n-----END RSA PRIVATE KEY-----\n"

NOTEBOOK = json.dumps(
    {
        "cells": [
            {
                "cell_type": "code",
                "source": [f'client = Slack("{SLACK}")\n'],
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    },
    indent=1,
)

# path -> (content, rule expected, the secret)
CORPUS: dict[str, tuple[str, str, str]] = {
    "config/settings.yaml": (f"aws:\n  access_key_id: {AWS}\n", "aws-access-key-id", AWS),
    "src/app.py": (f'import os\n\nTOKEN = "{GITHUB}"\n', "github-pat", GITHUB),
    ".env": (f"GITLAB_TOKEN={GITLAB}\n", "gitlab-pat", GITLAB),
    "notebooks/analysis.ipynb": (NOTEBOOK, "slack-bot-token", SLACK),
    "src/pay.js": (f"const stripe = require('stripe')('{STRIPE}');\n", "stripe-secret-key", STRIPE),
    ".npmrc": (f"//registry.npmjs.org/:_authToken={NPM}\n", "npm-access-token", NPM),
    ".pypirc": (f"[pypi]\nusername = __token__\npassword = {PYPI}\n", "pypi-upload-token", PYPI),
    "deploy/id_rsa": (PRIVATE_KEY, "private-key", PRIVATE_KEY.strip()),
    "config/app.ini": (f"[service]\napi_key = {GENERIC}\n", "generic-api-key", GENERIC),
}
