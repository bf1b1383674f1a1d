//! `bicubic_patch` as POV-Ray 3.7 renders it: the Bézier patch is halved along u
//! and v (de Casteljau) until a piece is flat enough or the step limits are
//! reached; each piece is two triangles through its corners, and a hit's normal
//! interpolates the patch's true normals at the triangle's corners.
//!
//! POV-Ray moves the control points with every transform and subdivides the
//! moved patch (flatness is measured in world units), so the builder hands this
//! module world-space control points and the shape needs no transform. Patch
//! types 0 (subdivided per ray) and 1 (subdivided once) give the same pieces;
//! both are subdivided once here, at build. A ray walks the tree of bounding
//! spheres POV-Ray keeps, and a hit's part names the triangle it lies on.

use glam::{DVec2, DVec3};

use super::ShapeHits;
use crate::scene::geometry::{Aabb, Ray};

/// POV-Ray's threshold for degenerate normals and triangles.
const BEZIER_EPSILON: f64 = 1e-10;
/// Hits nearer than this (along a unit direction) are the surface left behind.
const BEZIER_TOLERANCE: f64 = 1e-5;
/// POV-Ray's general small number (corners closer than this coincide).
const EPSILON: f64 = 1e-10;

/// Deeper subdivisions than this are refused by the parser (`MAX_STEPS`).
pub const MAX_DEPTH: usize = 16;
/// The traversal stack: three waiting siblings per level plus a last group.
const STACK: usize = 3 * MAX_DEPTH + 4;

/// The 4×4 control points, `[u][v]`.
pub type ControlPoints = [[DVec3; 4]; 4];

/// A built patch.
#[derive(Clone, Debug, PartialEq)]
pub struct BicubicPatch {
    nodes: Vec<Node>,
    triangles: Vec<Triangle>,
    uv_vectors: [DVec2; 4],
    bounds: Aabb,
}

/// A node of the subdivision tree: the sphere bounding its control points.
#[derive(Clone, Debug, PartialEq)]
struct Node {
    center: DVec3,
    radius2: f64,
    kind: NodeKind,
}

#[derive(Clone, Debug, PartialEq)]
enum NodeKind {
    /// Up to four sub-pieces (indices into the nodes).
    Interior { children: [u32; 4], count: u8 },
    /// A flat piece: triangles `2 * first` and `2 * first + 1`.
    Leaf { first: u32 },
}

/// One triangle of a flat piece, with what POV-Ray's hit test and normal need.
#[derive(Clone, Debug, PartialEq)]
struct Triangle {
    v0: DVec3,
    /// Dual vectors of the edges: `(p - v0) . dual` are the barycentric weights
    /// of the second and third corners.
    dual1: DVec3,
    dual2: DVec3,
    /// Unit face normal (the third dual vector).
    normal: DVec3,
    /// False for a degenerate triangle, which nothing hits.
    valid: bool,
    /// The patch's unit normals at the corners.
    corner_normals: [DVec3; 3],
    /// The corners' (u, v).
    uv: [DVec2; 3],
}

/// How far to subdivide, as `bicubic_patch` says.
#[derive(Clone, Copy, Debug)]
pub struct Subdivision {
    pub flatness: f64,
    pub u_steps: u32,
    pub v_steps: u32,
}

impl BicubicPatch {
    /// Subdivides the patch with world-space control points `cp`.
    pub fn new(cp: &ControlPoints, sub: Subdivision, uv_vectors: [DVec2; 4]) -> BicubicPatch {
        let mut b = Builder {
            whole: cp,
            sub,
            nodes: Vec::new(),
            triangles: Vec::new(),
        };
        b.build(cp, [0.0, 1.0, 0.0, 1.0], 0);
        let (mut lo, mut hi) = (DVec3::splat(f64::INFINITY), DVec3::splat(f64::NEG_INFINITY));
        for p in cp.iter().flatten() {
            lo = lo.min(*p);
            hi = hi.max(*p);
        }
        BicubicPatch {
            nodes: b.nodes,
            triangles: b.triangles,
            uv_vectors,
            bounds: Aabb::new(lo, hi),
        }
    }

    /// The box around the control points (the patch lies in their hull).
    pub fn bounds(&self) -> Aabb {
        self.bounds
    }

    /// Every crossing, nearest four kept; the part is the triangle's index.
    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let len = r.dir.length();
        if len == 0.0 || !len.is_finite() {
            return;
        }
        let dir = r.dir / len;
        // Each level leaves at most three siblings waiting, so a fixed stack
        // holds the deepest walk without allocating per ray.
        let mut stack = [0u32; STACK];
        let mut top = 1;
        while top > 0 {
            top -= 1;
            let node = &self.nodes[stack[top] as usize];
            if !sphere_check(r.origin, dir, node.center, node.radius2) {
                continue;
            }
            match node.kind {
                NodeKind::Interior { children, count } => {
                    for &c in children[..count as usize].iter().rev() {
                        stack[top] = c;
                        top += 1;
                    }
                }
                NodeKind::Leaf { first } => {
                    for k in [2 * first, 2 * first + 1] {
                        if let Some(depth) = self.triangles[k as usize].hit(r.origin, dir) {
                            out.push_sorted(depth / len, k, 0.0);
                        }
                    }
                }
            }
        }
    }

    /// The normal at `p` on triangle `part`: the corners' patch normals blended
    /// by `p`'s barycentric weights, as POV-Ray computes it at the hit.
    pub fn normal(&self, p: DVec3, part: u32) -> DVec3 {
        let Some(tri) = self.triangles.get(part as usize) else {
            return DVec3::X;
        };
        let (a, b) = tri.weights(p);
        let [n0, n1, n2] = tri.corner_normals;
        let n = n0 * (1.0 - a - b) + n1 * a + n2 * b;
        let len2 = n.length_squared();
        if len2 > BEZIER_EPSILON {
            n / len2.sqrt()
        } else {
            DVec3::X
        }
    }

    /// The texture uv at `p` on triangle `part`: the patch's (u, v) mapped
    /// through `uv_vectors`. (For uv_mapping, once hits carry a uv.)
    pub fn uv(&self, p: DVec3, part: u32) -> DVec2 {
        let Some(tri) = self.triangles.get(part as usize) else {
            return DVec2::ZERO;
        };
        let (a, b) = tri.weights(p);
        let [c0, c1, c2] = tri.uv;
        let uv = c0 * (1.0 - a - b) + c1 * a + c2 * b;
        // POV-Ray maps (v, u) through the corners, in that order.
        let st = &self.uv_vectors;
        let (s, t) = (uv.y, uv.x);
        let u1 = st[0] + (st[1] - st[0]) * s;
        let u2 = st[3] + (st[2] - st[3]) * s;
        u1 + (u2 - u1) * t
    }

    /// How many flat triangles the subdivision made.
    pub fn triangle_count(&self) -> usize {
        self.triangles.len()
    }
}

impl Triangle {
    fn new(v: [DVec3; 3], uv: [DVec2; 3], whole: &ControlPoints) -> Triangle {
        let (b0, b1) = (v[1] - v[0], v[2] - v[0]);
        let c = b0.cross(b1);
        let d = c.length_squared();
        let mut valid = d > BEZIER_EPSILON * b0.length_squared() * b1.length_squared();
        let normal = if valid { c / d.sqrt() } else { DVec3::Z };
        // The inverse of the matrix with rows b0, b1, normal: its rows are the
        // dual vectors (POV-Ray refuses a determinant this small).
        let det = b0.dot(b1.cross(normal));
        if det.abs() < 1e-10 {
            valid = false;
        }
        let inv = if valid { 1.0 / det } else { 0.0 };
        Triangle {
            v0: v[0],
            dual1: b1.cross(normal) * inv,
            dual2: normal.cross(b0) * inv,
            normal,
            valid,
            corner_normals: uv.map(|c| patch_normal(whole, c.x, c.y)),
            uv,
        }
    }

    /// POV-Ray's `intersect_subpatch`: the depth along the unit direction.
    #[inline]
    fn hit(&self, origin: DVec3, dir: DVec3) -> Option<f64> {
        if !self.valid {
            return None;
        }
        let d = dir.dot(self.normal);
        if d.abs() < BEZIER_EPSILON {
            return None;
        }
        let depth = (self.v0 - origin).dot(self.normal) / d;
        if depth < BEZIER_TOLERANCE {
            return None;
        }
        let (a, b) = self.weights(origin + dir * depth);
        if a < 0.0 || b < 0.0 || a + b > 1.0 {
            return None;
        }
        Some(depth)
    }

    #[inline]
    fn weights(&self, p: DVec3) -> (f64, f64) {
        let q = p - self.v0;
        (q.dot(self.dual1), q.dot(self.dual2))
    }
}

/// POV-Ray's bounding-sphere test (a ray starting inside passes; otherwise the
/// line's distance from the centre decides).
#[inline]
fn sphere_check(origin: DVec3, dir: DVec3, center: DVec3, radius2: f64) -> bool {
    let v = center - origin;
    let dist1 = v.length_squared();
    if dist1 < radius2 {
        return true;
    }
    let dist2 = v.dot(dir).powi(2);
    dist2 > 0.0 && dist1 - dist2 <= radius2 + BEZIER_EPSILON
}

/// Builds the tree as POV-Ray's `bezier_tree_builder` does.
struct Builder<'a> {
    whole: &'a ControlPoints,
    sub: Subdivision,
    nodes: Vec<Node>,
    triangles: Vec<Triangle>,
}

impl Builder<'_> {
    /// Adds the node for piece `cp` over `[u0, u1, v0, v1]`; its index.
    fn build(&mut self, cp: &ControlPoints, uv: [f64; 4], depth: u32) -> u32 {
        let (center, radius2) = bounding_sphere(cp);
        let index = self.nodes.len() as u32;
        self.nodes.push(Node {
            center,
            radius2,
            kind: NodeKind::Leaf { first: 0 },
        });
        let [u0, u1, v0, v1] = uv;
        let (um, vm) = ((u0 + u1) / 2.0, (v0 + v1) / 2.0);
        // Deeper than the traversal stack allows is never split (the parser
        // already caps the steps well below).
        let room = (depth as usize) < MAX_DEPTH;
        let split_u = room && depth < self.sub.u_steps;
        let split_v = room && depth < self.sub.v_steps;
        let kind = if flat_enough(cp, self.sub.flatness) || !(split_u || split_v) {
            self.leaf(cp, uv)
        } else {
            let mut kids = [0u32; 4];
            let count = match (split_u, split_v) {
                (true, true) => {
                    let (left, right) = split_left_right(cp);
                    let (ll, ul) = split_up_down(&left);
                    let (lr, ur) = split_up_down(&right);
                    kids[0] = self.build(&ll, [u0, um, v0, vm], depth + 1);
                    kids[1] = self.build(&ul, [u0, um, vm, v1], depth + 1);
                    kids[2] = self.build(&lr, [um, u1, v0, vm], depth + 1);
                    kids[3] = self.build(&ur, [um, u1, vm, v1], depth + 1);
                    4
                }
                (true, false) => {
                    let (left, right) = split_left_right(cp);
                    kids[0] = self.build(&left, [u0, um, v0, v1], depth + 1);
                    kids[1] = self.build(&right, [um, u1, v0, v1], depth + 1);
                    2
                }
                (false, _) => {
                    let (lower, upper) = split_up_down(cp);
                    kids[0] = self.build(&lower, [u0, u1, v0, vm], depth + 1);
                    kids[1] = self.build(&upper, [u0, u1, vm, v1], depth + 1);
                    2
                }
            };
            NodeKind::Interior {
                children: kids,
                count,
            }
        };
        self.nodes[index as usize].kind = kind;
        index
    }

    /// The two triangles through a flat piece's corners, as POV-Ray splits it.
    fn leaf(&mut self, cp: &ControlPoints, [u0, u1, v0, v1]: [f64; 4]) -> NodeKind {
        let first = (self.triangles.len() / 2) as u32;
        let (c00, c03, c33, c30) = (cp[0][0], cp[0][3], cp[3][3], cp[3][0]);
        let uv = |u, v| DVec2::new(u, v);
        self.triangles.push(Triangle::new(
            [c00, c03, c33],
            [uv(u0, v0), uv(u0, v1), uv(u1, v1)],
            self.whole,
        ));
        self.triangles.push(Triangle::new(
            [c00, c33, c30],
            [uv(u0, v0), uv(u1, v1), uv(u1, v0)],
            self.whole,
        ));
        NodeKind::Leaf { first }
    }
}

/// The centre of the control points and the largest squared distance from it.
fn bounding_sphere(cp: &ControlPoints) -> (DVec3, f64) {
    let center = cp.iter().flatten().fold(DVec3::ZERO, |a, p| a + *p) / 16.0;
    let r2 = cp
        .iter()
        .flatten()
        .map(|p| (*p - center).length_squared())
        .fold(0.0, f64::max);
    (center, r2)
}

fn midpoint(a: DVec3, b: DVec3) -> DVec3 {
    (a + b) * 0.5
}

/// One cubic Bézier curve halved at its middle (de Casteljau).
fn halve(c: [DVec3; 4]) -> ([DVec3; 4], [DVec3; 4]) {
    let a1 = midpoint(c[0], c[1]);
    let half = midpoint(c[1], c[2]);
    let a2 = midpoint(a1, half);
    let b2 = midpoint(c[2], c[3]);
    let b1 = midpoint(half, b2);
    let mid = midpoint(a2, b1);
    ([c[0], a1, a2, mid], [mid, b1, b2, c[3]])
}

/// Halves the patch along u (the first index).
fn split_left_right(cp: &ControlPoints) -> (ControlPoints, ControlPoints) {
    let (mut left, mut right) = (*cp, *cp);
    for i in 0..4 {
        let (l, r) = halve([cp[0][i], cp[1][i], cp[2][i], cp[3][i]]);
        for j in 0..4 {
            left[j][i] = l[j];
            right[j][i] = r[j];
        }
    }
    (left, right)
}

/// Halves the patch along v (the second index).
fn split_up_down(cp: &ControlPoints) -> (ControlPoints, ControlPoints) {
    let (mut lower, mut upper) = (*cp, *cp);
    for i in 0..4 {
        let (l, u) = halve(cp[i]);
        lower[i] = l;
        upper[i] = u;
    }
    (lower, upper)
}

/// POV-Ray's `flat_enough`: a piece whose control points lie closer than
/// `flatness` to the plane of its corners (never, when no plane is found).
fn flat_enough(cp: &ControlPoints, flatness: f64) -> bool {
    match flatness_of(cp) {
        Some(dist) => dist < flatness,
        None => false,
    }
}

/// The control points' largest distance from the plane through three corners,
/// chosen as POV-Ray's `determine_subpatch_flatness` chooses them (it never
/// compares the first corner with the third).
fn flatness_of(cp: &ControlPoints) -> Option<f64> {
    let apart = |a: DVec3, b: DVec3| (a - b).length() >= EPSILON;
    let v0 = cp[0][0];
    let (v1, v2) = if apart(v0, cp[0][3]) {
        (cp[0][3], cp[3][0])
    } else {
        if !apart(v0, cp[3][3]) {
            return None;
        }
        (cp[3][3], cp[3][0])
    };
    if !apart(v1, v2) {
        return None;
    }
    let (n, d) = plane_through(v0, v1, v2)?;
    let len = n.length();
    if len.abs() < EPSILON {
        return Some(0.0);
    }
    let dist = cp
        .iter()
        .flatten()
        .map(|p| ((p.dot(n) + d) / len).abs())
        .fold(0.0, f64::max);
    Some(dist)
}

/// POV-Ray's `subpatch_normal`: the unit normal `n` and offset `d` of the
/// plane `n . p + d = 0` through three points; `None` when they are collinear.
fn plane_through(a: DVec3, b: DVec3, c: DVec3) -> Option<(DVec3, f64)> {
    let (e1, e2) = (a - b, c - b);
    let n = e1.cross(e2);
    let len2 = n.length_squared();
    if len2 <= BEZIER_EPSILON * e1.length_squared() * e2.length_squared() {
        return None;
    }
    let n = n / len2.sqrt();
    Some((n, -n.dot(a)))
}

/// The patch's unit normal at (u, v), as POV-Ray's `bezier_value` finds it
/// (+x where the tangents are parallel).
fn patch_normal(cp: &ControlPoints, u: f64, v: f64) -> DVec3 {
    const C: [f64; 4] = [1.0, 3.0, 3.0, 1.0];
    let powers = |t: f64| {
        let (mut p, mut q, mut dp, mut dq) = ([1.0; 4], [1.0; 4], [0.0; 4], [0.0; 4]);
        for i in 1..4 {
            p[i] = p[i - 1] * t;
            q[i] = q[i - 1] * (1.0 - t);
            dp[i] = i as f64 * p[i - 1];
            dq[i] = -(i as f64) * q[i - 1];
        }
        (p, q, dp, dq)
    };
    let (up, uq, dup, duq) = powers(u);
    let (vp, vq, dvp, dvq) = powers(v);
    let (mut tu, mut tv) = (DVec3::ZERO, DVec3::ZERO);
    for i in 0..4 {
        for j in 0..4 {
            let c = C[i] * C[j];
            let ut = up[i] * uq[3 - i];
            let vt = vp[j] * vq[3 - j];
            tu += cp[i][j] * (c * vt * (dup[i] * uq[3 - i] + up[i] * duq[3 - i]));
            tv += cp[i][j] * (c * ut * (dvp[j] * vq[3 - j] + vp[j] * dvq[3 - j]));
        }
    }
    let n = tu.cross(tv);
    let len2 = n.length_squared();
    if len2 > BEZIER_EPSILON * tu.length_squared() * tv.length_squared() {
        n / len2.sqrt()
    } else {
        DVec3::X
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A flat square patch over [0, 3]² in the z = 0 plane, bulged by `bulge`
    /// at its four inner control points.
    fn square(bulge: f64) -> ControlPoints {
        let mut cp = [[DVec3::ZERO; 4]; 4];
        for (i, row) in cp.iter_mut().enumerate() {
            for (j, p) in row.iter_mut().enumerate() {
                let inner = (1..3).contains(&i) && (1..3).contains(&j);
                *p = DVec3::new(i as f64, j as f64, if inner { bulge } else { 0.0 });
            }
        }
        cp
    }

    fn sub(flatness: f64, steps: u32) -> Subdivision {
        Subdivision {
            flatness,
            u_steps: steps,
            v_steps: steps,
        }
    }

    #[test]
    fn a_flat_patch_is_two_triangles() {
        let p = BicubicPatch::new(&square(0.0), sub(0.01, 4), [DVec2::ZERO; 4]);
        assert_eq!(p.triangle_count(), 2);
        let r = Ray::new(DVec3::new(1.0, 2.0, 5.0), DVec3::new(0.0, 0.0, -2.0));
        let mut hits = ShapeHits::default();
        p.intersect(&r, &mut hits);
        let got: Vec<_> = hits.iter().collect();
        assert_eq!(got.len(), 1);
        assert!((got[0].0 - 2.5).abs() < 1e-12);
        let n = p.normal(r.at(got[0].0), got[0].1);
        assert!((n.z.abs() - 1.0).abs() < 1e-12, "{n}");
    }

    #[test]
    fn steps_limit_the_subdivision_of_a_curved_patch() {
        let p = BicubicPatch::new(&square(1.0), sub(0.0, 3), [DVec2::ZERO; 4]);
        assert_eq!(p.triangle_count(), 2 * 64);
        let p = BicubicPatch::new(&square(1.0), sub(0.0, 0), [DVec2::ZERO; 4]);
        assert_eq!(p.triangle_count(), 2);
    }

    #[test]
    fn the_hit_of_a_curved_patch_is_near_the_surface() {
        let cp = square(1.0);
        let p = BicubicPatch::new(&cp, sub(0.001, 8), [DVec2::ZERO; 4]);
        // At the centre (u = v = 1/2) the surface is at z = 9/16 * bulge.
        let r = Ray::new(DVec3::new(1.5, 1.5, 5.0), DVec3::new(0.0, 0.0, -1.0));
        let mut hits = ShapeHits::default();
        p.intersect(&r, &mut hits);
        let (t, part) = hits.iter().next().expect("a hit");
        assert!((5.0 - t - 0.5625).abs() < 1e-3, "{t}");
        let n = p.normal(r.at(t), part);
        assert!(n.x.abs() < 1e-2 && n.y.abs() < 1e-2, "{n}");
    }

    #[test]
    fn uv_follows_the_uv_vectors() {
        let st = [
            DVec2::new(0.0, 0.0),
            DVec2::new(2.0, 0.0),
            DVec2::new(2.0, 2.0),
            DVec2::new(0.0, 2.0),
        ];
        let p = BicubicPatch::new(&square(0.0), sub(0.01, 1), st);
        let r = Ray::new(DVec3::new(0.75, 2.25, 1.0), DVec3::new(0.0, 0.0, -1.0));
        let mut hits = ShapeHits::default();
        p.intersect(&r, &mut hits);
        let (t, part) = hits.iter().next().expect("a hit");
        // (u, v) = (0.25, 0.75): s = v, t = u through the corners.
        let uv = p.uv(r.at(t), part);
        assert!((uv - DVec2::new(1.5, 0.5)).length() < 1e-12, "{uv}");
    }

    #[test]
    fn degenerate_patches_build_and_miss() {
        let cp = [[DVec3::ONE; 4]; 4];
        let p = BicubicPatch::new(&cp, sub(0.1, 3), [DVec2::ZERO; 4]);
        let r = Ray::new(DVec3::ZERO, DVec3::ONE);
        let mut hits = ShapeHits::default();
        p.intersect(&r, &mut hits);
        assert!(hits.is_empty());
    }
}
