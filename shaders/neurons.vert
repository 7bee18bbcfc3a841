#version 330
#include "common.glsl"
#include "halo.glsl"
// A neuron is a point sprite big enough for what it draws: its body, or (LIGHT defined)
// its glow and its halo.
in vec2 a_position;
in float a_radius;      // core radius in pixels (half a cell for a pixel of the input image)
in float a_layer;       // 0 = input … L = output
in float a_activation;  // 0..1: how brightly the forward pass lights it
in float a_error;       // 0..1: how big its red halo is in the backward pass
in float a_kind;        // 0 = round neuron, 1 = pixel of the input image
in float a_mark;        // 1 on the output neuron of the true class
in float a_dead;        // 1: a hidden neuron off (a = 0) for every image of the batch
in float a_dropped;     // 1: a hidden neuron Dropout took out for the focused image

uniform float u_wavefront;
uniform int u_phase;
uniform float u_progress;
uniform float u_scale;

out float v_radius;
out float v_extent;
out float v_activation;
out float v_lit;
out float v_blame;
out float v_error;
out float v_mark;
out float v_dead;  // shown once the forward wave has reached the neuron …
out float v_dropped;  // … as is this, until the batch's cycle ends

const float GLOW_EXTENT = 2.6;  // the light's sprite reaches this many core radii

void main() {
    float lit = 0.0;    // has the forward wave reached this neuron?
    float blame = 0.0;  // has the backward wave reached it?
    float reached = 1.0;  // … since this batch's forward pass began
    if (u_phase == PHASE_FORWARD) {
        lit = smoothstep(a_layer - 0.18, a_layer + 0.02, u_wavefront);
        reached = lit;
    } else if (u_phase == PHASE_BACKWARD) {
        lit = 0.55;
        blame = smoothstep(a_layer + 0.18, a_layer - 0.02, u_wavefront);
    } else if (u_phase == PHASE_UPDATE) {
        lit = 0.55 * (1.0 - u_progress);
        blame = 1.0 - u_progress;
    }
    v_radius = a_radius;
    // Every pixel costs on a software renderer: each pass gets a sprite just big enough,
    // and a pixel of the image only has light to add when it carries blame.
    // Beyond a body's edge only the true class's ring reaches (Dropout's cross runs along
    // the diagonals, into the square sprite's corners).
#ifndef LIGHT
    v_extent = a_radius + (a_kind < 0.5 && a_mark > 0.5 ? 7.0 * u_scale : 1.0);
#else
    if (a_kind > 0.5) {
        v_extent = blame * a_error > 0.0 ? a_radius * 1.5 : 0.0;
    } else if (a_activation * lit > 0.0) {  // the glow, and room for the halo
        v_extent = a_radius * GLOW_EXTENT + 2.0 * u_scale;
    } else {  // the halo alone, as far as it reaches, or nothing
        v_extent = blame * a_error > 0.0
            ? a_radius * (HALO_START + HALO_FULL * a_error) + 1.0 : 0.0;
    }
#endif
    v_activation = a_activation;
    v_lit = lit;
    v_blame = blame;
    v_error = a_error;
    v_mark = a_mark;
    v_dead = a_dead * reached;
    v_dropped = a_dropped * reached;
    gl_PointSize = seen_size(a_position, 2.0 * v_extent);
    gl_Position = pixel_to_clip(a_position);
}
