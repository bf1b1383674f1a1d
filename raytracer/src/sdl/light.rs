//! `light_source { ... }`: position, colour, kind (point, spotlight, cylinder,
//! shadowless), area lights, fading, and the objects a light carries (`looks_like`,
//! `projected_through`).
//!
//! A light is returned as an [`Item`]: the light itself and, with `looks_like`, the
//! object that shows where it is (placed at the light, casting no shadow), so
//! transforms and CSG parents move both together.

use glam::DVec3;

use super::error::Result;
use super::lexer::Tok;
use super::objects::transform_item;
use super::parser::Parser;
use super::value::{Item, Value};
use crate::desc::light::DEFAULT_ADAPTIVE;
use crate::desc::{AreaLight, Light, LightKind, Transform};

/// Beyond this many points per axis an area light costs far more than it shows;
/// larger grids are rendered at this size, with a warning.
const MAX_AREA_SIZE: u32 = 64;

impl Parser<'_> {
    /// `light_source { ... }` (keyword read).
    pub(crate) fn light_block(&mut self) -> Result<Item> {
        self.expect("{")?;
        let mut item = match self.light_identifier()? {
            Some(item) => item,
            None => {
                let mut l = Light {
                    position: self.vector_expr()?,
                    ..Light::default()
                };
                self.comma()?;
                l.colour = self.colour()?;
                Item {
                    object: None,
                    lights: vec![l],
                }
            }
        };
        loop {
            let t = self.need("a light_source item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    self.check_circular(&item)?;
                    return Ok(item);
                }
                return Err(self.expected("a light_source item or '}'", Some(&t)));
            };
            let w = w.clone();
            if let Some(tr) = self.transform_modifier(&w)? {
                transform_item(&mut item, &tr);
                continue;
            }
            if w == "looks_like" {
                self.looks_like(&mut item)?;
                continue;
            }
            let Some(l) = item.lights.first_mut() else {
                return Err(self.expected("a light_source item or '}'", Some(&t)));
            };
            if !self.light_item(&w, l)? {
                return Err(self.expected("a light_source item or '}'", Some(&t)));
            }
        }
    }

    /// POV-Ray refuses a circular area light without two points per axis.
    fn check_circular(&self, item: &Item) -> Result<()> {
        let bad = item
            .lights
            .first()
            .and_then(|l| l.area.as_ref())
            .is_some_and(|a| a.circular && (a.size1 <= 1 || a.size2 <= 1));
        if bad {
            return Err(self.err("a circular area light needs more than 1 point per axis"));
        }
        Ok(())
    }

    /// `light_source { LightId ... }`: a copy of a declared light (with its
    /// `looks_like` object, if it has one).
    fn light_identifier(&mut self) -> Result<Option<Item>> {
        let Some(w) = self.peek_word()? else {
            return Ok(None);
        };
        match self.lookup(&w) {
            Some(Value::Item(i)) if i.lights.len() == 1 => {
                let item = (**i).clone();
                self.next()?;
                Ok(Some(item))
            }
            _ => Ok(None),
        }
    }

    /// `looks_like { object }`: the object, moved to the light, casting no shadow.
    fn looks_like(&mut self, item: &mut Item) -> Result<()> {
        if item.object.is_some() {
            return Err(self.err("only one looks_like is allowed per light_source"));
        }
        let position = item.lights.first().map_or(DVec3::ZERO, |l| l.position);
        let mut shown = self.object_block()?;
        transform_item(&mut shown, &Transform::translate(position));
        let mut o = shown
            .object
            .ok_or_else(|| self.err("looks_like needs an object"))?;
        o.no_shadow = true;
        item.object = Some(o);
        // Lights inside the looks_like object shine too, as in POV-Ray.
        item.lights.extend(shown.lights);
        Ok(())
    }

    fn light_item(&mut self, w: &str, l: &mut Light) -> Result<bool> {
        match w {
            "color" | "colour" | "rgb" | "rgbf" | "rgbt" | "rgbft" => {
                let t = self.need("a colour")?;
                self.unget(t);
                l.colour = self.colour()?;
            }
            "spotlight" => {
                l.kind = LightKind::Spot {
                    radius: 30.0,
                    falloff: 45.0,
                    tightness: 0.0,
                };
                l.shadowless = false;
            }
            "cylinder" => {
                l.kind = LightKind::Cylinder {
                    radius: 0.75,
                    falloff: 1.0,
                    tightness: 0.0,
                };
                l.shadowless = false;
                l.parallel = true;
            }
            "shadowless" => {
                // POV-Ray's fill light is a kind of its own: it replaces the cone.
                l.kind = LightKind::Point;
                l.shadowless = true;
            }
            "point_at" => l.point_at = self.vector_expr()?,
            "radius" | "falloff" | "tightness" => self.cone_item(w, l)?,
            "fade_distance" => l.fade_distance = Some(self.float_expr()?),
            "fade_power" => l.fade_power = self.float_expr()?,
            "parallel" => l.parallel = true,
            "media_interaction" => l.media_interaction = self.optional_bool()?,
            "media_attenuation" => l.media_attenuation = self.optional_bool()?,
            "area_light" => l.area = Some(self.area_light()?),
            "adaptive" | "jitter" | "circular" | "orient" => self.area_item(w, l)?,
            "area_illumination" => {
                self.optional_bool()?;
                let here = self.here();
                self.warn(format!(
                    "{here}: area_illumination is not supported and was ignored"
                ));
            }
            "projected_through" => {
                let through = self.object_block()?;
                l.projected_through = through.object.map(Box::new);
            }
            "photons" => self.light_photons(&mut l.photons)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `radius`, `falloff`, `tightness` of a spotlight or cylinder light.
    fn cone_item(&mut self, w: &str, l: &mut Light) -> Result<()> {
        let v = self.float_expr()?;
        match &mut l.kind {
            LightKind::Spot {
                radius,
                falloff,
                tightness,
            }
            | LightKind::Cylinder {
                radius,
                falloff,
                tightness,
            } => match w {
                "radius" => *radius = v,
                "falloff" => *falloff = v,
                _ => *tightness = v,
            },
            LightKind::Point => {
                let here = self.here();
                self.warn(format!(
                    "{here}: {w} only applies to spotlight and cylinder lights"
                ));
            }
        }
        Ok(())
    }

    /// `area_light axis1, axis2, size1, size2` (keyword read).
    fn area_light(&mut self) -> Result<AreaLight> {
        let axis1 = self.vector_expr()?;
        self.comma()?;
        let axis2 = self.vector_expr()?;
        self.comma()?;
        let size1 = self.area_size()?;
        self.comma()?;
        let size2 = self.area_size()?;
        Ok(AreaLight {
            axis1,
            axis2,
            size1,
            size2,
            adaptive: DEFAULT_ADAPTIVE,
            jitter: false,
            circular: false,
            orient: false,
        })
    }

    fn area_size(&mut self) -> Result<u32> {
        let n = self.float_expr()?.trunc();
        if n < 1.0 {
            return Err(self.err(format!("area_light size must be at least 1, not {n}")));
        }
        if n > f64::from(MAX_AREA_SIZE) {
            let here = self.here();
            self.warn(format!(
                "{here}: area_light size {n} is rendered as {MAX_AREA_SIZE} points"
            ));
            return Ok(MAX_AREA_SIZE);
        }
        Ok(n as u32)
    }

    /// `adaptive`, `jitter`, `circular`, `orient`.
    fn area_item(&mut self, w: &str, l: &mut Light) -> Result<()> {
        let level = if w == "adaptive" {
            self.float_expr()?
        } else {
            0.0
        };
        let Some(a) = l.area.as_mut() else {
            let here = self.here();
            self.warn(format!("{here}: {w} only affects area lights"));
            return Ok(());
        };
        match w {
            "adaptive" => a.adaptive = level.clamp(0.0, f64::from(DEFAULT_ADAPTIVE)) as u32,
            "jitter" => a.jitter = true,
            "circular" => a.circular = true,
            _ => a.orient = true,
        }
        Ok(())
    }
}

/// Moves a light: its position, aim, area axes and the object it projects through.
pub(crate) fn transform_light(l: &mut Light, t: &Transform) {
    l.position = t.point(l.position);
    l.point_at = t.point(l.point_at);
    if let Some(a) = l.area.as_mut() {
        a.axis1 = t.direction(a.axis1);
        a.axis2 = t.direction(a.axis2);
    }
    if let Some(o) = l.projected_through.as_mut() {
        super::objects::transform_object(o, t);
    }
}
