#version 330
#include "common.glsl"
#include "shapes.glsl"
#include "halo.glsl"
// Drawn twice: the bodies over the wires (alpha blending), then (LIGHT defined) the light:
// activation glow (white) and error halo (red). Each is proportional to its number
// (docs/legend.md): zero draws nothing, and the brightest glow stays below white.
// IMAGE_PIXELS: the pixels of the input image, drawn by their own programs (a software
// renderer runs every branch of a shader for every pixel, so each draw gets only its own).
in float v_radius;
in float v_extent;
in float v_activation;
in float v_lit;
in float v_blame;
in float v_error;
in float v_mark;
in float v_dead;
in float v_dropped;

uniform float u_scale;

out vec4 f_colour;

const float TAU = 6.28318531;
const float DEAD_DASHES = 10.0;  // a dead neuron's outline is dashed
const float CROSS_REACH = 1.35;  // a dropped neuron's cross reaches past its body (radii)

void main() {
    vec2 p = (gl_PointCoord * 2.0 - 1.0) * v_extent;  // pixels from the centre
    float aa = 0.75;
#ifdef IMAGE_PIXELS
    // A pixel of the input image: the image itself, lit, and reddened by ∂ℓ/∂x.
    float box = rounded_box(p, vec2(v_radius * 0.9), v_radius * 0.25);
    float inside = 1.0 - smoothstep(-aa, aa, box);
#ifndef LIGHT
    vec3 tile = mix(NEURON_BODY, INPUT_TILE_LIT, v_activation * (0.35 + 0.65 * v_lit));
    f_colour = vec4(tile, inside);
#else
    float outside = clamp(1.0 - max(box, 0.0) / (0.5 * v_radius), 0.0, 1.0);
    float blame = 0.65 * inside + 0.45 * outside * outside * (1.0 - inside);
    f_colour = vec4(BACKWARD_LIGHT * v_error * v_blame * blame, 0.0);
#endif
#else
    float d = length(p);
    float body = 1.0 - smoothstep(v_radius - aa, v_radius + aa, d);
#ifndef LIGHT
    float rim = smoothstep(v_radius - 1.6 * u_scale, v_radius - 0.4 * u_scale, d) * body;
    vec3 colour = mix(NEURON_BODY, NEURON_RIM, rim);
    if (v_dead > 0.5) {  // a dashed outline: the neuron let nothing through this batch
        float band = smoothstep(v_radius - 3.0 * u_scale, v_radius - 1.8 * u_scale, d) * body;
        float angle = atan(p.y, p.x) / TAU * DEAD_DASHES;
        float dash = smoothstep(0.2, 0.3, abs(fract(angle) - 0.5));
        colour = mix(NEURON_BODY, NEURON_RIM * 1.6, band * dash);
    }
    float cross = 0.0;
    if (v_dropped > 0.5) {  // dark and crossed out: Dropout took it out for this image
        colour = mix(NEURON_BODY, colour, v_dead);  // no rim (a dead one keeps its dashes)
        vec2 q = abs(p);
        float from_diagonal = abs(q.x - q.y) * 0.70710678;
        float half_width = max(0.75, 0.9 * u_scale);
        float reach = CROSS_REACH * v_radius;
        cross = (1.0 - smoothstep(half_width - 0.5, half_width + 0.5, from_diagonal))
            * (1.0 - smoothstep(reach - aa, reach + aa, d));
        colour = mix(colour, DROPPED_MARK, cross);
    }
    // The true class of the focused image wears a thin white ring.
    float ring_radius = v_radius + 5.0 * u_scale;
    float ring = v_mark * (1.0 - smoothstep(0.6 * u_scale, 1.4 * u_scale, abs(d - ring_radius)));
    f_colour = vec4(mix(colour, TRUE_CLASS_RING, ring), max(max(body, ring), cross));
#else
    // The glow: light ∝ activation. Core and glow add up to 0.95 at the centre, so the
    // body (≈ 0.1) plus the largest activation's light stays below white: no saturation.
    float light = v_activation * v_lit;
    vec3 core = FORWARD_LIGHT * light * body * 0.55;
    // Soft falloffs as squared clamps: gaussian-like, and cheap on a software renderer.
    float out_of_body = max(d - v_radius, 0.0) / (1.5 * v_radius);
    float falloff = max(1.0 - out_of_body, 0.0);
    vec3 glow = FORWARD_LIGHT * light * 0.4 * falloff * falloff;
    // The halo: red light around the body that reaches as far as the error is large
    // (∝ e); a reach under a pixel dims in proportion instead of staying a pixel wide.
    float inner = v_radius * HALO_START;
    float reach = v_radius * HALO_FULL * v_error;
    float beyond = max(d - inner, 0.0) / max(reach, 1e-4);
    float fade = max(1.0 - beyond, 0.0);
    float halo = min(fade * fade * clamp(d - inner + 0.5, 0.0, 1.0), reach) * v_blame;
    f_colour = vec4(core + glow + BACKWARD_LIGHT * halo, 0.0);
#endif
#endif
}
