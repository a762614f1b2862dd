"""`python -m cli ...`, the same as `tocongnghe ...`."""

import sys

from cli.main import main

sys.exit(main())
