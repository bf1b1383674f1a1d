//! The photons' light at a surface point (POV-Ray's ComputePhotonDiffuseLight):
//! each photon gathered around the point lights it like a small light source
//! from the direction it came, and the sum is divided by the gathered disc's
//! area.

use glam::DVec3;

use super::map::{Found, Photon, PhotonMap};
use crate::desc::Finish;
use crate::render::tracer::lit_colour;
use crate::scene::Ray;

/// POV-Ray's EPSILON.
const EPSILON: f64 = 1e-10;

/// A tracer's gather buffers, and the radius of the photons they hold for the
/// surface point being shaded (None: not gathered yet).
#[derive(Debug, Default)]
pub struct Gathered {
    pub(super) found: Found,
    pub(super) spare: Found,
    radius: Option<f64>,
}

impl Gathered {
    /// Forgets the last point's photons: the next shading point gathers anew.
    pub fn reset(&mut self) {
        self.radius = None;
    }
}

/// The direction a photon arrived from, decoded from its byte angles.
pub(super) fn direction(p: &Photon) -> DVec3 {
    let theta = f64::from(p.theta) * std::f64::consts::PI / 127.0;
    let phi = f64::from(p.phi) * std::f64::consts::PI / 127.0;
    let (st, ct) = theta.sin_cos();
    let (sp, cp) = phi.sin_cos();
    DVec3::new(ct * cp, st, ct * sp)
}

/// What one point of a surface needs to be lit by photons.
pub struct PhotonPoint<'r> {
    pub point: DVec3,
    /// The layer's (perturbed) normal and the surface's own, both facing the ray.
    pub normal: DVec3,
    pub raw_normal: DVec3,
    pub ray: &'r Ray,
    pub double_illuminate: bool,
}

impl PhotonMap {
    /// The photons' diffuse, phong and specular light at `at` for a layer with
    /// finish `f`, pigment `base` and opacity `att`. The photons are gathered
    /// once per point (with the first layer's normal) and reused for the others.
    pub fn light_at(
        &self,
        f: &Finish,
        at: &PhotonPoint,
        base: DVec3,
        att: f64,
        g: &mut Gathered,
    ) -> DVec3 {
        if f.diffuse == 0.0 && f.diffuse_back == 0.0 && f.specular == 0.0 && f.phong == 0.0 {
            return DVec3::ZERO;
        }
        let r = match g.radius {
            Some(r) => r,
            None => {
                let r = self.gather_adaptive(at.point, Some(at.normal), &mut g.found, &mut g.spare);
                g.radius = Some(r);
                r
            }
        };
        let mut sum = DVec3::ZERO;
        for &(_, i) in &g.found.items {
            let p = self.photon(i);
            let l = direction(p);
            // Lambert's cosine is already in the photon density: undo it, within
            // a factor of ten against bright specks.
            let cos_raw = at.raw_normal.dot(l).clamp(0.1, 1.0);
            let lc = glam::Vec3::from_array(p.colour).as_dvec3() / cos_raw;
            let backside = !at.double_illuminate && at.normal.dot(l) < EPSILON;
            if backside && f.diffuse_back == 0.0 {
                continue;
            }
            sum += lit_colour(
                f,
                lc,
                l,
                at.normal,
                at.ray,
                base,
                (att, 0.0),
                false,
                backside,
            );
        }
        sum / (std::f64::consts::PI * r * r)
    }
}
