//! Bounds for unbounded primitives inside a box: an axis-aligned plane cuts the box
//! to its half-space, and a quadric without mixed or linear terms (ellipsoids,
//! hyperboloids, cylinders along an axis) limits the axes its equation bounds.
//! Used to give CSG intersections of such shapes a finite box for the BVH.

use glam::{DAffine3, DVec3};

use super::geometry::Aabb;
use super::object::Primitive;
use super::shapes::Shape;

pub fn primitive_within(p: &Primitive, inverse: bool, within: Aabb) -> Aabb {
    match p.shape {
        Shape::Plane { normal, distance } => plane_within(p, normal, distance, inverse, within),
        Shape::Quadric { ref c } if !inverse && c[3..9].iter().all(|v| *v == 0.0) => {
            let Some(t) = &p.transform else {
                return quadric_within(c, within);
            };
            let (Some(local), true) = (
                map_box(&t.to_object, &within),
                within.is_finite() || is_axis_aligned(&t.to_object),
            ) else {
                return within;
            };
            let b = quadric_within(c, local);
            map_box(&t.to_world, &b)
                .and_then(|w| w.intersection(&within))
                .unwrap_or(within)
        }
        _ => within,
    }
}

fn plane_within(p: &Primitive, normal: DVec3, distance: f64, inverse: bool, within: Aabb) -> Aabb {
    let (mut n, mut d) = match &p.transform {
        None => (normal, distance),
        Some(t) => {
            let n = t.normal_to_world(normal).normalize_or_zero();
            let p0 = t.to_world.transform_point3(normal * distance);
            (n, n.dot(p0))
        }
    };
    if inverse {
        n = -n;
        d = -d;
    }
    let mut b = within;
    for axis in 0..3 {
        if (n[axis].abs() - 1.0).abs() < 1e-12 {
            if n[axis] > 0.0 {
                b.max[axis] = b.max[axis].min(d);
            } else {
                b.min[axis] = b.min[axis].max(-d);
            }
            if b.min[axis] > b.max[axis] {
                b.max[axis] = b.min[axis];
            }
        }
    }
    b
}

/// `sum a_i x_i^2 + j < 0` inside the box: each axis with a positive coefficient is
/// limited by the least the other terms can contribute.
fn quadric_within(c: &[f64; 10], b: Aabb) -> Aabb {
    let a = [c[0], c[1], c[2]];
    let j = c[9];
    let min_term = |i: usize| {
        let (lo, hi) = (b.min[i], b.max[i]);
        if a[i] > 0.0 {
            let m = if lo <= 0.0 && hi >= 0.0 {
                0.0
            } else {
                lo.abs().min(hi.abs())
            };
            a[i] * m * m
        } else {
            let m = lo.abs().max(hi.abs());
            a[i] * m * m
        }
    };
    let mut out = b;
    for (i, &ai) in a.iter().enumerate() {
        if ai <= 0.0 {
            continue;
        }
        let rest: f64 = (0..3).filter(|k| *k != i).map(min_term).sum();
        let r2 = (-j - rest) / ai;
        if r2.is_nan() {
            continue;
        }
        let r = r2.max(0.0).sqrt();
        out.min[i] = out.min[i].max(-r);
        out.max[i] = out.max[i].min(r).max(out.min[i]);
    }
    out
}

fn is_axis_aligned(m: &DAffine3) -> bool {
    let c = m.matrix3.to_cols_array();
    (0..3).all(|col| {
        c[col * 3..col * 3 + 3]
            .iter()
            .filter(|v| **v != 0.0)
            .count()
            <= 1
    })
}

/// The box holding `b` mapped by `m`; handles infinite boxes when `m` only scales,
/// permutes and translates axes.
fn map_box(m: &DAffine3, b: &Aabb) -> Option<Aabb> {
    if b.is_finite() {
        return Some(b.transformed(m));
    }
    if !is_axis_aligned(m) {
        return None;
    }
    let mut min = DVec3::splat(f64::NEG_INFINITY);
    let mut max = DVec3::splat(f64::INFINITY);
    for col in 0..3 {
        let c = m.matrix3.col(col);
        for row in 0..3 {
            let s = c[row];
            if s != 0.0 {
                let (x0, x1) = (
                    b.min[col] * s + m.translation[row],
                    b.max[col] * s + m.translation[row],
                );
                min[row] = x0.min(x1);
                max[row] = x0.max(x1);
            }
        }
    }
    Some(Aabb { min, max })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyperboloid_in_a_slab_is_bounded() {
        let c = [1.0, -1.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5];
        let slab = Aabb {
            min: DVec3::new(f64::NEG_INFINITY, -1.0, f64::NEG_INFINITY),
            max: DVec3::new(f64::INFINITY, 0.7, f64::INFINITY),
        };
        let b = quadric_within(&c, slab);
        assert!(b.is_finite());
        assert!((b.max.x - 1.5f64.sqrt()).abs() < 1e-12);
    }
}
