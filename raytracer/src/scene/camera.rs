//! Primary rays as POV-Ray 3.7's cameras build them: every projection, the camera
//! `normal` perturbing ray directions, and focal blur.
//!
//! Everything here is a pure function of the image position (focal blur's lens
//! samples included), so a pixel's rays never depend on where it is rendered.

use glam::DVec3;

use super::build::BuildError;
use super::geometry::Ray;
use super::material::Bump;
use super::mesh_camera::MeshCamera;
use crate::desc::camera::{CylinderKind, FocalBlur};
use crate::desc::{self, Projection};
use crate::pattern::NoiseGenerator;

/// Below this the panoramic camera treats an angle as exactly +-90 degrees.
const EPSILON: f64 = 1e-10;
/// POV-Ray's "infinitely far" for the panoramic camera's poles.
const BOUND_HUGE: f64 = 2.0e10;
/// The omnimax film's aspect ratio.
const OMNIMAX_ASPECT: f64 = 1.283458;

/// The camera with its final vectors (see [`desc::Camera`]), normalised where the
/// projection wants unit vectors, and the lengths it needs precomputed.
#[derive(Clone, Debug)]
pub struct Camera {
    projection: Projection,
    location: DVec3,
    direction: DVec3,
    up: DVec3,
    right: DVec3,
    /// The scene's `up`/`right` lengths (before normalising).
    length_up: f64,
    length_right: f64,
    /// POV-Ray's per-projection "aspect ratio" (see [`aspect_ratio`]).
    aspect: f64,
    /// `angle` in degrees, for the projections that read it.
    angle: f64,
    /// The spherical camera's horizontal and vertical angles in degrees.
    spherical: (f64, f64),
    normal: Option<Bump>,
    blur: Option<Blur>,
    /// The mesh camera's faces (projection `Mesh`), which replace the projection.
    mesh: Option<MeshCamera>,
}

/// Focal blur ready to sample: the lens axes and the per-sample lens positions.
#[derive(Clone, Debug)]
struct Blur {
    settings: FocalBlur,
    /// Lens axes perpendicular to the view (POV-Ray's "crosshair").
    x_perp: DVec3,
    y_perp: DVec3,
    /// Focal distance in units of the direction vector's length.
    focal_scale: f64,
    /// Lens positions in the unit disc of diameter 1, one per sample.
    lens: Vec<(f64, f64)>,
    /// Variance bound per sample count for the early stop.
    thresholds: Vec<f64>,
}

/// POV-Ray's aspect ratio per projection, and whether the projection wants unit
/// direction, up and right vectors.
fn aspect_ratio(p: Projection, length_up: f64, length_right: f64) -> (f64, bool) {
    match p {
        Projection::Cylinder(CylinderKind::Vertical | CylinderKind::VerticalParallel) => {
            (length_up, true)
        }
        Projection::Cylinder(CylinderKind::Horizontal | CylinderKind::HorizontalParallel) => {
            (length_right, true)
        }
        Projection::UltraWideAngle => (length_up / length_right, true),
        Projection::Omnimax | Projection::Fisheye => (length_right / length_up, true),
        Projection::Perspective
        | Projection::Orthographic
        | Projection::Panoramic
        | Projection::Spherical
        | Projection::Mesh => (length_right / length_up, false),
    }
}

/// `v` rotated about the unit `axis` by `angle` radians, with POV-Ray's
/// row-vector axis-rotation matrix.
fn rotate_about(v: DVec3, axis: DVec3, angle: f64) -> DVec3 {
    let a = axis.normalize_or_zero();
    let (s, c) = angle.sin_cos();
    let t = 1.0 - c;
    let row0 = DVec3::new(
        a.x * a.x + c * (1.0 - a.x * a.x),
        a.x * a.y * t + a.z * s,
        a.x * a.z * t - a.y * s,
    );
    let row1 = DVec3::new(
        a.x * a.y * t - a.z * s,
        a.y * a.y + c * (1.0 - a.y * a.y),
        a.y * a.z * t + a.x * s,
    );
    let row2 = DVec3::new(
        a.x * a.z * t + a.y * s,
        a.y * a.z * t - a.x * s,
        a.z * a.z + c * (1.0 - a.z * a.z),
    );
    row0 * v.x + row1 * v.y + row2 * v.z
}

/// Polar angle of (`x`, `y`) as POV-Ray's fisheye and omnimax cameras take it.
fn polar_angle(x: f64, y: f64, rad: f64) -> f64 {
    if rad == 0.0 {
        0.0
    } else if x < 0.0 {
        std::f64::consts::PI - (y / rad).asin()
    } else {
        (y / rad).asin()
    }
}

impl Camera {
    /// Where the camera is.
    pub fn location(&self) -> DVec3 {
        self.location
    }

    pub fn from_desc(c: &desc::Camera, gen: NoiseGenerator) -> Result<Camera, BuildError> {
        let mesh = match (&c.mesh, c.projection) {
            (Some(m), Projection::Mesh) => Some(MeshCamera::new(m, c)?),
            (None, Projection::Mesh) => return Err(BuildError::UnsupportedCamera("meshless mesh")),
            _ => None,
        };
        let (length_up, length_right) = (c.up.length(), c.right.length());
        let (aspect, normalise) = aspect_ratio(c.projection, length_up, length_right);
        let unit = |v: DVec3| if normalise { v.normalize_or_zero() } else { v };
        Ok(Camera {
            projection: c.projection,
            location: c.location,
            direction: unit(c.direction),
            up: unit(c.up),
            right: unit(c.right),
            length_up,
            length_right,
            aspect,
            angle: c.angle,
            spherical: c.spherical_angles,
            normal: c.normal.as_ref().map(|n| Bump::from_desc(n, gen)),
            blur: c.focal_blur.as_ref().map(|b| Blur::new(b, c)),
            mesh,
        })
    }

    /// Whether this camera needs several rays per pixel (focal blur).
    pub fn blurred(&self) -> bool {
        self.blur.is_some()
    }

    /// The ray through image position (`x`, `y`) in pixels from the top-left corner
    /// (pixel centres are at +0.5) of a `width` x `height` image, or None where the
    /// projection has no ray (outside a fisheye's circle, for instance).
    pub fn ray(&self, x: f64, y: f64, width: f64, height: f64) -> Option<Ray> {
        self.lens_ray(x, y, width, height, None)
    }

    /// [`Camera::ray`] through lens sample `sample` when the camera blurs.
    fn lens_ray(&self, x: f64, y: f64, w: f64, h: f64, sample: Option<usize>) -> Option<Ray> {
        // Centred image coordinates in [-0.5, 0.5], v upward.
        let u = x / w - 0.5;
        let v = 0.5 - y / h;
        let (mut origin, mut dir, p0) = self.project(u, v)?;
        if let (Some(blur), Some(i)) = (&self.blur, sample) {
            (origin, dir) = blur.deflect(self.location, dir, i, x, y);
        }
        if let Some(bump) = &self.normal {
            let d = dir.normalize_or_zero();
            dir = bump.perturb(DVec3::new(p0.0, p0.1, 0.0), d);
        }
        let dir = dir.normalize_or_zero();
        Some(Ray::new(origin, dir))
    }

    /// The unnormalised ray of each projection at centred coordinates (`u`, `v`),
    /// and the pair POV-Ray evaluates the camera normal at.
    fn project(&self, u: f64, v: f64) -> Option<(DVec3, DVec3, (f64, f64))> {
        let (loc, d, up, right) = (self.location, self.direction, self.up, self.right);
        let angle = self.angle.to_radians();
        Some(match self.projection {
            Projection::Perspective | Projection::Mesh => (loc, d + right * u + up * v, (u, v)),
            Projection::Orthographic => (loc + right * u + up * v, d, (u, v)),
            Projection::Fisheye => {
                let (x0, y0) = (2.0 * u * self.length_right, 2.0 * v * self.length_up);
                let rad = x0.hypot(y0);
                if rad > 1.0 {
                    return None;
                }
                let phi = polar_angle(x0, y0, rad);
                let theta = rad * angle * 0.5;
                (loc, self.spherical_dir(phi, theta), (phi, theta))
            }
            Projection::Omnimax => self.omnimax(2.0 * u, 2.0 * v)?,
            Projection::Panoramic => {
                let x0 = (0.5 - u) * std::f64::consts::PI;
                let y0 = std::f64::consts::FRAC_PI_2 * 2.0 * v;
                let ty = if (std::f64::consts::FRAC_PI_2 - y0.abs()).abs() < EPSILON {
                    BOUND_HUGE.copysign(y0)
                } else {
                    y0.tan()
                };
                (loc, right * x0.cos() + up * ty + d * x0.sin(), (x0, y0))
            }
            Projection::UltraWideAngle => {
                let x0 = u * angle;
                let y0 = v * angle * self.aspect;
                (
                    loc,
                    right * x0.sin() + up * y0.sin() + d * (x0.cos() * y0.cos()),
                    (x0, y0),
                )
            }
            Projection::Cylinder(kind) => self.cylinder(kind, u, v, angle),
            Projection::Spherical => {
                let y0 = v * self.spherical.1.to_radians();
                let x0 = u * self.spherical.0.to_radians();
                let latitude = rotate_about(d, right, -y0);
                (loc, rotate_about(latitude, up, x0), (x0, y0))
            }
        })
    }

    /// Direction at polar angle `phi` around the view axis, `theta` away from it.
    fn spherical_dir(&self, phi: f64, theta: f64) -> DVec3 {
        let (sx, cx) = phi.sin_cos();
        let (sy, cy) = theta.sin_cos();
        self.right * (cx * sy) + self.up * (sx * sy) + self.direction * cy
    }

    /// The omnimax projection at coordinates in [-1, 1].
    fn omnimax(&self, mut x0: f64, mut y0: f64) -> Option<(DVec3, DVec3, (f64, f64))> {
        let a = self.aspect;
        if a > 1.0 {
            if a > OMNIMAX_ASPECT {
                x0 *= a / OMNIMAX_ASPECT;
                y0 = (y0 - 1.0) / OMNIMAX_ASPECT + 1.0;
            } else {
                y0 = (y0 - 1.0) / a + 1.0;
            }
        } else {
            y0 /= a;
        }
        let rad = x0.hypot(y0);
        if rad > 1.0 {
            return None;
        }
        let phi = polar_angle(x0, y0, rad);
        let theta = 1.411269 * rad - 0.09439 * rad.powi(3) + 0.25674 * rad.powi(5);
        let (sx, sy, cy) = (phi.sin(), theta.sin(), theta.cos());
        // The dome shows nothing more than 45 degrees below the projection axis.
        if sx * sy < (135.0f64).to_radians().tan() * cy {
            return None;
        }
        Some((self.location, self.spherical_dir(phi, theta), (phi, theta)))
    }

    /// The four cylindrical projections.
    fn cylinder(
        &self,
        kind: CylinderKind,
        u: f64,
        v: f64,
        angle: f64,
    ) -> (DVec3, DVec3, (f64, f64)) {
        let (loc, d, up, right) = (self.location, self.direction, self.up, self.right);
        match kind {
            CylinderKind::Vertical => {
                let (x0, y0) = (u * angle, v * self.aspect);
                (loc, right * x0.sin() + up * y0 + d * x0.cos(), (x0, y0))
            }
            CylinderKind::Horizontal => {
                let (x0, y0) = (u * self.aspect, v * angle);
                (loc, right * x0 + up * y0.sin() + d * y0.cos(), (x0, y0))
            }
            CylinderKind::VerticalParallel => {
                let (x0, y0) = (u * angle, v * self.aspect);
                (loc + up * y0, right * x0.sin() + d * x0.cos(), (x0, y0))
            }
            CylinderKind::HorizontalParallel => {
                let (x0, y0) = (u * self.aspect, v * angle);
                (loc + right * x0, up * y0.sin() + d * y0.cos(), (x0, y0))
            }
        }
    }

    /// The colour at image position (`x`, `y`): one ray, or with focal blur the
    /// average over lens samples, stopping early once the variance test says the
    /// mean is good enough. `trace` gives a ray's colour; positions without a ray
    /// are black.
    pub fn colour(
        &self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        mut trace: impl FnMut(&Ray) -> DVec3,
    ) -> DVec3 {
        if let Some(m) = &self.mesh {
            return m.colour(x, y, width, height, trace);
        }
        let Some(blur) = &self.blur else {
            return self
                .ray(x, y, width, height)
                .map_or(DVec3::ZERO, |r| trace(&r));
        };
        let (mut sum, mut sum_sq) = (DVec3::ZERO, DVec3::ZERO);
        let n = blur.lens.len();
        let mut taken = 0;
        for batch in 0.. {
            // Samples come in batches and the early stop is only tested between
            // them, so a first few equal samples cannot end the pixel.
            let end = (taken + blur_batch(batch, n)).min(n);
            while taken < end {
                let (dx, dy) = sub_pixel(x, y, taken);
                let c = self
                    .lens_ray(x + dx, y + dy, width, height, Some(taken))
                    .map_or(DVec3::ZERO, |r| trace(&r));
                sum += c;
                sum_sq += c * c;
                taken += 1;
            }
            if taken >= n || blur.good_enough(taken, sum, sum_sq) {
                break;
            }
        }
        sum / taken.max(1) as f64
    }
}

/// Size of focal blur batch `k` for `n` samples: a centre and its hexagonal ring
/// first, then two more rings, then fours (as POV-Ray batches its hex grids).
fn blur_batch(k: usize, n: usize) -> usize {
    if n < 7 {
        return 4;
    }
    match k {
        0 => 7,
        1 | 2 => 6,
        _ => 4,
    }
}

/// A deterministic value in [0, 1) from a position and an index.
fn hash01(x: f64, y: f64, i: u64) -> f64 {
    let mut h = x.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ y.to_bits().rotate_left(23)
        ^ i.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 32;
    h = h.wrapping_mul(0xD6E8_FEB8_6659_FD93);
    h ^= h >> 32;
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Sub-pixel offset of blur sample `i` of the pixel at (`x`, `y`): a cell of a
/// 5 x 5 grid chosen by hash, jittered inside the cell.
fn sub_pixel(x: f64, y: f64, i: usize) -> (f64, f64) {
    const GRID: f64 = 5.0;
    let i = i as u64 * 4;
    let cell = |k: u64| (hash01(x, y, i + k) * GRID).floor();
    let (cx, cy) = (cell(0), cell(1));
    let jx = hash01(x, y, i + 2) - 0.5;
    let jy = hash01(x, y, i + 3) - 0.5;
    (
        (2.0 * cx + 1.0) / (2.0 * GRID) - 0.5 + jx / GRID,
        (2.0 * cy + 1.0) / (2.0 * GRID) - 0.5 + jy / GRID,
    )
}

impl Blur {
    fn new(b: &FocalBlur, c: &desc::Camera) -> Blur {
        let x_perp = c.up.cross(c.direction).normalize_or_zero();
        let y_perp = c.direction.cross(x_perp).normalize_or_zero();
        let len = c.direction.length();
        let n = b.samples.clamp(1, 4096) as usize;
        Blur {
            settings: b.clone(),
            x_perp,
            y_perp,
            focal_scale: if len > 0.0 {
                b.focal_distance / len
            } else {
                1.0
            },
            lens: lens_samples(n),
            thresholds: variance_thresholds(n, b.variance, b.confidence),
        }
    }

    /// Moves the eye by lens sample `i` (with a little per-pixel jitter) and turns
    /// the ray back towards the point it saw on the focal plane.
    fn deflect(&self, location: DVec3, dir: DVec3, i: usize, x: f64, y: f64) -> (DVec3, DVec3) {
        let r = self.settings.aperture * 0.5;
        let jitter = 0.5 / (self.lens.len() as f64).sqrt();
        let (lx, ly) = self.lens[i];
        let jx = (hash01(x, y, 0x1000 + i as u64) - 0.5) * jitter;
        let jy = (hash01(x, y, 0x2000 + i as u64) - 0.5) * jitter;
        let deflection = self.x_perp * (r * (lx + jx)) - self.y_perp * (r * (ly + jy));
        let dir = (dir * self.focal_scale - deflection).normalize_or_zero();
        (location + deflection, dir)
    }

    /// POV-Ray's early stop: after the minimum sample count, every channel's
    /// variance of the mean is below the threshold for this many samples.
    fn good_enough(&self, n: usize, sum: DVec3, sum_sq: DVec3) -> bool {
        if n < self.settings.min_samples as usize || n == 0 {
            return false;
        }
        let nf = n as f64;
        let var = (sum_sq / nf - (sum / nf) * (sum / nf)) / nf;
        let t = self.thresholds[n - 1];
        var.max_element() < t
    }
}

/// `n` lens positions spread evenly over the disc of diameter 1: radii from the
/// base-2 van der Corput sequence (equal areas), angles by the golden angle. Every
/// prefix covers the whole lens, so a pixel stopped early is blurred as much.
fn lens_samples(n: usize) -> Vec<(f64, f64)> {
    let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
    let half_step = 0.5 / n as f64;
    (0..n)
        .map(|i| {
            let r = 0.5 * (van_der_corput(i as u32) + half_step).min(1.0).sqrt();
            let a = i as f64 * golden;
            (r * a.cos(), r * a.sin())
        })
        .collect()
}

/// The `i`th element of the base-2 van der Corput sequence, in [0, 1).
fn van_der_corput(i: u32) -> f64 {
    f64::from(i.reverse_bits()) / 4_294_967_296.0
}

/// The variance bound after each sample count: `variance` scaled by the ratio of
/// chi-square quantiles at the `confidence` level, as POV-Ray's test sets it.
fn variance_thresholds(n: usize, variance: f64, confidence: f64) -> Vec<f64> {
    if n <= 1 {
        return vec![0.0; n.max(1)];
    }
    let base = variance / chi_square_upper_quantile((n - 1) as f64, confidence);
    (1..=n)
        .map(|k| base * chi_square_upper_quantile(k as f64, confidence))
        .collect()
}

/// The value a chi-square variable with `k` degrees of freedom exceeds with
/// probability `p` (Wilson-Hilferty approximation, plenty for a stopping rule).
fn chi_square_upper_quantile(k: f64, p: f64) -> f64 {
    let z = normal_quantile(1.0 - p);
    let h = 2.0 / (9.0 * k);
    (k * (1.0 - h + z * h.sqrt()).powi(3)).max(1e-12)
}

/// The standard normal quantile (Acklam's rational approximation).
fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -39.696_830_286_653_76,
        220.946_098_424_520_5,
        -275.928_510_446_968_7,
        138.357_751_867_269,
        -30.664_798_066_147_16,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -54.476_098_798_224_06,
        161.585_836_858_040_9,
        -155.698_979_859_886_6,
        66.801_311_887_719_72,
        -13.280_681_552_885_72,
    ];
    const C: [f64; 6] = [
        -0.007_784_894_002_430_293,
        -0.322_396_458_041_136_5,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        0.007_784_695_709_041_462,
        0.322_467_129_070_039_8,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn camera(projection: Projection, angle: f64) -> Camera {
        let d = desc::Camera {
            projection,
            angle,
            ..desc::Camera::default()
        };
        Camera::from_desc(&d, NoiseGenerator::default()).expect("camera")
    }

    #[test]
    fn centre_pixel_looks_along_direction() {
        let c = camera(Projection::Perspective, 90.0);
        let r = c.ray(50.0, 50.0, 100.0, 100.0).unwrap();
        assert!((r.dir - DVec3::Z).length() < 1e-12);
        // Top-left corner looks up and left (right is +x, so left is -x).
        let r = c.ray(0.0, 0.0, 100.0, 100.0).unwrap();
        assert!(r.dir.x < 0.0 && r.dir.y > 0.0);
    }

    #[test]
    fn every_projection_looks_forward_at_the_centre() {
        let kinds = [
            Projection::Fisheye,
            Projection::UltraWideAngle,
            Projection::Spherical,
            Projection::Cylinder(CylinderKind::Vertical),
            Projection::Cylinder(CylinderKind::Horizontal),
            Projection::Cylinder(CylinderKind::VerticalParallel),
            Projection::Cylinder(CylinderKind::HorizontalParallel),
        ];
        for p in kinds {
            let c = camera(p, 180.0);
            let r = c.ray(50.0, 50.0, 100.0, 100.0).unwrap();
            assert!((r.dir - DVec3::Z).length() < 1e-9, "{p:?}: {:?}", r.dir);
        }
        // The omnimax dome's centre is shifted up by the film's aspect ratio.
        let r = camera(Projection::Omnimax, 180.0)
            .ray(50.0, 50.0, 100.0, 100.0)
            .unwrap();
        assert!(r.dir.z > 0.9 && r.dir.y > 0.0);
        // The panoramic camera's centre column looks along direction too.
        let r = camera(Projection::Panoramic, 90.0)
            .ray(50.0, 50.0, 100.0, 100.0)
            .unwrap();
        assert!((r.dir - DVec3::Z).length() < 1e-9);
    }

    #[test]
    fn fisheye_has_no_ray_outside_its_circle() {
        let c = camera(Projection::Fisheye, 180.0);
        assert!(c.ray(0.5, 0.5, 100.0, 100.0).is_none());
        // At the circle's edge a 180 degree fisheye looks sideways.
        let r = c.ray(100.0, 50.0, 100.0, 100.0);
        assert!(r.is_none() || r.unwrap().dir.z.abs() < 0.05);
    }

    #[test]
    fn spherical_edges_look_backwards() {
        let c = camera(Projection::Spherical, 0.0);
        let r = c.ray(0.0, 50.0, 100.0, 100.0).unwrap();
        assert!((r.dir + DVec3::Z).length() < 1e-9, "{:?}", r.dir);
    }

    #[test]
    fn axis_rotation_matches_a_quarter_turn() {
        let v = rotate_about(DVec3::Z, DVec3::Y, std::f64::consts::FRAC_PI_2);
        assert!((v.length() - 1.0).abs() < 1e-12);
        assert!(v.z.abs() < 1e-12);
    }

    #[test]
    fn lens_samples_fill_the_disc() {
        let s = lens_samples(50);
        assert!(s.iter().all(|&(x, y)| x * x + y * y <= 0.25 + 1e-12));
        let mean = s.iter().fold((0.0, 0.0), |a, b| (a.0 + b.0, a.1 + b.1));
        assert!(mean.0.abs() < 0.5 && mean.1.abs() < 0.5);
        // The first batch already reaches the lens's outer half.
        assert!(s[..7].iter().any(|&(x, y)| x.hypot(y) > 0.4));
    }

    #[test]
    fn chi_square_quantile_is_close() {
        // The 10% upper quantile of chi-square with 10 degrees of freedom is 15.99.
        assert!((chi_square_upper_quantile(10.0, 0.1) - 15.99).abs() < 0.1);
    }
}
