"""Write a PNG grid of generated training images (the picture in the README).

    python scripts/make_sample_grid.py [OUT.png] [--seed N] [--count 48]

Each image is drawn at 4× with a label bar under it: blue = circle, orange = square.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from visualizer.config import load_config
from visualizer.training.shapes import CIRCLE, generate

SCALE, GAP, BAR = 4, 6, 4
BACKGROUND, CIRCLE_COLOUR, SQUARE_COLOUR = (14, 16, 26), (90, 190, 255), (255, 170, 60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="docs/images/samples.png")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=48)
    parser.add_argument("--columns", type=int, default=12)
    args = parser.parse_args()

    style = load_config().data.shapes
    data = generate(args.count, np.random.default_rng(args.seed), style)
    side = style.image_size * SCALE
    rows = -(-args.count // args.columns)
    cell_w, cell_h = side + GAP, side + GAP + BAR + 2
    sheet = pygame.Surface((args.columns * cell_w + GAP, rows * cell_h + GAP))
    sheet.fill(BACKGROUND)
    for index, (pixels, label) in enumerate(zip(data.images, data.labels)):
        row, column = divmod(index, args.columns)
        x, y = GAP + column * cell_w, GAP + row * cell_h
        grey = np.kron(pixels.reshape(style.image_size, -1), np.ones((SCALE, SCALE)))
        rgb = np.repeat((grey.T * 255).astype(np.uint8)[:, :, None], 3, axis=2)
        sheet.blit(pygame.surfarray.make_surface(rgb), (x, y))
        colour = CIRCLE_COLOUR if label == CIRCLE else SQUARE_COLOUR
        sheet.fill(colour, (x, y + side + 2, side, BAR))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(sheet, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
