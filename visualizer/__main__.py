"""``python -m visualizer`` runs the same command line as ``main.py`` and ``neural-particles``."""

from visualizer.cli import main

raise SystemExit(main())
