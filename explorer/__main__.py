"""``python -m explorer`` and the installed ``explorer`` command: the command line (see :mod:`explorer.cli`)."""

import sys

from explorer.cli import main
from explorer.startup import one_command


def run() -> None:
    """The command line as a process of its own: it ends with its command (:func:`explorer.startup.one_command`;
    the worker takes the mark back)."""
    one_command()
    sys.exit(main())


if __name__ == "__main__":
    run()
