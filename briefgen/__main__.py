"""The ``briefgen`` command: ``python -m briefgen`` and the installed script."""

import sys


def run() -> None:
    """Run the command line. A Ctrl-C while its modules are still loading (a second or
    more on a slow or busy machine) ends it as quietly as one during a build."""
    try:
        from briefgen.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    sys.exit(main())


if __name__ == "__main__":
    run()
