"""Draw the app icon: a small network glowing on a rounded navy square.

    python scripts/make_icon.py [OUT_DIR]

Writes ``neural-particles-{16,24,32,48,64,128,256,512}.png`` and ``neural-particles.ico``
(16 to 256, PNG-compressed entries, read by Windows Vista and later) into
``assets/icons/``. Every size is drawn natively from distance fields, supersampled and
averaged down: lines and dots never get thinner than about a pixel, so the small sizes
stay crisp, and the wires and sparks the small sizes cannot show are left out.
"""

from __future__ import annotations

import argparse
import itertools
import os
import struct
from pathlib import Path

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

ICONS = Path(__file__).resolve().parents[1] / "assets" / "icons"
NAME = "neural-particles"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # an ICO entry cannot be larger than 256

# The app's palette (shaders/common.glsl, shaders/neurons.frag).
NAVY = np.array([7, 11, 22]) / 255
NAVY_GLOW = np.array([0.06, 0.10, 0.22])
RIM = np.array([0.30, 0.42, 0.70])
POSITIVE = np.array([0.26, 0.56, 1.00])
NEGATIVE = np.array([1.00, 0.58, 0.16])
LIGHT = np.array([1.00, 0.97, 0.92])  # glows and particles
WHITE = np.array([0.98, 0.99, 1.00])  # the lit neurons themselves
BODY = np.array([0.045, 0.06, 0.10])
BODY_RIM = np.array([0.30, 0.36, 0.48])

# The network, in units of the icon's side (y down). Inputs are pixel tiles as in the app.
OUTPUTS = ((0.36, 0.25), (0.64, 0.25))
HIDDEN = ((0.25, 0.53), (0.50, 0.53), (0.75, 0.53))
INPUTS = ((0.22, 0.79, 1.0), (0.41, 0.79, 0.3), (0.59, 0.79, 0.8), (0.78, 0.79, 0.5))
TILE_LIGHT = np.array([0.92, 0.94, 1.0])
# Weight signs and strengths, fixed so that the icon reads blue-and-amber at every size.
HIDDEN_TO_OUTPUT = {(0, 0): 0.9, (1, 0): 1.0, (2, 0): -0.7, (0, 1): -0.8, (1, 1): 0.6, (2, 1): 0.9}
INPUT_TO_HIDDEN = {
    (0, 0): 1.0, (0, 1): 0.5, (0, 2): -0.4, (1, 0): -0.7, (1, 1): 0.8, (1, 2): 0.4,
    (2, 0): 0.5, (2, 1): -0.9, (2, 2): 0.8, (3, 0): -0.5, (3, 1): 0.6, (3, 2): 1.0,
}  # fmt: skip
# Which wires carry a particle of light, and where along them (0 at the lower end).
SPARKED_WIRES = {1: 0.45, 5: 0.6, 6: 0.35, 14: 0.55, 17: 0.4}
# Small sizes (32 px and less): rows further apart, three tiles and four crossing wires.
SMALL_OUTPUTS = ((0.34, 0.22), (0.66, 0.22))
SMALL_HIDDEN = ((0.22, 0.53), (0.50, 0.53), (0.78, 0.53))
SMALL_INPUTS = ((0.22, 0.84, 1.0), (0.50, 0.84, 0.45), (0.78, 0.84, 0.8))
SMALL_INPUT_TO_HIDDEN = {(0, 1): 1.0, (1, 0): -0.9, (1, 2): 0.8, (2, 1): 1.0}


class Canvas:
    """RGB light on a supersampled grid; coordinates are in icon pixels, y down."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.sub = max(2, 512 // size)  # supersamples per icon pixel along each axis
        side = size * self.sub
        centres = (np.arange(side) + 0.5) / self.sub
        self.x, self.y = np.meshgrid(centres, centres)
        self.rgb = np.zeros((side, side, 3))
        self.aa = 0.5 / self.sub  # half a supersample: edges are averaged, not blurred

    def coverage(self, distance: np.ndarray) -> np.ndarray:
        """1 inside a shape (distance < 0), 0 outside, one supersample of ramp between."""
        return np.clip(0.5 - distance / (2 * self.aa), 0.0, 1.0)

    def add(self, colour: np.ndarray, amount: np.ndarray) -> None:
        self.rgb += amount[..., None] * colour

    def over(self, colour: np.ndarray, alpha: np.ndarray) -> None:
        self.rgb += alpha[..., None] * (colour - self.rgb)

    def pixels(self, mask: np.ndarray) -> np.ndarray:
        """RGBA bytes: supersamples averaged (premultiplied), light clipped to white."""
        rgb = np.clip(self.rgb, 0.0, 1.0) * mask[..., None]
        rgba = np.concatenate([rgb, mask[..., None]], axis=2)
        rgba = rgba.reshape(self.size, self.sub, self.size, self.sub, 4).mean(axis=(1, 3))
        alpha = rgba[..., 3:]
        rgba[..., :3] = np.divide(
            rgba[..., :3], alpha, out=np.zeros_like(rgba[..., :3]), where=alpha > 0
        )
        return np.round(rgba * 255).astype(np.uint8)


def rounded_square(canvas: Canvas, margin: float, corner: float) -> np.ndarray:
    """Signed distance to the icon's tile (negative inside)."""
    half = canvas.size / 2 - margin
    qx = np.abs(canvas.x - canvas.size / 2) - (half - corner)
    qy = np.abs(canvas.y - canvas.size / 2) - (half - corner)
    outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0))
    return outside + np.minimum(np.maximum(qx, qy), 0) - corner


def curve(start: tuple[float, float], end: tuple[float, float], steps: int = 40) -> np.ndarray:
    """The app's synapse shape: a cubic that leaves and arrives vertically."""
    (x0, y0), (x1, y1) = start, end
    bend = 0.55 * (y1 - y0)
    control = np.array([(x0, y0), (x0, y0 + bend), (x1, y1 - bend), (x1, y1)])
    t = np.linspace(0, 1, steps)[:, None]
    weights = [(1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t**2 * (1 - t), t**3]
    return sum(w * c for w, c in zip(weights, control))


def distance_to_polyline(canvas: Canvas, points: np.ndarray, reach: float) -> np.ndarray:
    """Distance to the polyline, worked out only within ``reach`` of it (inf beyond)."""
    best = np.full(canvas.x.shape, np.inf)
    low = np.maximum(((points.min(axis=0) - reach) * canvas.sub).astype(int), 0)
    high = ((points.max(axis=0) + reach) * canvas.sub).astype(int) + 1
    window = np.s_[low[1] : high[1], low[0] : high[0]]
    x, y, near = canvas.x[window], canvas.y[window], best[window]
    for (ax, ay), (bx, by) in itertools.pairwise(points):
        dx, dy = bx - ax, by - ay
        t = np.clip(((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy), 0, 1)
        np.minimum(near, np.hypot(x - ax - t * dx, y - ay - t * dy), out=near)
    return best


def draw(size: int) -> np.ndarray:
    """The icon at ``size`` × ``size`` pixels, as RGBA bytes (rows top to bottom)."""
    canvas = Canvas(size)
    small = size <= 32

    def place(point: tuple[float, float], diameter: float) -> tuple[float, float]:
        """``point`` in pixels, moved so that a dot covers whole pixels: sharp, not mud."""
        pixels = max(round(diameter), 1)
        return tuple(round(c * size - pixels / 2) + pixels / 2 for c in point)

    margin = 0.0 if small else 0.055 * size
    tile = rounded_square(canvas, margin, max(3.0, 0.2 * size))
    mask = canvas.coverage(tile)

    # Backdrop: navy with the app's blue glow just above the middle, and a faint rim light
    # so that the dark tile still has an edge on a dark panel.
    r = np.hypot(canvas.x / size - 0.5, canvas.y / size - 0.45) / 0.62
    canvas.rgb[:] = NAVY
    canvas.add(NAVY_GLOW - NAVY, np.clip(1 - r, 0, 1) ** 1.5)
    rim = max(1.0, 0.008 * size)
    canvas.add(RIM, 0.3 * canvas.coverage(np.abs(tile + rim / 2) - rim / 2))

    # Dots stay at least two pixels across, the outputs larger than the hidden neurons.
    output_radius = max(1.6 if size <= 16 else 1.8, 0.06 * size)
    hidden_radius = 1.1 if size <= 16 else max(1.3, 0.04 * size)
    tile_half = max(1.0, 0.04 * size)
    outputs = [place(p, 2 * output_radius) for p in (SMALL_OUTPUTS if small else OUTPUTS)]
    hidden = [place(p, 2 * hidden_radius) for p in (SMALL_HIDDEN if small else HIDDEN)]
    tiles = SMALL_INPUTS if small else INPUTS
    inputs = [place(p[:2], 2 * tile_half) for p in tiles]

    # Wires: a thin core and a soft glow, brightness and width following |w|.
    core = max(0.8, 0.006 * size)
    glow = max(1.0, 0.016 * size)
    wires = [(hidden[i], outputs[j], w) for (i, j), w in HIDDEN_TO_OUTPUT.items()]
    pairs = SMALL_INPUT_TO_HIDDEN if small else INPUT_TO_HIDDEN
    wires += [(inputs[i], hidden[j], w) for (i, j), w in pairs.items()]
    for index, (start, end, weight) in enumerate(wires):
        points = curve(start, end)
        d = distance_to_polyline(canvas, points, 3 * glow)
        colour = POSITIVE if weight > 0 else NEGATIVE
        # Dimmer at small sizes, where a wire is as wide as a neuron and must not outshine it.
        strength = (0.35 + 0.45 * abs(weight)) if small else (0.35 + 0.55 * abs(weight))
        canvas.add(colour, strength * canvas.coverage(d - core * (0.5 + 0.5 * abs(weight)) / 2))
        if not small:  # a glow a pixel wide would only smear the line
            canvas.add(colour, 0.3 * strength * np.exp(-((d / glow) ** 2)))
        if not small and index in SPARKED_WIRES:  # a few particles of the forward pass
            x, y = points[round(SPARKED_WIRES[index] * (len(points) - 1))]
            spark = np.hypot(canvas.x - x, canvas.y - y)
            canvas.add(LIGHT, np.exp(-((spark / max(1.0, 0.009 * size)) ** 2)))
            canvas.add(LIGHT, 0.25 * np.exp(-((spark / max(1.0, 0.025 * size)) ** 2)))

    # Input tiles: pixels of an image, lit by their value.
    for (x, y), (*_, value) in zip(inputs, tiles):
        qx, qy = np.abs(canvas.x - x) - 0.7 * tile_half, np.abs(canvas.y - y) - 0.7 * tile_half
        box = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) - 0.3 * tile_half
        canvas.over(BODY + value * (TILE_LIGHT - BODY), canvas.coverage(box))
        if not small:
            canvas.add(LIGHT, 0.2 * value * np.exp(-((np.maximum(box, 0) / tile_half) ** 2)))

    # Hidden neurons: white light, a core and a glow.
    for x, y in hidden:
        d = np.hypot(canvas.x - x, canvas.y - y)
        if not small:
            canvas.add(LIGHT, 0.45 * np.exp(-((d / (2.4 * hidden_radius)) ** 2)))
        canvas.over(WHITE, canvas.coverage(d - hidden_radius))

    # Outputs: the left one lit (the prediction), the right one a dark body with a rim.
    for index, (x, y) in enumerate(outputs):
        d = np.hypot(canvas.x - x, canvas.y - y)
        if index == 0:
            if not small:
                canvas.add(LIGHT, 0.5 * np.exp(-((d / (2.2 * output_radius)) ** 2)))
            canvas.over(WHITE, canvas.coverage(d - output_radius))
        else:
            canvas.over(BODY_RIM, canvas.coverage(d - output_radius))
            if not small:  # a dark body three pixels wide would be a hole
                canvas.over(BODY, canvas.coverage(d - output_radius + max(1.0, 0.008 * size)))

    return canvas.pixels(mask)


def write_png(pixels: np.ndarray, path: Path) -> None:
    size = pixels.shape[1], pixels.shape[0]
    surface = pygame.image.frombuffer(pixels.tobytes(), size, "RGBA")
    pygame.image.save(surface, str(path))


def write_ico(pngs: dict[int, bytes], path: Path) -> None:
    """A Windows ICO holding ``pngs`` (size → PNG bytes) as PNG-compressed entries."""
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(pngs)
    entries, images = b"", b""
    for size, data in sorted(pngs.items()):
        side = size % 256  # 0 means 256
        # width, height, palette colours, reserved, colour planes, bits per pixel, size, offset
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        offset += len(data)
        images += data
    path.write_bytes(header + entries + images)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default=ICONS, type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pngs = {}
    for size in PNG_SIZES:
        path = args.out / f"{NAME}-{size}.png"
        write_png(draw(size), path)
        pngs[size] = path.read_bytes()
        print(f"wrote {path}")
    ico = args.out / f"{NAME}.ico"
    write_ico({size: pngs[size] for size in ICO_SIZES}, ico)
    print(f"wrote {ico}")


if __name__ == "__main__":
    main()
