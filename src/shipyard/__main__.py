"""`python -m shipyard` and the `shipyard` script.

SIGTERM becomes KeyboardInterrupt before anything else is imported, and an interrupt at any
moment of start-up is exit 130 with one line, never a traceback or death by the signal.
"""

import signal
import sys
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run() -> None:
    try:
        signal.signal(signal.SIGTERM, _interrupt)
        from shipyard.cli import main

        code = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    run()
