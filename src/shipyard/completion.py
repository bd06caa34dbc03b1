"""Shell completion scripts (bash, zsh, fish), generated from the same argparse tree the CLI uses.

`tree()` walks every command's parser into plain data (a `Node` per command path); the three
renderers turn that data into a static script, so completing never starts Python.
"""

from __future__ import annotations

import argparse
import importlib
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")
ROOT = "shipyard"


@dataclass
class Node:
    """One command path: its options, its sub-commands and the choices of its positionals."""

    help: str = ""
    flags: list[str] = field(default_factory=list)  # options that take no value
    valued: dict[str, list[str]] = field(default_factory=dict)  # option -> choices ([] = any)
    args: list[str] = field(default_factory=list)  # choices of positional arguments
    subs: dict[str, Node] = field(default_factory=dict)


def _node(parser: argparse.ArgumentParser, text: str) -> Node:
    node = Node(help=text)
    for action in parser._actions:  # argparse has no public walk over its actions
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                node.subs[name] = _node(sub, helps.get(name, ""))
        elif action.option_strings:
            if action.nargs == 0:
                node.flags.extend(action.option_strings)
            else:
                choices = [str(c) for c in action.choices or ()]
                for opt in action.option_strings:
                    node.valued[opt] = choices
        elif action.choices:
            node.args.extend(str(c) for c in action.choices)
    return node


def tree() -> Node:
    """The whole command tree, built from each command module's own `add_arguments`."""
    from shipyard.cli import COMMANDS

    root = Node(help="shipyard", flags=["-h", "--help", "--version"], valued={"-C": []})
    for name, (module_name, text) in COMMANDS.items():
        parser = argparse.ArgumentParser(prog=f"shipyard {name}", description=text)
        importlib.import_module(module_name).add_arguments(parser)
        root.subs[name] = _node(parser, text)
    return root


def _paths(node: Node, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Node]]:
    found = [(path, node)]
    for name, sub in node.subs.items():
        found.extend(_paths(sub, (*path, name)))
    return found


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _key(path: tuple[str, ...], *rest: str) -> str:
    return " ".join((ROOT, *path, *rest))


def _entries(root: Node) -> list[tuple[str, str, str]]:
    """(array, key, value): the data every POSIX-family script shares, keyed by command path."""
    rows: list[tuple[str, str, str]] = []
    for path, node in _paths(root):
        rows.append(("subs", _key(path), " ".join(node.subs)))
        rows.append(("opts", _key(path), " ".join([*node.flags, *node.valued])))
        rows.append(("args", _key(path), " ".join(node.args)))
        for opt, choices in node.valued.items():
            rows.append(("vals", _key(path, opt), " ".join(choices) or "@"))
    return rows


ARRAYS = "_shipyard_subs _shipyard_opts _shipyard_vals _shipyard_args"


# Shared by bash and zsh: walk the words before the cursor and print the candidates, one per
# line; "@files" means: complete file names. `words` and `cur` are set by each shell's wrapper.
_WALK = r"""
_shipyard_candidates() {
  local path=shipyard prev="" w key i
  for ((i = 1; i < ${#_sy_words[@]}; i++)); do
    w=${_sy_words[i]}
    if [[ -n $prev ]]; then prev=""; continue; fi
    key="$path $w"
    if [[ $w == -* ]]; then
      [[ -n ${_shipyard_vals[$key]} ]] && prev=$w
      continue
    fi
    if [[ " ${_shipyard_subs[$path]} " == *" $w "* ]]; then path="$path $w"; fi
  done
  if [[ -n $prev ]]; then
    if [[ ${_shipyard_vals[$path $prev]} == "@" ]]; then echo "@files"
    else printf '%s\n' ${_shipyard_vals[$path $prev]}; fi
    return
  fi
  if [[ $_sy_cur == -* ]]; then printf '%s\n' ${_shipyard_opts[$path]}; return; fi
  if [[ -n ${_shipyard_subs[$path]}${_shipyard_args[$path]} ]]; then
    printf '%s\n' ${_shipyard_subs[$path]} ${_shipyard_args[$path]}
  else
    echo "@files"
  fi
}
"""


def bash(root: Node) -> str:
    return "\n".join(
        [
            "# bash completion for shipyard: `source <(shipyard completion bash)`",
            f"declare -gA {ARRAYS}",
            *(f"_shipyard_{a}[{_quote(k)}]={_quote(v)}" for a, k, v in _entries(root)),
            _WALK,
            "_shipyard() {",
            '  local _sy_cur=${COMP_WORDS[COMP_CWORD]} _sy_words=("${COMP_WORDS[@]:0:COMP_CWORD}")',
            "  local c; c=$(_shipyard_candidates)",
            '  if [[ $c == "@files" ]]; then COMPREPLY=($(compgen -f -- "$_sy_cur")); return; fi',
            '  COMPREPLY=($(compgen -W "$c" -- "$_sy_cur"))',
            "}",
            "complete -o default -F _shipyard shipyard",
            "",
        ]
    )


def zsh(root: Node) -> str:
    return "\n".join(
        [
            "#compdef shipyard",
            "# zsh completion for shipyard: `shipyard completion zsh > ~/.zfunc/_shipyard`",
            f"typeset -gA {ARRAYS}",  # zsh keeps quotes in subscripts: assign as pairs
            *(f"_shipyard_{a}+=({_quote(k)} {_quote(v)})" for a, k, v in _entries(root)),
            _WALK,
            "_shipyard() {",
            "  setopt local_options ksh_arrays sh_word_split",
            '  local _sy_cur=${words[CURRENT-1]} _sy_words=("${(@)words[0,CURRENT-2]}")',
            '  local -a c; c=(${(f)"$(_shipyard_candidates)"})',
            '  if [[ ${c[0]} == "@files" ]]; then _files; return; fi',
            '  compadd -- "${c[@]}"',
            "}",
            'if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _shipyard "$@"',
            "else compdef _shipyard shipyard; fi",
            "",
        ]
    )


def _fish_condition(path: tuple[str, ...], node: Node) -> str:
    """fish's test for "the words so far lead to exactly this command path"."""
    if not path:
        return "__fish_use_subcommand"
    checks = [f"__fish_seen_subcommand_from {name}" for name in path]
    if node.subs:
        checks.append("not __fish_seen_subcommand_from " + " ".join(node.subs))
    return "; and ".join(checks)


def fish(root: Node) -> str:
    lines = ["# fish completion for shipyard: `shipyard completion fish | source`"]
    lines.append("complete -c shipyard -f")
    for path, node in _paths(root):
        cond = _quote(_fish_condition(path, node))
        for name, sub in node.subs.items():
            desc = _quote(sub.help)
            lines.append(f"complete -c shipyard -n {cond} -a {_quote(name)} -d {desc}")
        if node.args:
            lines.append(f"complete -c shipyard -n {cond} -a {_quote(' '.join(node.args))}")
        for opt in node.flags:
            lines.append(f"complete -c shipyard -n {cond} {_fish_opt(opt)}")
        for opt, choices in node.valued.items():
            values = f"-xa {_quote(' '.join(choices))}" if choices else "-rF"
            lines.append(f"complete -c shipyard -n {cond} {_fish_opt(opt)} {values}")
    return "\n".join(lines) + "\n"


def _fish_opt(opt: str) -> str:
    if opt.startswith("--"):
        return f"-l {_quote(opt[2:])}"
    return f"-s {_quote(opt[1:])}" if len(opt) == 2 else f"-o {_quote(opt[1:])}"


RENDERERS = {"bash": bash, "zsh": zsh, "fish": fish}


def script(shell: str) -> str:
    return RENDERERS[shell](tree())
