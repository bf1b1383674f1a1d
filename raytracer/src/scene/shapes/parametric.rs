//! The parametric surface `(x(u,v), y(u,v), z(u,v))`, intersected as POV-Ray
//! 3.7's `fpmetric.cpp` does: the (u, v) rectangle is halved along its longer
//! side, depth first, and a piece is dropped when the box its coordinates can
//! reach (each bounded by `max_gradient` from its corners) misses the ray's
//! stretch inside the container. A piece smaller than `accuracy` is a hit. Only
//! the nearest is kept, and nothing is inside the surface (POV-Ray's rules).

use glam::{DVec2, DVec3};

use super::ShapeHits;
use crate::desc::isosurface::Container;
use crate::desc::shapes::Parametric as Desc;
use crate::function::FunctionRef;
use crate::scene::geometry::{Aabb, Ray};

/// POV-Ray's `EPSILON`: a direction component this small is parallel.
const EPSILON: f64 = 1.0e-10;
/// POV-Ray's box-test depth tolerance and its closeness rule for y and z.
const BOX_DEPTH_TOLERANCE: f64 = 1.0e-6;
const CLOSE_TOLERANCE: f64 = 1.0e-6;
/// POV-Ray's `BOUND_HUGE`.
const BOUND_HUGE: f64 = 2.0e10;
/// Sector numbers stop doubling here (POV-Ray's `Max_intNumber`).
const MAX_SECTOR: u64 = 10_000_000;
/// The u and v of a hit are kept in its part, 16 bits each.
const UV_STEPS: f64 = 65535.0;

/// Precomputed coordinate bounds per sector (POV-Ray's `precompute`): sector
/// `n`'s halves are `2n` and `2n + 1`, sector 1 the whole rectangle.
#[derive(Clone, Debug, PartialEq)]
struct Precomputed {
    /// Sectors below this number are stored.
    limit: u64,
    /// Per axis, `None` when that axis is not precomputed.
    bounds: [Option<Vec<(f64, f64)>>; 3],
}

/// A parametric surface ready to trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Parametric {
    functions: [FunctionRef; 3],
    uv_min: DVec2,
    uv_max: DVec2,
    container: Container,
    accuracy: f64,
    max_gradient: f64,
    precomputed: Option<Precomputed>,
}

impl Parametric {
    pub fn new(d: &Desc) -> Parametric {
        let mut p = Parametric {
            functions: d.functions.clone(),
            uv_min: d.uv_min,
            uv_max: d.uv_max,
            container: match d.container {
                Container::Box { corner1, corner2 } => Container::Box {
                    corner1: corner1.min(corner2),
                    corner2: corner1.max(corner2),
                },
                sphere => sphere,
            },
            accuracy: d.accuracy,
            max_gradient: d.max_gradient,
            precomputed: None,
        };
        if let Some((depth, axes)) = d.precompute {
            p.precomputed = Some(p.precompute(depth, axes));
        }
        p
    }

    pub fn bounds(&self) -> Aabb {
        match self.container {
            Container::Box { corner1, corner2 } => Aabb::new(corner1, corner2),
            Container::Sphere { center, radius } => {
                Aabb::new(center - DVec3::splat(radius), center + DVec3::splat(radius))
            }
        }
    }

    fn eval(&self, axis: usize, uv: DVec2) -> f64 {
        self.functions[axis].eval(&[uv.x, uv.y])
    }

    /// The range coordinate `axis` can take over the rectangle `lo..hi`: each
    /// edge bounded from its corners, then the two edges' bounds joined, as
    /// POV-Ray's `Evaluate_Function_Interval_UV` (which subtracts `accuracy`
    /// as its threshold).
    fn interval(&self, axis: usize, lo: DVec2, hi: DVec2) -> (f64, f64) {
        let f = |u: f64, v: f64| self.eval(axis, DVec2::new(u, v)) - self.accuracy;
        let (f00, f01) = (f(lo.x, lo.y), f(lo.x, hi.y));
        let (f10, f11) = (f(hi.x, lo.y), f(hi.x, hi.y));
        let g = self.max_gradient;
        let (min0, max0) = edge_range(hi.y - lo.y, f00, f01, g);
        let (min1, max1) = edge_range(hi.y - lo.y, f10, f11, g);
        let (_, high) = edge_range(hi.x - lo.x, max0, max1, g);
        let (low, _) = edge_range(hi.x - lo.x, min0, min1, g);
        (low, high)
    }

    fn precompute(&self, depth: u32, axes: [bool; 3]) -> Precomputed {
        let size = 1usize << depth;
        let mut bounds: [Option<Vec<(f64, f64)>>; 3] = Default::default();
        for (b, &on) in bounds.iter_mut().zip(&axes) {
            if on {
                *b = Some(vec![(0.0, 0.0); size]);
            }
        }
        let last = 1usize << (depth - 1);
        self.precompute_sector(1, last, self.uv_min, self.uv_max, &mut bounds);
        Precomputed {
            limit: size as u64,
            bounds,
        }
    }

    fn precompute_sector(
        &self,
        n: usize,
        last: usize,
        lo: DVec2,
        hi: DVec2,
        bounds: &mut [Option<Vec<(f64, f64)>>; 3],
    ) {
        if n >= last {
            for (axis, b) in bounds.iter_mut().enumerate() {
                if let Some(b) = b {
                    b[n] = self.interval(axis, lo, hi);
                }
            }
            return;
        }
        let ((lo0, hi0), (lo1, hi1)) = halves(lo, hi, hi.x - lo.x < hi.y - lo.y);
        self.precompute_sector(2 * n, last, lo0, hi0, bounds);
        self.precompute_sector(2 * n + 1, last, lo1, hi1, bounds);
        for b in bounds.iter_mut().flatten() {
            let (a, c) = (b[2 * n], b[2 * n + 1]);
            b[n] = (a.0.min(c.0), a.1.max(c.1));
        }
    }

    /// The ray's stretch inside the container, in the ray's own t.
    fn container_span(&self, r: &Ray) -> Option<(f64, f64)> {
        match self.container {
            Container::Box { corner1, corner2 } => box_span(r, corner1, corner2),
            Container::Sphere { center, radius } => {
                let len = r.dir.length();
                if len == 0.0 {
                    return None;
                }
                let d = r.dir / len;
                let oc = center - r.origin;
                let oc2 = oc.length_squared();
                let closest = oc.dot(d);
                let r2 = radius * radius;
                if oc2 >= r2 && closest < EPSILON {
                    return None;
                }
                let half2 = r2 - oc2 + closest * closest;
                if half2 <= EPSILON {
                    return None;
                }
                let half = half2.sqrt();
                Some(((closest - half) / len, (closest + half) / len))
            }
        }
    }

    pub fn intersect(&self, r: &Ray, out: &mut ShapeHits) {
        let Some((mut depth1, depth2)) = self.container_span(r) else {
            return;
        };
        if depth1 == depth2 {
            depth1 = 0.0;
        }
        depth1 += 4.0 * self.accuracy;
        if depth1 > depth2 {
            return;
        }
        if let Some((t, uv)) = self.search(r, depth1, depth2) {
            out.push(t, self.uv_part(uv), 0.0);
        }
    }

    /// The subdivision (POV-Ray's loop over its stack of rectangles): the
    /// nearest distance found and the low corner of its rectangle.
    fn search(&self, r: &Ray, depth1: f64, depth2: f64) -> Option<(f64, DVec2)> {
        let (p, d) = (r.origin, r.dir);
        let limits = self.precomputed.as_ref().map(|pc| {
            let lim = |axis: usize| {
                if pc.bounds[axis].is_some() {
                    pc.limit
                } else {
                    0
                }
            };
            [lim(0), lim(1), lim(2)]
        });
        let mut stack: Vec<(DVec2, DVec2, u64)> = vec![(self.uv_min, self.uv_max, 1)];
        let mut best = f64::INFINITY;
        let mut best_uv = None;
        // Kept across rectangles as POV-Ray keeps it: the last axis's entry.
        let mut potential = 0.0;
        while let Some(&(lo, hi, sector)) = stack.last() {
            let du = hi.x - lo.x;
            let dv = hi.y - lo.y;
            let split_v = dv > du;
            let mut len = du.max(dv);
            let mut ray_len: f64 = 0.0;
            let mut spans: [Option<(f64, f64)>; 3] = [None; 3];
            let mut missed = false;
            for axis in 0..3 {
                let precomputed = match (&self.precomputed, limits) {
                    (Some(pc), Some(l)) if sector < l[axis] => {
                        pc.bounds[axis].as_ref().map(|b| b[sector as usize])
                    }
                    _ => None,
                };
                let (low, high) = precomputed.unwrap_or_else(|| self.interval(axis, lo, hi));
                if d[axis].abs() < EPSILON {
                    if high < p[axis] || low > p[axis] {
                        missed = true;
                        break;
                    }
                    continue;
                }
                let a = (high - p[axis]) / d[axis];
                let b = (low - p[axis]) / d[axis];
                let (t_min, t_max) = if a > b { (b, a) } else { (a, b) };
                if t_min > depth2 || t_max < depth1 {
                    missed = true;
                    break;
                }
                potential = t_min;
                if potential > best {
                    missed = true;
                    break;
                }
                if spans[..axis]
                    .iter()
                    .flatten()
                    .any(|&(s0, s1)| t_min > s1 || t_max < s0)
                {
                    missed = true;
                    break;
                }
                spans[axis] = Some((t_min, t_max));
                ray_len = ray_len.max(t_max - t_min);
            }
            if missed {
                stack.pop();
                continue;
            }
            if len > ray_len {
                len = ray_len;
            }
            if len < self.accuracy {
                if best > potential && potential > depth1 {
                    best = potential;
                    best_uv = Some(lo);
                }
                stack.pop();
                continue;
            }
            // The upper half stays where the rectangle was, with sector 2n + 1;
            // the lower half goes on top, sector 2n, and is searched first.
            let doubled = (sector * 2).min(MAX_SECTOR);
            let ((lo0, hi0), (lo1, hi1)) = halves(lo, hi, split_v);
            let top = stack.len() - 1;
            stack[top] = (lo1, hi1, doubled + 1);
            stack.push((lo0, hi0, doubled));
        }
        if best < depth2 {
            best_uv.map(|uv| (best, uv))
        } else {
            None
        }
    }

    fn uv_part(&self, uv: DVec2) -> u32 {
        let span = self.uv_max - self.uv_min;
        let q = |x: f64, lo: f64, s: f64| {
            if s > 0.0 {
                (((x - lo) / s).clamp(0.0, 1.0) * UV_STEPS).round() as u32
            } else {
                0
            }
        };
        (q(uv.x, self.uv_min.x, span.x) << 16) | q(uv.y, self.uv_min.y, span.y)
    }

    /// The u, v of a hit, from its part (to 1/65535 of each range).
    pub(crate) fn part_uv(&self, part: u32) -> DVec2 {
        let span = self.uv_max - self.uv_min;
        let u = f64::from(part >> 16) / UV_STEPS;
        let v = f64::from(part & 0xffff) / UV_STEPS;
        self.uv_min + span * DVec2::new(u, v)
    }

    /// POV-Ray's normal: the cross product of the differences one `accuracy`
    /// along u and along v from the hit's (u, v).
    pub fn normal(&self, _p: DVec3, part: u32) -> DVec3 {
        let uv = self.part_uv(part);
        let at = |uv: DVec2| DVec3::new(self.eval(0, uv), self.eval(1, uv), self.eval(2, uv));
        let base = at(uv);
        let ru = at(uv + DVec2::new(self.accuracy, 0.0)) - base;
        let rv = at(uv + DVec2::new(0.0, self.accuracy)) - base;
        ru.cross(rv)
    }
}

/// POV-Ray's `Interval`: the range a function with slope at most `g` can
/// reach over a stretch of length `dx` whose ends are `a` and `b`.
fn edge_range(dx: f64, a: f64, b: f64, g: f64) -> (f64, f64) {
    let dy = (a - b).abs();
    let ofs = (g * (dx - dy / g) / 2.0).max(0.0);
    (a.min(b) - ofs, a.max(b) + ofs)
}

/// The lower and upper halves of a rectangle, split across v or u.
fn halves(lo: DVec2, hi: DVec2, split_v: bool) -> ((DVec2, DVec2), (DVec2, DVec2)) {
    if split_v {
        let mid = (lo.y + hi.y) / 2.0;
        ((lo, DVec2::new(hi.x, mid)), (DVec2::new(lo.x, mid), hi))
    } else {
        let mid = (lo.x + hi.x) / 2.0;
        ((lo, DVec2::new(mid, hi.y)), (DVec2::new(mid, lo.y), hi))
    }
}

/// POV-Ray's `Box::Intersect` distances (from 0 on): x exactly, y and z with
/// its closeness tolerance.
fn box_span(r: &Ray, c1: DVec3, c2: DVec3) -> Option<(f64, f64)> {
    let (p, d) = (r.origin, r.dir);
    let (mut t_min, mut t_max) = (0.0, BOUND_HUGE);
    for axis in 0..3 {
        let close = if axis == 0 { 0.0 } else { CLOSE_TOLERANCE };
        let (near, far) = if d[axis] < -EPSILON {
            (c2[axis], c1[axis])
        } else if d[axis] > EPSILON {
            (c1[axis], c2[axis])
        } else {
            if p[axis] < c1[axis] || p[axis] > c2[axis] {
                return None;
            }
            continue;
        };
        let t = (far - p[axis]) / d[axis];
        if t < t_min {
            return None;
        }
        if t <= t_max - close {
            t_max = t;
        }
        let t = (near - p[axis]) / d[axis];
        if t >= t_min + close {
            if t > t_max {
                return None;
            }
            t_min = t;
        }
    }
    if t_max < BOX_DEPTH_TOLERANCE {
        return None;
    }
    Some((t_min, t_max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::{Expr, Function};

    fn f(e: Expr) -> FunctionRef {
        Function::compile(&e, 3).expect("compiles")
    }

    /// The square x = u, y = v, z = 0 over [-0.5, 0.5]².
    fn square(precompute: Option<(u32, [bool; 3])>) -> Parametric {
        Parametric::new(&Desc {
            functions: [f(Expr::Param(0)), f(Expr::Param(1)), f(Expr::Const(0.0))],
            uv_min: DVec2::splat(-0.5),
            uv_max: DVec2::splat(0.5),
            container: Container::Box {
                corner1: DVec3::splat(-1.0),
                corner2: DVec3::splat(1.0),
            },
            accuracy: 0.001,
            max_gradient: 1.0,
            precompute,
        })
    }

    fn hit(p: &Parametric, o: [f64; 3], d: [f64; 3]) -> Option<(f64, u32)> {
        let mut out = ShapeHits::default();
        p.intersect(&Ray::new(DVec3::from(o), DVec3::from(d)), &mut out);
        let first = out.iter().next();
        first
    }

    #[test]
    fn a_flat_square_is_hit_once_within_accuracy() {
        for pre in [None, Some((6, [true, true, true]))] {
            let s = square(pre);
            let (t, part) = hit(&s, [0.2, 0.1, -3.0], [0.0, 0.0, 1.0]).expect("hit");
            // The bounds are offset by the accuracy, as POV-Ray's are.
            assert!((t - 3.0).abs() < 0.01, "{t}");
            let n = s.normal(DVec3::ZERO, part);
            assert!(n.normalize().z.abs() > 0.999, "{n:?}");
            assert!(hit(&s, [0.7, 0.1, -3.0], [0.0, 0.0, 1.0]).is_none());
            assert!(hit(&s, [0.0, 0.0, -3.0], [0.0, 0.0, -1.0]).is_none());
        }
    }

    #[test]
    fn the_parts_carry_uv_back() {
        let s = square(None);
        let uv = DVec2::new(0.25, -0.125);
        let back = s.part_uv(s.uv_part(uv));
        assert!((back - uv).length() < 1e-4, "{back:?}");
    }

    #[test]
    fn edge_ranges_widen_by_the_slack_of_the_gradient() {
        assert_eq!(edge_range(1.0, 0.0, 0.0, 2.0), (-1.0, 1.0));
        // A change as steep as the bound leaves no slack.
        assert_eq!(edge_range(1.0, 0.0, 2.0, 2.0), (0.0, 2.0));
    }

    #[test]
    fn the_box_span_starts_at_the_origin_inside() {
        let r = Ray::new(DVec3::ZERO, DVec3::X);
        let (a, b) = box_span(&r, DVec3::splat(-1.0), DVec3::splat(1.0)).expect("span");
        assert_eq!((a, b), (0.0, 1.0));
    }
}
