"""Pure dependency-order logic: topological sort, cycle detection, selection of sub-graphs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence


class CycleError(ValueError):
    """The graph has a cycle; `cycle` lists it, first node repeated at the end."""

    def __init__(self, cycle: Sequence[str]) -> None:
        super().__init__(" -> ".join(cycle))
        self.cycle = list(cycle)


def topo_order(needs: Mapping[str, Sequence[str]]) -> list[str]:
    """Nodes ordered so each comes after what it needs; ties keep definition order."""
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done

    def visit(node: str, stack: list[str]) -> None:
        if state.get(node) == 2:
            return
        if state.get(node) == 1:
            raise CycleError([*stack[stack.index(node) :], node])
        state[node] = 1
        stack.append(node)
        for dep in needs.get(node, ()):
            visit(dep, stack)
        stack.pop()
        state[node] = 2
        order.append(node)

    for node in needs:
        visit(node, [])
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
