//! `sky_sphere`, `fog` and `rainbow` blocks, as POV-Ray 3.7 reads them: an
//! optional identifier to start from, then items in any order, then the checks and
//! set-up POV-Ray does at the closing brace.

use glam::DVec3;

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use super::value::Value;
use crate::desc::{Colour, Fog, FogKind, Rainbow, SkySphere, Transform};
use crate::pattern::Turbulence;

/// A rainbow as written, before the set-up that turns it into a
/// [`crate::desc::Rainbow`]; declared rainbows keep this form so a copy can be
/// changed and set up again.
#[derive(Clone, Debug, PartialEq)]
pub struct RainbowSpec {
    angle: f64,
    width: f64,
    distance: f64,
    jitter: f64,
    direction: DVec3,
    up: DVec3,
    /// Degrees, as written; None when not given.
    arc_angle: Option<f64>,
    falloff_angle: Option<f64>,
    colour_map: Option<crate::desc::ColourMap>,
}

impl Default for RainbowSpec {
    fn default() -> Self {
        Self {
            angle: 0.0,
            width: 0.0,
            // POV-Ray's MAX_DISTANCE.
            distance: 1e7,
            jitter: 0.0,
            direction: DVec3::ZERO,
            up: DVec3::Y,
            arc_angle: None,
            falloff_angle: None,
            colour_map: None,
        }
    }
}

/// Fog types POV-Ray knows.
const CONSTANT_FOG: i64 = 1;
const GROUND_FOG: i64 = 2;

/// What POV-Ray leaves in a rainbow's arc and falloff angles when they are not
/// given: the number 180, compared with half angles in radians.
const UNSET_ARC_ANGLE: f64 = 180.0;

impl Parser<'_> {
    /// `sky_sphere { ... }` (keyword read).
    pub(crate) fn sky_sphere_block(&mut self) -> Result<SkySphere> {
        self.expect("{")?;
        let mut sky = SkySphere {
            pigments: Vec::new(),
            emission: Colour::WHITE,
            transform: Transform::IDENTITY,
        };
        if let Some(w) = self.peek_word()? {
            if let Some(Value::SkySphere(s)) = self.lookup(&w).cloned() {
                self.next()?;
                sky = *s;
            }
        }
        loop {
            let t = self.need("a sky_sphere item or '}'")?;
            let w = match &t.tok {
                Tok::Punct("}") => break,
                Tok::Word(w) => w.clone(),
                _ => return Err(self.expected("a sky_sphere item or '}'", Some(&t))),
            };
            match w.as_str() {
                "pigment" => sky.pigments.push(self.pigment_block()?),
                "emission" => sky.emission = self.colour()?,
                _ => match self.transform_modifier(&w)? {
                    Some(tr) => sky.transform = sky.transform.then(&tr),
                    None => return Err(self.expected("a sky_sphere item or '}'", Some(&t))),
                },
            }
        }
        if sky.pigments.is_empty() {
            return Err(self.err("empty sky_sphere: give it at least one pigment"));
        }
        Ok(sky)
    }

    /// `fog { ... }` (keyword read).
    pub(crate) fn fog_block(&mut self) -> Result<Fog> {
        self.expect("{")?;
        let mut fog = Fog::default();
        // Ground fog's offset and altitude are kept even while the type says
        // constant, as POV-Ray keeps them whatever order the items come in.
        let (mut kind, mut offset, mut alt) = (CONSTANT_FOG, 0.0, 0.0);
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Fog(f)) = self.lookup(&w).cloned() {
                self.next()?;
                fog = *f;
                if let FogKind::Ground { offset: o, alt: a } = fog.kind {
                    (kind, offset, alt) = (GROUND_FOG, o, a);
                }
            }
        }
        loop {
            if self.at_colour()? {
                fog.colour = self.colour()?;
                continue;
            }
            let t = self.need("a fog item or '}'")?;
            let w = match &t.tok {
                Tok::Punct("}") => break,
                Tok::Word(w) => w.clone(),
                _ => {
                    // A bare number is the distance (an old form POV-Ray warns about).
                    self.unget(t);
                    fog.distance = self.float_expr()?;
                    continue;
                }
            };
            match w.as_str() {
                "distance" => fog.distance = self.float_expr()?,
                "fog_type" => {
                    let n = self.float_expr()? as i64;
                    if n != CONSTANT_FOG && n != GROUND_FOG {
                        let here = self.here();
                        self.warn(format!("{here}: unknown fog_type {n}, using constant fog"));
                    }
                    kind = n;
                }
                "fog_alt" => alt = self.float_expr()?,
                "fog_offset" => offset = self.float_expr()?,
                "turb_depth" => fog.turb_depth = self.float_expr()?,
                "up" => fog.up = self.vector_expr()?,
                "turbulence" | "octaves" | "omega" | "lambda" => {
                    self.fog_turbulence(
                        &w,
                        fog.turbulence.get_or_insert_with(Turbulence::default),
                    )?;
                }
                "translate" => {
                    self.vector_expr()?;
                    let here = self.here();
                    self.warn(format!("{here}: a fog's up vector can't be translated"));
                }
                _ => match self.transform_modifier(&w)? {
                    Some(tr) => fog.up = tr.direction(fog.up),
                    None => return Err(self.expected("a fog item or '}'", Some(&t))),
                },
            }
        }
        fog.kind = if kind == GROUND_FOG {
            FogKind::Ground { offset, alt }
        } else {
            FogKind::Constant
        };
        fog.up = fog.up.try_normalize().unwrap_or(DVec3::Y);
        Ok(fog)
    }

    fn fog_turbulence(&mut self, w: &str, turb: &mut Turbulence) -> Result<()> {
        match w {
            "turbulence" => turb.amount = self.vector_expr()?,
            "octaves" => turb.octaves = self.float_expr()?.clamp(1.0, 10.0) as u32,
            "omega" => turb.omega = self.float_expr()?,
            _ => turb.lambda = self.float_expr()?,
        }
        Ok(())
    }

    /// `rainbow { ... }` (keyword read), as written.
    pub(crate) fn rainbow_block(&mut self) -> Result<RainbowSpec> {
        self.expect("{")?;
        let mut r = RainbowSpec::default();
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Rainbow(s)) = self.lookup(&w).cloned() {
                self.next()?;
                r = *s;
            }
        }
        loop {
            let t = self.need("a rainbow item or '}'")?;
            let w = match &t.tok {
                Tok::Punct("}") => return Ok(r),
                Tok::Word(w) => w.clone(),
                _ => return Err(self.expected("a rainbow item or '}'", Some(&t))),
            };
            match w.as_str() {
                "angle" => r.angle = self.float_expr()?,
                "width" => r.width = self.float_expr()?,
                "distance" => r.distance = self.float_expr()?,
                "jitter" => r.jitter = self.float_expr()?,
                "direction" => r.direction = self.vector_expr()?,
                "up" => r.up = self.vector_expr()?,
                "color_map" | "colour_map" => r.colour_map = Some(self.colour_map_block()?),
                "arc_angle" | "falloff_angle" => {
                    let a = self.float_expr()?;
                    if !(0.0..=360.0).contains(&a) {
                        return Err(self.err_at(
                            &t,
                            format!("rainbow {w} must be between 0 and 360 degrees, not {a}"),
                        ));
                    }
                    if w == "arc_angle" {
                        r.arc_angle = Some(a);
                    } else {
                        r.falloff_angle = Some(a);
                    }
                }
                _ => return Err(self.expected("a rainbow item or '}'", Some(&t))),
            }
        }
    }

    /// POV-Ray's set-up of a finished rainbow block: half angles in radians, the
    /// falloff region, up made perpendicular to the direction.
    pub(crate) fn finish_rainbow(&self, r: &RainbowSpec) -> Result<Rainbow> {
        let half = std::f64::consts::PI / 360.0;
        // POV-Ray's defaults are 180 taken as radians (the band is never cut off)
        // and a falloff angle defaults to the arc angle only when that was given.
        let arc = r.arc_angle.map_or(UNSET_ARC_ANGLE, |a| a * half);
        let falloff = match (r.falloff_angle, r.arc_angle) {
            (Some(f), _) => f * half,
            (None, Some(_)) => arc,
            (None, None) => UNSET_ARC_ANGLE,
        };
        if arc < falloff {
            return Err(self.err("rainbow arc_angle is smaller than its falloff_angle"));
        }
        let antisolar = r
            .direction
            .try_normalize()
            .ok_or_else(|| self.err("rainbow direction vector is zero"))?;
        let up =
            r.up.try_normalize()
                .ok_or_else(|| self.err("rainbow up vector is zero"))?;
        if (1.0 - up.dot(antisolar).abs()).abs() < 1e-10 {
            return Err(self.err("rainbow up and direction vectors are co-linear"));
        }
        let right = up.cross(antisolar);
        let up = antisolar.cross(right).normalize();
        Ok(Rainbow {
            angle: (r.angle - 0.5 * r.width).to_radians(),
            width: r.width.to_radians(),
            distance: r.distance,
            jitter: r.jitter,
            arc_angle: arc,
            falloff_angle: falloff,
            falloff_width: arc - falloff,
            antisolar,
            up,
            right: right.normalize(),
            colour_map: r.colour_map.clone(),
        })
    }
}

impl Parser<'_> {
    /// A top-level `sky_sphere`, `fog` or `rainbow` (keyword read): the last sky
    /// sphere wins, fogs and rainbows accumulate.
    pub(crate) fn atmospheric_item(&mut self, w: &str) -> Result<()> {
        match w {
            "sky_sphere" => {
                let sky = self.sky_sphere_block()?;
                if self.scene.atmosphere.sky_sphere.replace(sky).is_some() {
                    let here = self.here();
                    self.warn(format!(
                        "{here}: only one sky_sphere is used: the last one replaces the others"
                    ));
                }
            }
            "fog" => {
                let fog = self.fog_block()?;
                self.scene.atmosphere.fogs.push(fog);
            }
            _ => {
                let spec = self.rainbow_block()?;
                let rainbow = self.finish_rainbow(&spec)?;
                self.scene.atmosphere.rainbows.push(rainbow);
            }
        }
        Ok(())
    }

    /// `background { colour }` (keyword read). Rendering without an alpha channel,
    /// POV-Ray 3.7 composes the colour over black here: transmit darkens it, filter
    /// is dropped; older scenes simply lose both.
    pub(crate) fn background_block(&mut self) -> Result<()> {
        self.expect("{")?;
        let c = self.colour()?;
        self.expect("}")?;
        // Without `#version`, POV-Ray's effective version is 3.6.2.
        let legacy = !self.scene.version_set || self.scene.version < 3.7;
        let keep = if legacy { 1.0 } else { 1.0 - c.t };
        self.scene.background = Colour::rgb(c.r * keep, c.g * keep, c.b * keep);
        Ok(())
    }
}
