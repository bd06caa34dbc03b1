"""A command that fails with a bug, for testing the internal-error boundary."""

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise RuntimeError("a bug with token=abc")
