// Shared by every program: pixel coordinates (origin top-left, y down) and the palette.
uniform vec2 u_viewport;  // framebuffer size in pixels

vec4 pixel_to_clip(vec2 p) {
    return vec4(p.x / u_viewport.x * 2.0 - 1.0, 1.0 - p.y / u_viewport.y * 2.0, 0.0, 1.0);
}

// Weights: blue for positive, amber for negative, a pair that colour-blind eyes tell apart.
const vec3 POSITIVE_WEIGHT = vec3(0.26, 0.56, 1.00);
const vec3 NEGATIVE_WEIGHT = vec3(1.00, 0.58, 0.16);
// The forward pass is white light, the backward pass red; they also differ in shape and
// direction (round comets rising, arrowheads falling).
const vec3 FORWARD_LIGHT = vec3(1.00, 0.97, 0.92);
const vec3 BACKWARD_LIGHT = vec3(1.00, 0.13, 0.25);
const vec3 SPARK_LIGHT = vec3(1.00, 0.84, 0.45);

const int PHASE_WAITING = 0;
const int PHASE_FORWARD = 1;
const int PHASE_BACKWARD = 2;
const int PHASE_UPDATE = 3;
