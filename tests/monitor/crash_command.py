"""A command that crashes with personal data in its message, for the telemetry tests."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    secret_file = Path.home() / ".config" / f"{getpass.getuser()}-notes.txt"
    raise RuntimeError(
        f"cannot read {secret_file} from {Path.cwd() / 'src'} "
        f"via {os.environ['INTERNAL_SERVICE']} with ghp_{'a1B2' * 9} and password=hunter22"
    )
