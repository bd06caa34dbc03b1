"""`shipyard completion bash|zsh|fish`: print a shell completion script."""

from __future__ import annotations

import argparse

from shipyard import completion, output

INSTALL = {
    "bash": 'eval "$(shipyard completion bash)"   # in ~/.bashrc',
    "zsh": 'shipyard completion zsh > "${fpath[1]}/_shipyard"   # then restart zsh',
    "fish": "shipyard completion fish > ~/.config/fish/completions/shipyard.fish",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = "install: " + "; ".join(f"{k}: {v}" for k, v in INSTALL.items())
    parser.add_argument("shell", choices=completion.SHELLS, help="the shell to complete for")


def run(args: argparse.Namespace) -> int:
    output.out(completion.script(args.shell).rstrip("\n"))
    return 0
