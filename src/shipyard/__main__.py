"""`python -m shipyard` and the `shipyard` script.

SIGTERM becomes KeyboardInterrupt before anything else is imported, and an interrupt at any
moment of start-up is exit 130 with one line, never a traceback or death by the signal.
"""

import signal
import sys
from types import FrameType


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _unraisable(args: "sys.UnraisableHookArgs") -> None:
    """An interrupt that landed in code that cannot raise (a weakref callback during an import,
    a `__del__`) is delivered again at the next safe moment instead of printed and lost."""
    if isinstance(args.exc_value, KeyboardInterrupt):
        # not raised here (that would be ignored again): a timer signal raises it in 1 ms
        signal.signal(signal.SIGALRM, _interrupt)
        signal.setitimer(signal.ITIMER_REAL, 0.001)
        return
    sys.__unraisablehook__(args)


def run() -> None:
    try:
        signal.signal(signal.SIGTERM, _interrupt)
        sys.unraisablehook = _unraisable
        from shipyard.cli import main

        code = main()
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    run()
