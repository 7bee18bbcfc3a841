#version 330
#include "common.glsl"
// A burst of sparks: where the prediction meets the truth, and where the update lands.
in vec2 a_origin;    // pixels
in vec2 a_velocity;  // design pixels per motion second
in float a_delay;    // motion seconds after the event
in float a_size;     // design pixels

uniform float u_age;  // motion seconds since the event
uniform float u_scale;
uniform float u_sprite_scale;  // sprite sizes grow with √scale

out float v_alpha;

const float LIFE = 1.3;

void main() {
    float age = u_age - a_delay;
    float life = clamp(age / LIFE, 0.0, 1.0);
    v_alpha = (age < 0.0 || age > LIFE) ? 0.0 : (1.0 - life) * (1.0 - life);
    vec2 travelled = a_velocity * u_scale * (age - 0.4 * age * age / LIFE);
    vec2 position = a_origin + travelled;
    float size = a_size * u_sprite_scale * (1.0 - 0.5 * life);
    gl_PointSize = v_alpha > 0.0 ? seen_size(position, size) : 0.0;
    gl_Position = pixel_to_clip(position);
}
