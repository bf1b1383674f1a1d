//! Light sources as the shader uses them, following POV-Ray 3.7: the ray from a
//! surface point to a light (point, spot, cylinder, parallel), its attenuation
//! (spotlight cone, cylinder radius, distance fading), area lights with POV-Ray's
//! adaptive corner subdivision, and `projected_through`.
//!
//! The shadow test itself belongs to the tracer; this module only says which rays
//! to test and how to combine what they let through. Jittered area lights take
//! their offsets from a hash of the shaded point, so a pixel's shadows never depend
//! on where or in which order it is rendered.

use glam::DVec3;

use super::build::{build_objects, BuildError};
use super::geometry::{Ray, RayInv};
use super::object::{Hit, Object};
use crate::desc::{self, LightKind};
use crate::pattern::NoiseGenerator;
use crate::stats::Stats;

/// POV-Ray's EPSILON for degenerate lengths.
const EPSILON: f64 = 1e-10;
/// A sample of an area light's grid that differs from its neighbour by more than
/// this (sum of channel differences) makes POV-Ray subdivide further.
const AREA_SUBDIVIDE_DISTANCE: f64 = 0.1;
/// POV-Ray's SMALL_TOLERANCE: how far behind a `projected_through` object the
/// shadow test starts.
const SMALL_TOLERANCE: f64 = 1e-3;

/// The cone or cylinder of a light, as POV-Ray stores it after parsing.
#[derive(Clone, Debug)]
enum Beam {
    Point,
    /// Cosines of the radius and falloff angles, and the tightness exponent.
    Spot {
        cos_radius: f64,
        cos_falloff: f64,
        tightness: f64,
    },
    /// Radii of the lit and fading cylinders, and the tightness exponent.
    Cylinder {
        radius: f64,
        falloff: f64,
        tightness: f64,
    },
}

#[derive(Debug)]
pub struct Light {
    pub position: DVec3,
    pub colour: DVec3,
    beam: Beam,
    point_at: DVec3,
    /// Unit vector from the light towards `point_at` (zero if they coincide).
    direction: DVec3,
    fade_distance: f64,
    fade_power: f64,
    /// POV-Ray's fill light: no shadows, no highlights.
    pub shadowless: bool,
    /// The `light_group` it lights (`None`: a global light).
    pub group: Option<u32>,
    parallel: bool,
    /// `media_attenuation`: fog dims the light on its way to a surface.
    pub media_attenuation: bool,
    /// `media_interaction`: media scatter this light.
    pub media_interaction: bool,
    /// `area_light`: the grid of points shadows are averaged over.
    pub area: Option<AreaGrid>,
    /// `projected_through`: the objects (a flattened union) light must pass.
    projected_through: Option<Vec<Object>>,
    /// `photons { }`: which photons this light shoots.
    pub photons: crate::desc::LightPhotons,
}

/// The ray from a surface point towards a light: unit direction and the distance
/// the shadow test covers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LightRay {
    pub dir: DVec3,
    pub depth: f64,
}

/// An area light's rectangle of `n1` x `n2` points centred on the position.
#[derive(Clone, Debug)]
pub struct AreaGrid {
    axis1: DVec3,
    axis2: DVec3,
    n1: u32,
    n2: u32,
    adaptive: u32,
    jitter: bool,
    circular: bool,
    orient: bool,
}

/// POV-Ray's smooth step between `low` and `high`.
fn cubic_spline(low: f64, high: f64, pos: f64) -> f64 {
    if pos < low {
        return 0.0;
    }
    if pos >= high {
        return 1.0;
    }
    let x = (pos - low) / (high - low);
    (3.0 - 2.0 * x) * x * x
}

fn beam(kind: &LightKind) -> Beam {
    match *kind {
        LightKind::Point => Beam::Point,
        LightKind::Spot {
            radius,
            falloff,
            tightness,
        } => Beam::Spot {
            cos_radius: radius.to_radians().cos(),
            cos_falloff: falloff.to_radians().cos(),
            tightness,
        },
        LightKind::Cylinder {
            radius,
            falloff,
            tightness,
        } => Beam::Cylinder {
            radius,
            falloff,
            tightness,
        },
    }
}

impl Light {
    pub fn from_desc(l: &desc::Light, gen: NoiseGenerator) -> Result<Light, BuildError> {
        let projected_through = match &l.projected_through {
            Some(o) => {
                let mut flat = Vec::new();
                for obj in build_objects(std::slice::from_ref(o.as_ref()), gen)? {
                    obj.flatten_into(&mut flat);
                }
                Some(flat)
            }
            None => None,
        };
        let to = l.point_at - l.position;
        let direction = if to.length() > EPSILON {
            to / to.length()
        } else {
            to
        };
        Ok(Light {
            position: l.position,
            colour: l.colour.rgb_vec(),
            beam: beam(&l.kind),
            point_at: l.point_at,
            direction,
            fade_distance: l.fade_distance.unwrap_or(0.0),
            fade_power: l.fade_power,
            shadowless: l.shadowless,
            group: l.group,
            parallel: l.parallel,
            media_attenuation: l.media_attenuation,
            media_interaction: l.media_interaction,
            area: l
                .area
                .as_ref()
                .filter(|a| a.size1 * a.size2 > 1)
                .map(|a| AreaGrid {
                    axis1: a.axis1,
                    axis2: a.axis2,
                    n1: a.size1.max(1),
                    n2: a.size2.max(1),
                    adaptive: a.adaptive,
                    jitter: a.jitter,
                    circular: a.circular,
                    orient: a.orient,
                }),
            projected_through,
            photons: l.photons.clone(),
        })
    }

    /// The ray from `p` towards the light's centre moved by `offset` (an area
    /// light's sample point), as POV-Ray's `ComputeOneWhiteLightRay` makes it.
    pub fn ray_from(&self, p: DVec3, offset: DVec3) -> LightRay {
        let centre = self.position + offset;
        let (mut dir, mut depth) = match self.beam {
            Beam::Cylinder { .. } => {
                // Parallel beams: the ray runs against the cylinder's axis, as far
                // as the point's projection onto it.
                let axis = centre - self.point_at;
                let len = axis.length();
                (axis.normalize_or_zero(), (centre - p).dot(axis) / len)
            }
            Beam::Point | Beam::Spot { .. } => {
                let d = centre - p;
                let len = d.length();
                (if len > 0.0 { d / len } else { DVec3::ZERO }, len)
            }
        };
        if self.parallel {
            if self.area.is_some() {
                let v = (centre - self.point_at).normalize_or_zero();
                depth *= v.dot(dir);
                dir = v;
            } else {
                depth *= -self.direction.dot(dir);
                dir = -self.direction;
            }
        }
        LightRay { dir, depth }
    }

    /// A spotlight's axis and the cosine of its falloff angle (the cone media are
    /// lit in); `None` for other lights.
    pub fn spot_cone(&self) -> Option<(DVec3, f64)> {
        match self.beam {
            Beam::Spot { cos_falloff, .. } => Some((self.direction, cos_falloff)),
            Beam::Point | Beam::Cylinder { .. } => None,
        }
    }

    /// How much of the light reaches `p` along `ray`: the spotlight's cone or the
    /// cylinder's radius, then distance fading (POV-Ray's `Attenuate_Light`).
    pub fn attenuation(&self, p: DVec3, ray: &LightRay) -> f64 {
        let a = self.beam_at(p, ray);
        if a > 0.0 && self.fade_power > 0.0 && self.fade_distance.abs() > EPSILON {
            return a * 2.0 / (1.0 + (ray.depth / self.fade_distance).powf(self.fade_power));
        }
        a
    }

    /// The share of the light leaving in unit direction `dir`: the beam alone,
    /// without distance fading (photons undo the fade where they land).
    /// `from` is where the photon leaves (off the centre for parallel lights).
    pub fn beam_towards(&self, from: DVec3, dir: DVec3) -> f64 {
        let ray = LightRay {
            dir: -dir,
            depth: 1.0,
        };
        self.beam_at(from + dir, &ray)
    }

    /// The unit vector from the light towards `point_at`.
    pub fn aim(&self) -> DVec3 {
        self.direction
    }

    /// The area light's axes and sizes, when its photons leave from every point
    /// of the grid (`photons { area_light }`).
    pub fn photon_grid(&self) -> Option<(DVec3, DVec3, u32, u32)> {
        let a = self.area.as_ref().filter(|_| self.photons.area_light)?;
        Some((a.axis1, a.axis2, a.n1, a.n2))
    }

    /// `fade_distance` and `fade_power` when the light fades.
    pub fn fade(&self) -> Option<(f64, f64)> {
        (self.fade_power > 0.0 && self.fade_distance.abs() > EPSILON)
            .then_some((self.fade_distance, self.fade_power))
    }

    /// `parallel`.
    pub fn is_parallel(&self) -> bool {
        self.parallel
    }

    /// The spotlight's cone or the cylinder's radius at `p` along `ray`.
    fn beam_at(&self, p: DVec3, ray: &LightRay) -> f64 {
        match self.beam {
            Beam::Point => 1.0,
            Beam::Spot {
                cos_radius,
                cos_falloff,
                tightness,
            } => {
                let mut c = ray.dir.dot(self.direction);
                if ray.depth > 0.0 {
                    c = -c;
                }
                if c <= 0.0 {
                    return 0.0;
                }
                let mut a = c.powf(tightness);
                if cos_radius > 0.0 && c < cos_radius {
                    a *= cubic_spline(cos_falloff, cos_radius, c);
                }
                a
            }
            Beam::Cylinder {
                radius,
                falloff,
                tightness,
            } => {
                let v = p - self.position;
                let k = v.dot(self.direction);
                if k <= 0.0 {
                    return 0.0;
                }
                let len = (v - self.direction * k).length();
                if len >= falloff {
                    return 0.0;
                }
                let dist = 1.0 - len / falloff;
                let mut a = dist.powf(tightness);
                if radius > 0.0 && len > radius {
                    a *= cubic_spline(0.0, 1.0 - radius / falloff, dist);
                }
                a
            }
        }
    }

    /// With `projected_through`: how far along `ray` from `p` shadows are tested
    /// (up to just before the object), or None when the ray misses the object and
    /// the light does not reach `p` at all. Without it, the whole ray.
    pub fn shadow_reach<'a>(
        &'a self,
        p: DVec3,
        ray: &LightRay,
        scratch: &mut Vec<Hit<'a>>,
        stats: &mut Stats,
    ) -> Option<f64> {
        let Some(objects) = &self.projected_through else {
            return Some(ray.depth);
        };
        let r = Ray::new(p, ray.dir);
        let rinv = RayInv::new(&r);
        let nearest = objects
            .iter()
            .filter_map(|o| o.nearest(&r, &rinv, f64::INFINITY, scratch, stats))
            .map(|h| h.t)
            .fold(f64::INFINITY, f64::min);
        (nearest < ray.depth).then_some(nearest - SMALL_TOLERANCE)
    }

    /// Whether the light has a `projected_through` object (tested even when the
    /// light is shadowless).
    pub fn projects_through(&self) -> bool {
        self.projected_through.is_some()
    }
}

/// A deterministic value in [-0.5, 0.5) for jittering sample `k` of an area light
/// seen from point `p` (also the shader's `crand` noise, with its own `k`).
pub(crate) fn jitter_hash(p: DVec3, k: u64) -> f64 {
    let mut h = p.x.to_bits().wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ p.y
            .to_bits()
            .rotate_left(21)
            .wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ p.z.to_bits().rotate_left(42)
        ^ k.wrapping_mul(0x1656_67B1_9E37_79F9);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^= h >> 33;
    (h >> 11) as f64 / (1u64 << 53) as f64 - 0.5
}

/// One area light's shadow computation at one point: the axes (oriented when
/// asked), the samples already tested, and the shadow test to call.
struct AreaShadow<'g, F> {
    grid: &'g AreaGrid,
    light: &'g Light,
    p: DVec3,
    axis1: DVec3,
    axis2: DVec3,
    /// The light colour each sample starts from (already attenuated).
    colour: DVec3,
    samples: Vec<Option<DVec3>>,
    test: F,
}

impl AreaGrid {
    /// The light from this area light reaching `p`: POV-Ray's adaptive sampling,
    /// which tests the grid's corners and subdivides a region while the level is
    /// below `adaptive` or its corners differ, averaging each region's four
    /// quarters. `colour` is the attenuated light colour; `test` gives the filter
    /// (1 = unshadowed) along a ray from `p`.
    pub fn shadow(
        &self,
        light: &Light,
        p: DVec3,
        centre: &LightRay,
        colour: DVec3,
        test: impl FnMut(&LightRay) -> DVec3,
    ) -> DVec3 {
        let (axis1, axis2) = self.axes(centre);
        let mut s = AreaShadow {
            grid: self,
            light,
            p,
            axis1,
            axis2,
            colour,
            samples: vec![None; (self.n1 * self.n2) as usize],
            test,
        };
        s.region(0, 0, self.n1 - 1, self.n2 - 1, 0)
    }

    /// The axes, turned to face the point for `orient` (kept square, both as long
    /// as axis1), as POV-Ray does.
    fn axes(&self, centre: &LightRay) -> (DVec3, DVec3) {
        if !self.orient {
            return (self.axis1, self.axis2);
        }
        let d = centre.dir;
        let up = if (d.z.abs() - 1.0).abs() < 0.01 {
            DVec3::Y
        } else {
            DVec3::Z
        };
        let len = self.axis1.length();
        let a1 = d.cross(up).normalize_or_zero();
        let a2 = d.cross(a1).normalize_or_zero();
        (a1 * len, a2 * len)
    }
}

impl<F: FnMut(&LightRay) -> DVec3> AreaShadow<'_, F> {
    /// The average light over grid region (u1, v1)-(u2, v2).
    fn region(&mut self, u1: u32, v1: u32, u2: u32, v2: u32, level: u32) -> DVec3 {
        let mut c = [
            self.sample(u1, v1),
            self.sample(u2, v1),
            self.sample(u1, v2),
            self.sample(u2, v2),
        ];
        if u2 - u1 > 1 || v2 - v1 > 1 {
            let distance = |a: DVec3, b: DVec3| (a - b).abs().element_sum();
            let differ = distance(c[0], c[1]) > AREA_SUBDIVIDE_DISTANCE
                || distance(c[1], c[3]) > AREA_SUBDIVIDE_DISTANCE
                || distance(c[3], c[2]) > AREA_SUBDIVIDE_DISTANCE
                || distance(c[2], c[0]) > AREA_SUBDIVIDE_DISTANCE;
            if level < self.grid.adaptive || differ {
                let (ul, uh) = ((u1 + u2) / 2, (u1 + u2).div_ceil(2));
                let (vl, vh) = ((v1 + v2) / 2, (v1 + v2).div_ceil(2));
                c = [
                    self.region(u1, v1, ul, vl, level + 1),
                    self.region(uh, v1, u2, vl, level + 1),
                    self.region(u1, vh, ul, v2, level + 1),
                    self.region(uh, vh, u2, v2, level + 1),
                ];
            }
        }
        (c[0] + c[1] + c[2] + c[3]) * 0.25
    }

    /// The light through grid point (u, v), tested once per point.
    fn sample(&mut self, u: u32, v: u32) -> DVec3 {
        let index = (u * self.grid.n2 + v) as usize;
        if let Some(c) = self.samples[index] {
            return c;
        }
        let offset = self.offset(u, v);
        let ray = self.light.ray_from(self.p, offset);
        let c = self.colour * (self.test)(&ray);
        self.samples[index] = Some(c);
        c
    }

    /// Where grid point (u, v) lies relative to the light's centre.
    fn offset(&self, u: u32, v: u32) -> DVec3 {
        let g = self.grid;
        let (mut ju, mut jv) = (f64::from(u), f64::from(v));
        if g.jitter {
            let k = u64::from(u * g.n2 + v) * 2;
            ju += jitter_hash(self.p, k);
            jv += jitter_hash(self.p, k + 1);
        }
        let (n1, n2) = (f64::from(g.n1), f64::from(g.n2));
        if g.circular {
            // Squares of the grid become circles: scale each point by its
            // max-norm over its length.
            let ju = ju / (n1 - 1.0) - 0.5 + 0.001;
            let jv = jv / (n2 - 1.0) - 0.5 + 0.001;
            let scale = ju.abs().max(jv.abs()) / ju.hypot(jv);
            return self.axis1 * (ju * scale) + self.axis2 * (jv * scale);
        }
        let along = |j: f64, n: f64, axis: DVec3| {
            if n > 1.0 {
                axis * (j / (n - 1.0) - 0.5)
            } else {
                DVec3::ZERO
            }
        };
        along(ju, n1, self.axis1) + along(jv, n2, self.axis2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::Colour;

    fn light(kind: LightKind) -> Light {
        let d = desc::Light {
            position: DVec3::new(0.0, 10.0, 0.0),
            colour: Colour::WHITE,
            kind,
            point_at: DVec3::ZERO,
            ..desc::Light::default()
        };
        Light::from_desc(&d, NoiseGenerator::default()).unwrap()
    }

    #[test]
    fn spotlight_cone() {
        let l = light(LightKind::Spot {
            radius: 10.0,
            falloff: 20.0,
            tightness: 0.0,
        });
        let at = |p: DVec3| l.attenuation(p, &l.ray_from(p, DVec3::ZERO));
        assert_eq!(at(DVec3::ZERO), 1.0);
        // 45 degrees off the axis is outside the falloff.
        assert_eq!(at(DVec3::new(10.0, 0.0, 0.0)), 0.0);
        let half = at(DVec3::new(10.0 * 15f64.to_radians().tan(), 0.0, 0.0));
        assert!(half > 0.0 && half < 1.0);
    }

    #[test]
    fn cylinder_light_is_parallel_and_bounded() {
        let l = light(LightKind::Cylinder {
            radius: 1.0,
            falloff: 2.0,
            tightness: 0.0,
        });
        let p = DVec3::new(0.5, 0.0, 0.0);
        let r = l.ray_from(p, DVec3::ZERO);
        assert!((r.dir - DVec3::Y).length() < 1e-12);
        assert!((r.depth - 10.0).abs() < 1e-12);
        assert_eq!(l.attenuation(p, &r), 1.0);
        let far = DVec3::new(3.0, 0.0, 0.0);
        assert_eq!(l.attenuation(far, &l.ray_from(far, DVec3::ZERO)), 0.0);
    }

    #[test]
    fn unshadowed_area_light_is_the_full_colour() {
        let d = desc::Light {
            position: DVec3::new(0.0, 10.0, 0.0),
            area: Some(desc::AreaLight {
                axis1: DVec3::X,
                axis2: DVec3::Z,
                size1: 5,
                size2: 3,
                adaptive: 0,
                jitter: true,
                circular: true,
                orient: true,
            }),
            ..desc::Light::default()
        };
        let l = Light::from_desc(&d, NoiseGenerator::default()).unwrap();
        let grid = l.area.as_ref().unwrap();
        let c = grid.shadow(
            &l,
            DVec3::ZERO,
            &l.ray_from(DVec3::ZERO, DVec3::ZERO),
            DVec3::ONE,
            |_| DVec3::ONE,
        );
        assert!((c - DVec3::ONE).length() < 1e-12);
    }

    #[test]
    fn full_grid_weights_follow_the_subdivision() {
        let d = desc::Light {
            area: Some(desc::AreaLight {
                axis1: DVec3::X,
                axis2: DVec3::Z,
                size1: 3,
                size2: 3,
                adaptive: desc::light::DEFAULT_ADAPTIVE,
                jitter: false,
                circular: false,
                orient: false,
            }),
            ..desc::Light::default()
        };
        let l = Light::from_desc(&d, NoiseGenerator::default()).unwrap();
        let p = DVec3::new(0.0, -1.0, 0.0);
        // Only the centre point is lit: it is a corner of all four quarters.
        let c =
            l.area
                .as_ref()
                .unwrap()
                .shadow(&l, p, &l.ray_from(p, DVec3::ZERO), DVec3::ONE, |r| {
                    if (r.dir - DVec3::Y).length() < 1e-9 {
                        DVec3::ONE
                    } else {
                        DVec3::ZERO
                    }
                });
        assert!((c.x - 0.25).abs() < 1e-12, "{c:?}");
    }
}
