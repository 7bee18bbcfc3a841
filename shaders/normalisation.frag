#version 330
#include "shapes.glsl"
// BatchNorm's strips, drawn over the wires with alpha blending: a dark band so that the
// ticks read over the light, a faint middle line (the value 0), white ticks.
in vec2 v_local;
in vec2 v_half;
in float v_kind;
in float v_shown;

out vec4 f_colour;

const float BAND_ALPHA = 0.72;
const float LINE_ALPHA = 0.9;
const float TICK_ALPHA = 0.55;  // the batch's ticks overlap: each is half transparent

void main() {
    float corner = v_kind < 0.5 ? 3.0 : 0.0;
    float coverage = clamp(0.5 - rounded_box(v_local, v_half, corner), 0.0, 1.0);
    vec4 colour;
    if (v_kind < 0.5) {
        colour = vec4(NORMALISATION_BAND, BAND_ALPHA);
    } else if (v_kind < 1.5) {
        colour = vec4(NEURON_RIM * 1.4, LINE_ALPHA);
    } else if (v_kind < 2.5) {
        colour = vec4(FORWARD_LIGHT, TICK_ALPHA);
    } else {
        colour = vec4(FORWARD_LIGHT, 1.0);
    }
    f_colour = vec4(colour.rgb, colour.a * coverage * v_shown);
}
