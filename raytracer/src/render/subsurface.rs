//! Subsurface light transport (POV-Ray 3.7's BSSRDF, after Jensen et al., "A
//! Practical Model for Subsurface Light Transport", 2001), for finishes with a
//! `subsurface { translucency C }` block in scenes whose `global_settings` have a
//! `subsurface { }` block. It replaces the finish's diffuse term with three parts:
//!
//! - **Multiple (diffuse) scattering**, the dipole approximation: the reduced
//!   scattering coefficient per channel is `1/translucency` (in 1/mm, scene units
//!   scaled by `mm_per_unit`), and the reduced albedo is the one whose dipole
//!   diffuse reflectance equals the surface colour times `diffuse`, looked up in a
//!   table computed once per index of refraction ([`ReducedAlbedo`]). Sample
//!   points are where rays from a base point one mean free path below the surface
//!   (never deeper than half the object's thickness there) leave the object, in
//!   uniformly distributed directions; each sees every light (one shadow ray, no
//!   area light grid) and is weighted by the surface area its direction stands
//!   for, `4π d² / cos`.
//! - **Single scattering**: per channel and sample, a scattering depth drawn from
//!   the exponential distribution along the refracted eye ray; the light reaching
//!   it enters where the ray from it towards the light leaves the object.
//! - **Unscattered light**: the refracted eye ray, attenuated by the medium, leaves
//!   the object's far side and is traced on.
//!
//! Directions come from a two-dimensional Halton sequence (bases 2 and 3), as
//! POV-Ray's do, but started at an index hashed from the shaded point, and the
//! single-scattering depths from a hash of the point and sample number, so every
//! pixel is the same whatever the thread or block order. Light scattered inside a
//! subsurface object that reaches another subsurface surface is sampled once
//! more with one sample per term, and no deeper, as in POV-Ray.

use glam::DVec3;

use super::radiosity::directions::radical_inverse;
use super::tracer::{greyscale, Tracer};
use crate::desc::Subsurface;
use crate::scene::light::jitter_hash;
use crate::scene::light_group;
use crate::scene::{Hit, Light, Ray, RayKind};

/// POV-Ray's EPSILON.
const EPSILON: f64 = 1e-10;
/// Entries of the reduced albedo table, over diffuse reflectance 0..1.
const ALBEDO_SAMPLES: usize = 100;
/// Salts keeping the hashes for directions and depths apart from other users.
const DIRECTION_SALT: u64 = 0x55_5354_0000;
const DEPTH_SALT: u64 = 0x55_5354_1000_0000;
/// Halton indices start below this (a hashed offset per shaded point).
const HALTON_RANGE: f64 = (1u64 << 20) as f64;

/// The dipole's diffuse reflectance under uniform light for reduced albedo
/// `alpha` (Jensen et al.'s BRDF approximation), with `a` the boundary term.
fn dipole_reflectance(a: f64, alpha: f64) -> f64 {
    let root = (3.0 * (1.0 - alpha)).sqrt();
    (alpha / 2.0) * (1.0 + (-(4.0 / 3.0) * a * root).exp()) * (-root).exp()
}

/// POV-Ray's approximation of the Fresnel diffuse reflectance (stable for any `eta`).
fn fresnel_diffuse_reflectance(eta: f64) -> f64 {
    if eta < 1.0 {
        eta * eta - eta.powf(2.25)
    } else {
        let k = 1.0 - 1.0 / eta;
        (k + 3.0 * k.powf(4.5)) / 4.0
    }
}

/// Fresnel transmittance at incidence angle `phi`.
fn transmittance(phi: f64, eta: f64) -> f64 {
    let c = phi.cos();
    let g = (eta * eta + c * c - 1.0).sqrt();
    let mut f = 0.5 * ((g - c) * (g - c)) / ((g + c) * (g + c));
    f *= 1.0 + (c * (g + c) - 1.0).powi(2) / (c * (g - c) + 1.0).powi(2);
    // (A NaN, from total reflection, counts as no reflection, as POV-Ray's clip does.)
    1.0 - if f.is_nan() { 0.0 } else { f.clamp(0.0, 1.0) }
}

/// `v` refracted through a surface with normal `n` (either side) at index ratio
/// `eta`, None on total reflection.
fn refracted(v: DVec3, n: DVec3, eta: f64) -> Option<DVec3> {
    let v = v.normalize_or_zero();
    let mut n = n.normalize_or_zero();
    let mut cos_phi = v.dot(n);
    if cos_phi > 0.0 {
        n = -n;
    } else {
        cos_phi = -cos_phi;
    }
    let cos_theta_sqr = 1.0 + eta * eta * (cos_phi * cos_phi - 1.0);
    if cos_theta_sqr < 0.0 {
        return None;
    }
    Some((v * eta + n * (eta * cos_phi - cos_theta_sqr.sqrt())).normalize_or_zero())
}

/// The reduced albedo whose dipole reflectance is a given diffuse reflectance,
/// tabulated for one index of refraction (found by regula falsi per entry).
#[derive(Debug)]
pub(crate) struct ReducedAlbedo {
    ior: f64,
    table: [f64; ALBEDO_SAMPLES + 1],
}

impl ReducedAlbedo {
    fn new(ior: f64) -> Self {
        let mut table = [0.0; ALBEDO_SAMPLES + 1];
        table[ALBEDO_SAMPLES] = 1.0;
        let fdr = fresnel_diffuse_reflectance(ior);
        let a = (1.0 + fdr) / (1.0 - fdr);
        let mut alpha = 1.0;
        let mut rd = 1.0;
        for i in (1..ALBEDO_SAMPLES).rev() {
            let target = i as f64 / ALBEDO_SAMPLES as f64;
            let (mut rd0, mut rd1) = (0.0, rd);
            let (mut alpha0, mut alpha1) = (0.0, alpha);
            // Bounded, for inputs (odd indices) the search cannot settle on.
            for _ in 0..200 {
                if (rd - target).abs() < EPSILON {
                    break;
                }
                let p = (target - rd0) / (rd1 - rd0);
                alpha = alpha0 + p * (alpha1 - alpha0);
                rd = dipole_reflectance(a, alpha);
                if rd < target {
                    alpha0 = alpha;
                    rd0 = rd;
                } else {
                    alpha1 = alpha;
                    rd1 = rd;
                }
            }
            table[i] = alpha;
        }
        ReducedAlbedo { ior, table }
    }

    /// The reduced albedo for diffuse reflectance `rd`, interpolated.
    fn at(&self, rd: f64) -> f64 {
        let i = rd.clamp(0.0, 1.0) * ALBEDO_SAMPLES as f64;
        let (i0, i1) = (i.floor() as usize, i.ceil() as usize);
        let p = i - i0 as f64;
        (1.0 - p) * self.table[i0] + p * self.table[i1]
    }
}

/// A tracer's subsurface state: how deep in subsurface sampling it is, the
/// albedo tables made so far and a hit buffer of its own.
#[derive(Default)]
pub(crate) struct SubsurfaceState<'a> {
    depth: u32,
    tables: Vec<ReducedAlbedo>,
    hits: Vec<Hit<'a>>,
}

/// The shaded point and what the scattering needs of its surface.
pub(super) struct ScatterPoint<'f> {
    pub point: DVec3,
    /// The geometric normal, facing the viewer.
    pub normal: DVec3,
    /// The eye ray's direction.
    pub dir: DVec3,
    /// The object's interior (which surfaces belong to the same object).
    pub interior_id: u32,
    /// The interior's index of refraction, and the ratio the eye ray crosses
    /// into it (inside over outside).
    pub ior: f64,
    pub eta: f64,
    /// The layer's pigment colour.
    pub base: DVec3,
    pub subsurface: &'f Subsurface,
    pub light_group: Option<u32>,
    pub kind: RayKind,
    pub level: u32,
}

/// Where a subsurface ray leaves a surface: point, distance, geometric normal
/// and interior.
struct Exit {
    point: DVec3,
    t: f64,
    normal: DVec3,
    interior_id: u32,
}

/// The scattering coefficients (1/mm) per channel of one shaded point.
struct Medium {
    sigma_s: DVec3,
    sigma_t: DVec3,
    sigma_a: DVec3,
}

impl<'a> Tracer<'a> {
    /// The light the finish's subsurface scattering sends towards the viewer
    /// (zero when the scene has subsurface light transport off).
    pub(super) fn subsurface_light(&mut self, at: &ScatterPoint<'_>) -> DVec3 {
        let Some(s) = self.scene.settings.subsurface.as_ref() else {
            return DVec3::ZERO;
        };
        let (diffuse, single) = match self.sslt.depth {
            0 => (s.samples_diffuse, s.samples_single),
            1 => (1, 1),
            _ => return DVec3::ZERO,
        };
        self.sslt.depth += 1;
        let c = self.scatter(at, diffuse, single);
        self.sslt.depth -= 1;
        c
    }

    fn reduced_albedo(&mut self, ior: f64, rd: DVec3) -> DVec3 {
        let tables = &mut self.sslt.tables;
        let i = match tables.iter().position(|t| t.ior == ior) {
            Some(i) => i,
            None => {
                tables.push(ReducedAlbedo::new(ior));
                tables.len() - 1
            }
        };
        let t = &tables[i];
        DVec3::new(t.at(rd.x), t.at(rd.y), t.at(rd.z))
    }

    fn scatter(&mut self, at: &ScatterPoint<'_>, n_diffuse: u32, n_single: u32) -> DVec3 {
        let mm = self.scene.settings.mm_per_unit;
        let sub = at.subsurface;
        let alpha = self
            .reduced_albedo(at.ior, at.base * sub.raw_diffuse)
            .max(DVec3::splat(1e-6));
        let tr = sub.translucency;
        let sigma_s = DVec3::ONE / DVec3::new(tr.r, tr.g, tr.b).max(DVec3::splat(1e-9));
        let sigma_t = sigma_s / alpha;
        let medium = Medium {
            sigma_s,
            sigma_t,
            sigma_a: sigma_t - sigma_s,
        };
        let v_out = -at.dir;
        let mean_t = greyscale(medium.sigma_a) + greyscale(medium.sigma_s);
        let base = self.sample_base(at, v_out, 1.0 / (mean_t * mm));

        let mut total = DVec3::ZERO;
        let mut count = 0u32;
        let start = ((jitter_hash(at.point, DIRECTION_SALT + u64::from(self.sslt.depth)) + 0.5)
            * HALTON_RANGE) as u64;
        for i in 0..n_diffuse {
            let k = start + u64::from(i);
            let x = radical_inverse(2, k) * 2.0 - 1.0;
            let theta = radical_inverse(3, k) * std::f64::consts::TAU;
            let r = (1.0 - x * x).max(0.0).sqrt();
            let dir = DVec3::new(x, r * theta.cos(), r * theta.sin());
            let Some(exit) = self.exit(base, dir, f64::INFINITY) else {
                continue;
            };
            let delta = exit.point - base;
            let dist = delta.length();
            if dist <= 0.0 {
                continue;
            }
            let cos_phi = (delta / dist).dot(exit.normal).abs().max(0.01);
            let area = 4.0 * std::f64::consts::PI * (dist * mm).powi(2) / cos_phi;
            count += 1;
            if exit.interior_id == at.interior_id {
                total += self.diffuse_sample(at, v_out, &exit, &medium, area);
            }
        }
        if count > 0 {
            total /= f64::from(count);
        }

        let Some(inward) = refracted(at.dir, at.normal, 1.0 / at.eta) else {
            return total;
        };
        let far = self.exit(at.point, inward, f64::INFINITY);
        let dist = far.as_ref().map_or(f64::INFINITY, |e| e.t * mm);
        let cos_out = v_out.dot(at.normal);
        let mut n = 0u64;
        for _ in 0..n_single {
            for j in 0..3 {
                n += 1;
                let seed = DEPTH_SALT + (u64::from(self.sslt.depth) << 32) + n;
                let eps = jitter_hash(at.point, seed) + 0.5;
                let c = self.single_scattering(at, dist, cos_out, inward, &medium, j, eps);
                total[j] += c / f64::from(n_single);
            }
        }

        // Light passing straight through, dimmed by the medium.
        let att = (-medium.sigma_t * dist).exp();
        let weight = att.max_element();
        if weight > self.scene.settings.adc_bailout {
            if let Some(e) = far.filter(|e| e.interior_id == at.interior_id) {
                let n = if inward.dot(e.normal) > 0.0 {
                    -e.normal
                } else {
                    e.normal
                };
                if let Some(out) = refracted(inward, n, at.eta) {
                    let c = self.trace(
                        &Ray::new(e.point, out),
                        at.kind.refracted(),
                        weight,
                        at.level + 1,
                    );
                    total += c * att;
                }
            }
        }
        total
    }

    /// The nearest surface along a ray from `from`, closer than `max`.
    fn exit(&mut self, from: DVec3, dir: DVec3, max: f64) -> Option<Exit> {
        let ray = Ray::new(from, dir);
        let mut hits = std::mem::take(&mut self.sslt.hits);
        let found = self
            .scene
            .closest(&ray, RayKind::Radiosity, &mut hits, &mut self.stats);
        let exit = found.filter(|h| h.t < max).map(|h| {
            let point = ray.at(h.t);
            let mut normal = h.object.normal(point, h.part);
            if h.object.inverse {
                normal = -normal;
            }
            Exit {
                point,
                t: h.t,
                normal,
                interior_id: h.object.material().map_or(u32::MAX, |m| m.interior_id),
            }
        });
        self.sslt.hits = hits;
        exit
    }

    /// Where the diffuse samples' rays start: a mean free path `free` below the
    /// surface, but no deeper than halfway to its back side.
    fn sample_base(&mut self, at: &ScatterPoint<'_>, v_out: DVec3, free: f64) -> DVec3 {
        let n = if at.normal.dot(v_out) > 0.0 {
            -at.normal
        } else {
            at.normal
        };
        match self.exit(at.point, n, free * 2.0) {
            Some(e) if e.interior_id == at.interior_id => at.point + n * (e.t / 2.0),
            Some(e) => at.point + n * free.min(e.t - EPSILON),
            None => at.point + n * free,
        }
    }

    /// The lights a point of this object sees, as (index, light).
    fn lights_of(&self, group: Option<u32>) -> Vec<(usize, &'a Light)> {
        let scene = self.scene;
        scene
            .lights
            .iter()
            .enumerate()
            .filter(|(_, l)| light_group::lights(l.group, group, &scene.light_groups))
            .collect()
    }

    /// The light of `light` reaching `p` and its direction: its colour, fading
    /// and one shadow ray (None when nothing arrives).
    fn light_at(&mut self, index: usize, light: &'a Light, p: DVec3) -> Option<(DVec3, DVec3)> {
        let lray = light.ray_from(p, DVec3::ZERO);
        let lc = light.colour * light.attenuation(p, &lray);
        if lc.abs().max_element() < EPSILON {
            return None;
        }
        let lc = if !light.shadowless || light.projects_through() {
            lc * self.point_shadow(index, light, p, &lray)
        } else {
            lc
        };
        (lc.abs().max_element() >= EPSILON).then_some((lc, lray.dir))
    }

    /// One diffuse sample: the dipole's response at the shaded point to the
    /// lights at the sample point `exit`, weighted by its `area`.
    fn diffuse_sample(
        &mut self,
        at: &ScatterPoint<'_>,
        v_out: DVec3,
        exit: &Exit,
        m: &Medium,
        area: f64,
    ) -> DVec3 {
        let mut total = DVec3::ZERO;
        for (index, light) in self.lights_of(at.light_group) {
            // Light nearly along the surface, or stopped, does not count.
            let l = light.ray_from(exit.point, DVec3::ZERO).dir;
            let mut n_in = exit.normal;
            let mut cos_in = n_in.dot(l);
            if cos_in < 0.0 {
                n_in = -n_in;
                cos_in = -cos_in;
            }
            if cos_in < EPSILON {
                continue;
            }
            let Some((lc, l)) = self.light_at(index, light, exit.point) else {
                continue;
            };
            let lc = lc * cos_in;
            for j in 0..3 {
                let sd = self.dipole(at, v_out, exit.point, n_in, l, m.sigma_s[j], m.sigma_a[j]);
                total[j] += lc[j] * sd * area;
            }
        }
        total
    }

    /// The dipole BSSRDF (times the Fresnel transmittances in and out) for light
    /// entering at `p_in` from `v_in` and leaving at the shaded point towards `v_out`.
    #[allow(clippy::too_many_arguments)]
    fn dipole(
        &self,
        at: &ScatterPoint<'_>,
        v_out: DVec3,
        p_in: DVec3,
        n_in: DVec3,
        v_in: DVec3,
        sigma_s: f64,
        sigma_a: f64,
    ) -> f64 {
        let eta = at.eta;
        let mm = self.scene.settings.mm_per_unit;
        let sigma_t = sigma_s + sigma_a;
        let alpha = sigma_s / sigma_t;
        let fdr = fresnel_diffuse_reflectance(eta);
        let a = (1.0 + fdr) / (1.0 - fdr);
        let phi_in = v_in.dot(n_in).clamp(-1.0, 1.0).acos();
        let phi_out = v_out.dot(at.normal).clamp(-1.0, 1.0).acos();
        let f = transmittance(phi_in, eta) * transmittance(phi_out, eta);
        let dist_sqr = (p_in - at.point).length_squared() * mm * mm;
        let sigma_tr = (3.0 * sigma_a * sigma_t).sqrt();
        let z_r = 1.0 / sigma_t;
        let d_r_sqr = z_r * z_r + dist_sqr;
        let d_r = d_r_sqr.sqrt();
        let z_v = z_r * (1.0 + a * 4.0 / 3.0);
        let d_v_sqr = z_v * z_v + dist_sqr;
        let d_v = d_v_sqr.sqrt();
        let c1 = z_r * (sigma_tr + 1.0 / d_r);
        let c2 = z_v * (sigma_tr + 1.0 / d_v);
        let r_term = c1 * (-sigma_tr * d_r).exp() / d_r_sqr;
        let v_term = c2 * (-sigma_tr * d_v).exp() / d_v_sqr;
        let rd = alpha / (4.0 * std::f64::consts::PI) * (r_term + v_term);
        // POV-Ray's light intensities already include the 1/π.
        let sd = f * rd;
        if sd.is_finite() {
            sd.max(0.0)
        } else {
            0.0
        }
    }

    /// Single scattering in channel `j` at the depth `eps` picks along the
    /// refracted eye ray (`dist` mm long inside the object).
    #[allow(clippy::too_many_arguments)]
    fn single_scattering(
        &mut self,
        at: &ScatterPoint<'_>,
        dist: f64,
        cos_out: f64,
        inward: DVec3,
        m: &Medium,
        j: usize,
        eps: f64,
    ) -> f64 {
        let mm = self.scene.settings.mm_per_unit;
        let (sigma_t, sigma_s) = (m.sigma_t[j], m.sigma_s[j]);
        let s_out = eps.ln().abs() / sigma_t;
        // (eps 0 gives an infinite depth: no scattering either.)
        if s_out.is_nan() || s_out >= dist {
            return 0.0;
        }
        let bend = at.point + inward * (s_out / mm);
        let eta = at.eta;
        let cos_out_prime = (1.0 - (1.0 - cos_out * cos_out) / (eta * eta))
            .max(0.0)
            .sqrt();
        let phi_out = cos_out.clamp(-1.0, 1.0).acos();
        let mut lo = 0.0;
        for (index, light) in self.lights_of(at.light_group) {
            let l = light.ray_from(bend, DVec3::ZERO).dir;
            // Where light from it enters (ignoring its bending at the surface).
            let Some(xi) = self.exit(bend, l, f64::INFINITY) else {
                continue;
            };
            if xi.interior_id != at.interior_id {
                continue;
            }
            let Some((lc, l)) = self.light_at(index, light, xi.point) else {
                continue;
            };
            let cos_in = xi.normal.dot(l).abs();
            if cos_in < EPSILON {
                continue;
            }
            let cos_in_prime_sqr = 1.0 - (1.0 - cos_in * cos_in) / (eta * eta);
            if cos_in_prime_sqr < 0.0 {
                continue;
            }
            let cos_in_prime = cos_in_prime_sqr.sqrt();
            if cos_in_prime <= EPSILON {
                continue;
            }
            let s_in = (bend - xi.point).length() * mm * cos_in / cos_in_prime;
            let f = transmittance(cos_in.acos(), eta) * transmittance(phi_out, eta);
            let g = (cos_out_prime / cos_in_prime).abs();
            let sigma_tc = sigma_t + g * sigma_t;
            // Isotropic phase function; POV-Ray's light already includes the 1/π.
            let p = 0.25;
            let e = (-s_in * sigma_t).exp() * (-s_out * sigma_t).exp();
            let factor = (sigma_s * f * p / sigma_tc * e).min(f64::MAX);
            if factor.is_finite() {
                lo += lc[j] * cos_in * factor;
            }
        }
        lo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduced_albedo_reproduces_the_reflectance() {
        let t = ReducedAlbedo::new(1.5);
        let fdr = fresnel_diffuse_reflectance(1.5);
        let a = (1.0 + fdr) / (1.0 - fdr);
        for rd in [0.1, 0.35, 0.5, 0.8] {
            let got = dipole_reflectance(a, t.at(rd));
            assert!((got - rd).abs() < 1e-3, "{rd}: {got}");
        }
        assert_eq!(t.at(0.0), 0.0);
        assert_eq!(t.at(2.0), 1.0);
    }

    #[test]
    fn refraction_bends_towards_the_normal() {
        let v = DVec3::new(1.0, -1.0, 0.0).normalize();
        let r = refracted(v, DVec3::Y, 1.0 / 1.5).unwrap();
        assert!(r.y < 0.0 && r.x < v.x);
        assert!(refracted(-r, DVec3::Y, 1.5).is_none() || r.x.abs() < 1.0);
    }

    #[test]
    fn transmittance_is_a_fraction() {
        for phi in [0.0, 0.5, 1.0, 1.5] {
            let t = transmittance(phi, 1.3);
            assert!((0.0..=1.0).contains(&t));
        }
        assert!(transmittance(0.0, 1.5) > transmittance(1.5, 1.5));
    }
}
