"""``python -m gdsmodel``: the command line."""

import sys

from gdsmodel.cli import main

sys.exit(main())
