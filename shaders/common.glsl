// Shared by every program: pixel coordinates (origin top-left, y down). The palette and
// the phase codes arrive as #defines from visualizer/render/palette.py (the shader loader
// writes them after #version): POSITIVE_WEIGHT, NEGATIVE_WEIGHT, FORWARD_LIGHT,
// BACKWARD_LIGHT, SPARK_LIGHT, NEURON_BODY, NEURON_RIM, INPUT_TILE_LIT, TRUE_CLASS_RING,
// DROPPED_MARK, NORMALISATION_BAND, SYNAPSE_DATA_WIDTH, PHASE_WAITING, PHASE_FORWARD,
// PHASE_BACKWARD, PHASE_UPDATE.
uniform vec2 u_viewport;  // framebuffer size in pixels
// Pixels (x0, y0, x1, y1) that an opaque panel drawn later covers (the open lesson list),
// or none; a sprite wholly inside is left out: nothing of it would show.
uniform vec4 u_covered;

vec4 pixel_to_clip(vec2 p) {
    return vec4(p.x / u_viewport.x * 2.0 - 1.0, 1.0 - p.y / u_viewport.y * 2.0, 0.0, 1.0);
}

// A point sprite of ``size`` pixels centred at ``p``: its size, or 0 if nothing of it shows.
float seen_size(vec2 p, float size) {
    vec2 half_size = vec2(0.5 * size);
    bool hidden = all(greaterThanEqual(p - half_size, u_covered.xy))
        && all(lessThanEqual(p + half_size, u_covered.zw));
    return hidden ? 0.0 : size;
}
