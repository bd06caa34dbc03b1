"""Pure dependency-order logic: topological sort, cycle detection, selection of sub-graphs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence


class CycleError(ValueError):
    """The graph has a cycle; `cycle` lists it, first node repeated at the end."""

    def __init__(self, cycle: Sequence[str]) -> None:
        super().__init__(" -> ".join(cycle))
        self.cycle = list(cycle)


def topo_order(needs: Mapping[str, Sequence[str]]) -> list[str]:
    """Nodes ordered so each comes after what it needs; ties keep definition order.

    Iterative depth-first search, so a chain or cycle of thousands of stages cannot exhaust
    Python's recursion limit.
    """
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for root in needs:
        if state.get(root) == 2:
            continue
        state[root] = 1
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(needs.get(root, ())))]
        while stack:
            node, deps = stack[-1]
            dep = next(deps, None)
            if dep is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif state.get(dep) == 1:
                path = [n for n, _ in stack]
                raise CycleError([*path[path.index(dep) :], dep])
            elif state.get(dep) != 2:
                state[dep] = 1
                stack.append((dep, iter(needs.get(dep, ()))))
    return order


def closure(needs: Mapping[str, Sequence[str]], targets: Iterable[str]) -> set[str]:
    """The targets and everything they transitively need."""
    seen: set[str] = set()
    todo = list(targets)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo.extend(needs.get(node, ()))
    return seen


def dependents(needs: Mapping[str, Sequence[str]], node: str) -> set[str]:
    """Everything that transitively needs `node`."""
    out: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, deps in needs.items():
            if name not in out and (node in deps or out.intersection(deps)):
                out.add(name)
                changed = True
    return out
