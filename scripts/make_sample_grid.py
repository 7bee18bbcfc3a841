"""Write a PNG grid of generated training images (the pictures in the README and the docs).

    python scripts/make_sample_grid.py [OUT.png] [--source shapes|digits] [--seed N]
                                       [--count N] [--columns N]

Each image is drawn at 4× in the default style of its source (config/default.yaml).
Shapes (docs/images/samples.png): in the order drawn, with a label bar under each: blue =
circle, orange = square. Digits (docs/images/digits.png): one row per digit, 0 at the top.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import load_config
from visualizer.training.data import generate
from visualizer.training.shapes import CIRCLE

SCALE, GAP, BAR = 4, 6, 4
BACKGROUND, CIRCLE_COLOUR, SQUARE_COLOUR = (14, 16, 26), (90, 190, 255), (255, 170, 60)
DEFAULTS = {  # source → (out, count, columns)
    "shapes": ("docs/images/samples.png", 48, 12),
    "digits": ("docs/images/digits.png", 120, 12),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?")
    parser.add_argument("--source", choices=DEFAULTS, default="shapes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int)
    parser.add_argument("--columns", type=int)
    args = parser.parse_args()
    out, count, columns = DEFAULTS[args.source]
    out, count, columns = args.out or out, args.count or count, args.columns or columns

    data = dataclasses.replace(load_config().data, source=args.source)
    samples = generate(data, count, np.random.default_rng(args.seed))
    labelled = args.source == "shapes"
    # Digits are sorted by class, one row each (with --columns 12 and 12 per class).
    order = np.arange(count) if labelled else np.argsort(samples.labels, kind="stable")
    side = samples.image_side * SCALE
    rows = -(-count // columns)
    cell_w, cell_h = side + GAP, side + GAP + (BAR + 2 if labelled else 0)
    sheet = pygame.Surface((columns * cell_w + GAP, rows * cell_h + GAP))
    sheet.fill(BACKGROUND)
    for index, sample in enumerate(order):
        row, column = divmod(index, columns)
        x, y = GAP + column * cell_w, GAP + row * cell_h
        pixels = samples.inputs[sample].reshape(samples.image_side, -1)
        grey = np.kron(pixels, np.ones((SCALE, SCALE)))
        rgb = np.repeat((grey.T * 255).astype(np.uint8)[:, :, None], 3, axis=2)
        sheet.blit(pygame.surfarray.make_surface(rgb), (x, y))
        if labelled:
            colour = CIRCLE_COLOUR if samples.labels[sample] == CIRCLE else SQUARE_COLOUR
            sheet.fill(colour, (x, y + side + 2, side, BAR))
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(sheet, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
