#version 330
#include "common.glsl"
// BatchNorm's strips: one quad per shape (a band, its middle line, a tick per image and
// neuron). A tick appears at the image's z as the forward wave nears its row, and slides
// to its x̂ as the wave passes it; it stays there through the backward pass and fades out
// with the update.
in float a_x;       // pixels: the shape's centre …
in float a_before;  // … at this height before the normalisation (z) …
in float a_after;   // … and at this one after it (x̂)
in vec2 a_half;     // half width and height, pixels
in float a_kind;    // 0 band, 1 middle line, 2 tick, 3 the focused image's tick
in float a_layer;   // the hidden layer the strip belongs to

uniform float u_wavefront;
uniform int u_phase;
uniform float u_progress;

out vec2 v_local;
out vec2 v_half;
out float v_kind;
out float v_shown;

const vec2 CORNERS[6] = vec2[6](
    vec2(-1.0, -1.0), vec2(1.0, -1.0), vec2(-1.0, 1.0),
    vec2(-1.0, 1.0), vec2(1.0, -1.0), vec2(1.0, 1.0)
);

void main() {
    float shown = 1.0;       // the strip, faded in as the Linear outputs arrive …
    float normalised = 1.0;  // … and how far the ticks have moved from z to x̂
    if (u_phase == PHASE_FORWARD) {
        shown = smoothstep(a_layer - 0.5, a_layer - 0.3, u_wavefront);
        normalised = smoothstep(a_layer - 0.2, a_layer + 0.3, u_wavefront);
    } else if (u_phase == PHASE_UPDATE) {
        shown = 1.0 - smoothstep(0.4, 1.0, u_progress);
    } else if (u_phase == PHASE_WAITING) {
        shown = 0.0;
    }
    // One pixel more on every side, so the anti-aliased edge has room.
    vec2 local = CORNERS[gl_VertexID] * (a_half + 1.0);
    v_local = local;
    v_half = a_half;
    v_kind = a_kind;
    v_shown = shown;
    float y = mix(a_before, a_after, normalised);
    gl_Position = pixel_to_clip(vec2(a_x, y) + local);
}
