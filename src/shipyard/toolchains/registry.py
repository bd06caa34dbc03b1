"""Every toolchain shipyard knows, in the order `init` tries them."""

from __future__ import annotations

from shipyard.toolchains.interface import Toolchain
from shipyard.toolchains.node import Node
from shipyard.toolchains.python import Python

TOOLCHAINS: dict[str, Toolchain] = {"python": Python(), "node": Node()}
