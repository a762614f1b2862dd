"""`python -m cli ...`, the same as `tocongnghe ...`."""

import sys

from cli.main import main

if __name__ == "__main__":  # not when a spawned worker (the drawing process) imports it
    sys.exit(main())
