// Shared by every program: pixel coordinates (origin top-left, y down). The palette and
// the phase codes arrive as #defines from visualizer/render/palette.py (the shader loader
// writes them after #version): POSITIVE_WEIGHT, NEGATIVE_WEIGHT, FORWARD_LIGHT,
// BACKWARD_LIGHT, SPARK_LIGHT, NEURON_BODY, NEURON_RIM, INPUT_TILE_LIT, TRUE_CLASS_RING,
// DROPPED_MARK, NORMALISATION_BAND, SYNAPSE_DATA_WIDTH, PHASE_WAITING, PHASE_FORWARD,
// PHASE_BACKWARD, PHASE_UPDATE.
uniform vec2 u_viewport;  // framebuffer size in pixels

vec4 pixel_to_clip(vec2 p) {
    return vec4(p.x / u_viewport.x * 2.0 - 1.0, 1.0 - p.y / u_viewport.y * 2.0, 0.0, 1.0);
}
