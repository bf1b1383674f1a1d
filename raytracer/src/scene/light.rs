//! Light sources as the shader uses them: colour, position, spotlight cone with the
//! cosines precomputed, distance fading.

use glam::DVec3;

use crate::desc::{self, LightKind};

#[derive(Clone, Debug)]
pub struct Spot {
    /// Unit vector from the light towards `point_at`.
    pub direction: DVec3,
    /// cos(radius): fully lit inside.
    pub cos_radius: f64,
    /// cos(falloff): dark outside.
    pub cos_falloff: f64,
    pub tightness: f64,
}

#[derive(Clone, Debug)]
pub struct Light {
    pub position: DVec3,
    pub colour: DVec3,
    pub spot: Option<Spot>,
    pub fade_distance: f64,
    pub fade_power: f64,
    pub shadowless: bool,
    /// `media_attenuation`: fog dims the light on its way to a surface.
    pub media_attenuation: bool,
    /// `media_interaction`: media scatter this light.
    pub media_interaction: bool,
    /// `area_light`: the grid of points shadows are averaged over.
    pub area: Option<AreaGrid>,
}

/// An area light's rectangle of `n1` x `n2` points centred on the position.
#[derive(Clone, Debug)]
pub struct AreaGrid {
    pub axis1: DVec3,
    pub axis2: DVec3,
    pub n1: u32,
    pub n2: u32,
}

impl AreaGrid {
    /// The grid's points, spread evenly over the rectangle (POV-Ray without jitter,
    /// so a pixel's shadow does not depend on where it is rendered).
    pub fn points(&self, centre: DVec3) -> impl Iterator<Item = DVec3> + '_ {
        let frac = |i: u32, n: u32| {
            if n > 1 {
                f64::from(i) / f64::from(n - 1) - 0.5
            } else {
                0.0
            }
        };
        (0..self.n2).flat_map(move |j| {
            (0..self.n1).map(move |i| {
                centre + self.axis1 * frac(i, self.n1) + self.axis2 * frac(j, self.n2)
            })
        })
    }
}

/// POV-Ray's smooth step between the falloff and radius cosines.
fn cubic_spline(low: f64, high: f64, pos: f64) -> f64 {
    if pos < low {
        return 0.0;
    }
    if pos >= high {
        return 1.0;
    }
    let x = (pos - low) / (high - low);
    x * x * (3.0 - 2.0 * x)
}

impl Light {
    pub fn from_desc(l: &desc::Light) -> Light {
        let spot = match &l.kind {
            LightKind::Spot {
                point_at,
                radius,
                falloff,
                tightness,
            }
            | LightKind::Cylinder {
                point_at,
                radius,
                falloff,
                tightness,
            } => {
                let falloff = falloff.max(*radius);
                Some(Spot {
                    direction: (*point_at - l.position).normalize_or_zero(),
                    cos_radius: radius.to_radians().cos(),
                    cos_falloff: falloff.to_radians().cos(),
                    tightness: *tightness,
                })
            }
            LightKind::Point => None,
        };
        Light {
            position: l.position,
            colour: l.colour.rgb_vec(),
            spot,
            fade_distance: l.fade_distance.unwrap_or(0.0),
            fade_power: l.fade_power,
            shadowless: l.shadowless,
            media_attenuation: l.media_attenuation,
            media_interaction: l.media_interaction,
            area: l
                .area
                .as_ref()
                .filter(|a| a.size1 * a.size2 > 1)
                .map(|a| AreaGrid {
                    axis1: a.axis1,
                    axis2: a.axis2,
                    n1: a.size1.clamp(1, 64),
                    n2: a.size2.clamp(1, 64),
                }),
        }
    }

    /// Attenuation of the light reaching a point at `distance` along the unit vector
    /// `to_point` (light to point): spotlight cone and distance fading.
    pub fn attenuation(&self, to_point: DVec3, distance: f64) -> f64 {
        let mut a = 1.0;
        if let Some(s) = &self.spot {
            let c = to_point.dot(s.direction);
            if c <= 0.0 {
                return 0.0;
            }
            if s.tightness != 0.0 {
                a = c.powf(s.tightness);
            }
            if c < s.cos_radius {
                a *= cubic_spline(s.cos_falloff, s.cos_radius, c);
            }
        }
        if self.fade_power > 0.0 && self.fade_distance > 0.0 {
            a *= 2.0 / (1.0 + (distance / self.fade_distance).powf(self.fade_power));
        }
        a
    }
}
