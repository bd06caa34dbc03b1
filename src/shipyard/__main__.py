"""`python -m shipyard`."""

import sys

from shipyard.cli import main

sys.exit(main())
