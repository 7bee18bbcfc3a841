// Signed distances for anti-aliased shapes, in pixels: < 0 inside, > 0 outside.

// A rectangle of half size ``half_size`` centred on the origin, its corners rounded with
// radius ``corner`` (0: sharp; min(half_size): a capsule or a circle).
float rounded_box(vec2 p, vec2 half_size, float corner) {
    vec2 q = abs(p) - half_size + vec2(corner);
    return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - corner;
}
