"""``python -m explorer``: the command line (see :mod:`explorer.cli`)."""

import sys

from explorer.cli import main
from explorer.startup import one_command

if __name__ == "__main__":
    one_command()  # this process ends with its command (explorer.startup; the worker turns this off)
    sys.exit(main())
