"""Run Neural Particles from a source checkout: ``python main.py [options]``."""

from visualizer.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
