#version 330
in vec2 v_local;
in vec2 v_half;
in float v_radius;
in vec4 v_colour;
in vec3 v_image;

uniform sampler2D u_images;  // grey pixel images (the dataset's), one channel

out vec4 f_colour;

void main() {
    // Signed distance to a rounded rectangle, for crisp anti-aliased edges.
    vec2 q = abs(v_local) - v_half + vec2(v_radius);
    float outside = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - v_radius;
    float coverage = clamp(0.5 - outside, 0.0, 1.0);
    vec4 colour = v_colour;
    if (v_image.z > 0.0) {
        colour.rgb *= texture(u_images, v_image.xy).r;
    }
    f_colour = vec4(colour.rgb, colour.a * coverage);
}
