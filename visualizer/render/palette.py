"""The palette, and every other value that GLSL and Python share: one source for both.

Contract: colours are straight (not premultiplied) RGB or RGBA tuples in 0..1. Python code
imports them from here; shaders get the names listed in ``SHADER_VALUES`` as ``#define``
lines, which ``ShaderLibrary`` writes at the top of every shader it compiles
(``shader_defines``). A value that only one side uses lives beside its code instead.

The show's light has meanings, so a legend swatch must use the same colour as the thing it
explains: weights are blue (w > 0) or amber (w < 0), a pair colour-blind eyes tell apart;
the forward pass is white light, the backward pass red (they also differ in shape and
direction: round comets rising, arrowheads falling).
"""

from __future__ import annotations

from visualizer.choreography import Phase

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]

# ------------------------------------------------------------ the network's light

POSITIVE_WEIGHT: RGB = (0.26, 0.56, 1.00)
NEGATIVE_WEIGHT: RGB = (1.00, 0.58, 0.16)
FORWARD_LIGHT: RGB = (1.00, 0.97, 0.92)
BACKWARD_LIGHT: RGB = (1.00, 0.13, 0.25)
SPARK_LIGHT: RGB = (1.00, 0.84, 0.45)  # the update's flash, and gold sparks: a right guess
WRONG_SPARK_LIGHT: RGB = (0.62, 0.66, 1.0)  # pale violet sparks falling: a wrong guess
UPDATE_SPARK_LIGHT: RGB = (1.0, 0.92, 0.7)  # sparks on the wires that changed most
NEURON_BODY: RGB = (0.045, 0.06, 0.10)
NEURON_RIM: RGB = (0.30, 0.36, 0.48)
INPUT_TILE_LIT: RGB = (0.92, 0.94, 1.0)  # a pixel of the input image at full brightness
TRUE_CLASS_RING: RGB = (0.9, 0.9, 0.9)
DROPPED_MARK: RGB = (0.66, 0.72, 0.84)  # the cross on a neuron Dropout took out
NORMALISATION_BAND: RGB = (0.02, 0.03, 0.06)  # behind BatchNorm's strips
WINDOW_BACKDROP: RGB = (0.02, 0.03, 0.06)  # the window's first frame, before the show

# ------------------------------------------------------------ labels on the stage

LABEL: RGBA = (0.86, 0.9, 1.0, 0.95)
DIM_LABEL: RGBA = (0.6, 0.66, 0.78, 0.85)
BACKWARD_LABEL: RGBA = (1.0, 0.55, 0.6, 1.0)  # a backward-pass value (δ, ∂J/∂w), in light red
UPDATE_LABEL: RGBA = (1.0, 0.86, 0.5, 1.0)  # a value after the update, in the flash's gold
NUMBER_CARD: RGBA = (0.02, 0.03, 0.06, 0.82)  # behind a value written on the network

# ------------------------------------------------------------ the HUD

PANEL: RGBA = (0.065, 0.085, 0.15, 0.82)
PANEL_OPAQUE: RGBA = (*PANEL[:3], 1.0)  # to cut holes in shapes drawn on a panel
PANEL_EDGE: RGBA = (0.24, 0.3, 0.44, 0.55)
TRACK: RGBA = (0.2, 0.25, 0.36, 1.0)
TEXT: RGBA = (0.9, 0.93, 1.0, 1.0)
DIM: RGBA = (0.6, 0.66, 0.78, 1.0)
FAINT: RGBA = (0.38, 0.44, 0.56, 1.0)
RIGHT: RGBA = (0.5, 0.88, 0.62, 1.0)
WRONG: RGBA = (1.0, 0.52, 0.45, 1.0)
TRAIN_CURVE: RGBA = (0.5, 0.72, 1.0, 1.0)  # blue …
TEST_CURVE: RGBA = (1.0, 0.72, 0.35, 1.0)  # … and amber, also drawn with different markers
FORWARD_PHASE_BAR: RGBA = (0.95, 0.95, 1.0, 1.0)
BACKWARD_PHASE_BAR: RGBA = (1.0, 0.3, 0.4, 1.0)
FOCUS_FRAME: RGBA = (1.0, 1.0, 1.0, 0.95)
CANVAS_FRAME: RGBA = (1.0, 1.0, 1.0, 0.9)
TILE_BACK: RGBA = (0.02, 0.025, 0.05, 1.0)
SAMPLE_BAR: RGBA = (0.78, 0.82, 0.92, 1.0)  # a value of a sample that is not an image
MARK_DISC: RGBA = (0.02, 0.03, 0.06, 0.9)
INSPECTOR_CARD: RGBA = (0.04, 0.05, 0.1, 0.94)
RECORDING_DOT: RGBA = (1.0, 0.16, 0.16, 1.0)  # F9's mark (on screen, never in the clip)
TOGGLE_OFF: RGBA = (0.065, 0.085, 0.15, 0.92)  # a view button, its view off …
TOGGLE_ON: RGBA = (0.2, 0.27, 0.42, 1.0)  # … and on

# Classes, in label order: Okabe and Ito's colour-blind-safe set, then two more that stay
# apart from it. Where colour marks a class, a shape or a name marks it too.
CLASS_COLOURS: tuple[RGB, ...] = (
    (0.90, 0.62, 0.00),  # orange
    (0.34, 0.71, 0.91),  # sky blue
    (0.00, 0.62, 0.45),  # bluish green
    (0.94, 0.89, 0.26),  # yellow
    (0.00, 0.45, 0.70),  # blue
    (0.84, 0.37, 0.00),  # vermillion
    (0.80, 0.47, 0.65),  # reddish purple
    (0.85, 0.85, 0.85),  # grey
    (0.55, 0.35, 0.17),  # brown
    (0.60, 0.85, 0.30),  # light green
)

# ------------------------------------------------------------ other shared values

# The phase of the pass on screen, as the shaders' ``u_phase`` uniform reads it.
PHASE_CODES = {Phase.WAITING: 0, Phase.FORWARD: 1, Phase.BACKWARD: 2, Phase.UPDATE: 3}
# Per-synapse data lives in a float texture this wide: synapse id → (id % width, id // width).
SYNAPSE_DATA_WIDTH = 1024

SHADER_VALUES: dict[str, RGB | int] = {
    "POSITIVE_WEIGHT": POSITIVE_WEIGHT,
    "NEGATIVE_WEIGHT": NEGATIVE_WEIGHT,
    "FORWARD_LIGHT": FORWARD_LIGHT,
    "BACKWARD_LIGHT": BACKWARD_LIGHT,
    "SPARK_LIGHT": SPARK_LIGHT,
    "NEURON_BODY": NEURON_BODY,
    "NEURON_RIM": NEURON_RIM,
    "INPUT_TILE_LIT": INPUT_TILE_LIT,
    "TRUE_CLASS_RING": TRUE_CLASS_RING,
    "DROPPED_MARK": DROPPED_MARK,
    "NORMALISATION_BAND": NORMALISATION_BAND,
    "SYNAPSE_DATA_WIDTH": SYNAPSE_DATA_WIDTH,
    **{f"PHASE_{phase.name}": code for phase, code in PHASE_CODES.items()},
}


def shader_defines(values: dict[str, RGB | int] = SHADER_VALUES) -> list[str]:
    """``#define`` lines for GLSL: a colour becomes a ``vec3``, a whole number an ``int``."""
    return [f"#define {name} {_glsl(value)}" for name, value in values.items()]


def _glsl(value: RGB | int) -> str:
    if isinstance(value, int):
        return str(value)
    return f"vec{len(value)}({', '.join(repr(float(c)) for c in value)})"
