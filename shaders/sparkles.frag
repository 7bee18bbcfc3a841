#version 330
// A four-pointed star: a bright core and two thin rays.
in float v_alpha;

uniform vec3 u_colour;

out vec4 f_colour;

void main() {
    vec2 p = gl_PointCoord * 2.0 - 1.0;
    float core = exp(-dot(p, p) * 9.0);
    float rays = exp(-abs(p.x) * 14.0) * (1.0 - abs(p.y)) + exp(-abs(p.y) * 14.0) * (1.0 - abs(p.x));
    f_colour = vec4(u_colour * (core + 0.7 * rays) * v_alpha, 0.0);
}
