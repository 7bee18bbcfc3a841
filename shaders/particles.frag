#version 330
#include "common.glsl"
// Forward: a round white head with a tail behind it (hollow, without a tail, when it holds
// its neuron down). Backward (BACKWARD defined): a red arrowhead with a tail. Shape and
// direction tell the passes apart without colour. Squared distances and clamps only, and
// one program per pass (a software renderer runs both sides of an if): this runs for
// hundreds of thousands of pixels on a software renderer.
in vec2 v_direction;
in float v_brightness;
in float v_holds_down;

out vec4 f_colour;

const float HOLLOW_LIGHT = 0.6;  // a ring is a larger sprite: as much light as a comet head

void main() {
    vec2 p = gl_PointCoord * 2.0 - 1.0;
    float along = dot(p, v_direction);
    float across = dot(p, vec2(-v_direction.y, v_direction.x));
#ifndef BACKWARD
    vec2 offset = vec2(along - 0.4, across);
    float distance2 = dot(offset, offset);
    float head = clamp(1.6 - distance2 * 14.0, 0.0, 1.0);
    if (v_holds_down > 0.5) {  // a ring, and no tail
        float ring = clamp(1.0 - abs(length(p) - 0.6) * 6.0, 0.0, 1.0);
        f_colour = vec4(FORWARD_LIGHT * ring * HOLLOW_LIGHT * v_brightness, 0.0);
        return;
    }
    vec3 light = FORWARD_LIGHT;
#else
    float diamond = abs(along - 0.36) * 2.4 + abs(across) * 3.4;
    float head = clamp((1.0 - diamond) * 4.0, 0.0, 1.0);
    vec3 light = BACKWARD_LIGHT;
#endif
    float tail = clamp(1.0 - abs(across) * 7.0, 0.0, 1.0) * clamp((along + 0.95) * 0.6, 0.0, 0.45)
        * step(along, 0.4);
    f_colour = vec4(light * max(head, tail) * v_brightness, 0.0);
}
