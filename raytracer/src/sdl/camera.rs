//! `camera { ... }`: the block as written ([`CameraSpec`]) and the final camera
//! POV-Ray 3.7 derives from it ([`Parser::final_camera`]).
//!
//! POV-Ray 3.5+ applies a camera's items in a fixed order whatever order they were
//! written in: right, direction, angle, up, sky, location, look_at, focal_point, then
//! the transforms. So the block is only recorded here and folded once it is closed.

use glam::DVec3;

use super::error::Result;
use super::lexer::Tok;
use super::parser::Parser;
use super::value::Value;
use crate::desc::camera::{CylinderKind, FocalBlur};
use crate::desc::{Camera, Projection, Transform};

/// POV-Ray's EPSILON for the camera's degenerate-vector tests.
const EPSILON: f64 = 1e-10;
/// Default `confidence` and `variance` of the focal blur test.
const DEFAULT_CONFIDENCE: f64 = 0.9;
const DEFAULT_VARIANCE: f64 = 1.0 / 10000.0;

/// A camera as written, before `angle`, `look_at` and the transforms are folded in.
#[derive(Clone, Debug, PartialEq)]
pub struct CameraSpec {
    /// Projection and raw vectors (location, direction, up, right, sky).
    pub base: Camera,
    /// `look_at`, if given.
    pub look_at: Option<DVec3>,
    /// `angle` (the spherical camera's is in `base.spherical_angles`).
    pub angle: Option<f64>,
    /// Whether `up` / `right` were given (the orthographic camera resizes otherwise).
    pub had_up: bool,
    pub had_right: bool,
    /// `focal_point`, if given.
    pub focal_point: Option<DVec3>,
    /// `aperture`, `blur_samples` (min, max), `confidence`, `variance` as written.
    pub aperture: f64,
    pub blur_samples: (u32, u32),
    pub confidence: f64,
    pub variance: f64,
    /// Transforms applied to the camera.
    pub transform: Transform,
}

impl Default for CameraSpec {
    fn default() -> Self {
        Self {
            base: Camera::default(),
            look_at: None,
            angle: None,
            had_up: false,
            had_right: false,
            focal_point: None,
            aperture: 0.0,
            blur_samples: (0, 0),
            confidence: DEFAULT_CONFIDENCE,
            variance: DEFAULT_VARIANCE,
            transform: Transform::IDENTITY,
        }
    }
}

impl Parser<'_> {
    /// `camera { ... }` (keyword read): the camera as written.
    pub(crate) fn camera_block(&mut self) -> Result<CameraSpec> {
        self.expect("{")?;
        let mut spec = CameraSpec::default();
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Camera(c)) = self.lookup(&w).cloned() {
                self.next()?;
                spec = *c;
            }
        }
        loop {
            let t = self.need("a camera item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(spec);
                }
                return Err(self.expected("a camera item or '}'", Some(&t)));
            };
            let w = w.clone();
            if self.camera_projection(&w, &mut spec)? || self.camera_vector(&w, &mut spec)? {
                continue;
            }
            if self.camera_blur_item(&w, &mut spec)? {
                continue;
            }
            match self.transform_modifier(&w)? {
                Some(tr) => spec.transform = spec.transform.then(&tr),
                None => return Err(self.expected("a camera item or '}'", Some(&t))),
            }
        }
    }

    /// A projection keyword and, for `cylinder`, its type number.
    fn camera_projection(&mut self, w: &str, spec: &mut CameraSpec) -> Result<bool> {
        let c = &mut spec.base;
        c.projection = match w {
            "perspective" => Projection::Perspective,
            "orthographic" => Projection::Orthographic,
            "fisheye" => Projection::Fisheye,
            "ultra_wide_angle" => Projection::UltraWideAngle,
            "omnimax" => Projection::Omnimax,
            "panoramic" => Projection::Panoramic,
            "spherical" => Projection::Spherical,
            "cylinder" => {
                let n = self.float_expr()?;
                let kind = CylinderKind::from_number(n as i64).ok_or_else(|| {
                    self.err(format!(
                        "invalid cylinder camera type {n}: valid types are 1 to 4"
                    ))
                })?;
                Projection::Cylinder(kind)
            }
            "mesh_camera" => {
                c.mesh = Some(std::sync::Arc::new(self.mesh_camera_block()?));
                Projection::Mesh
            }
            _ => return Ok(false),
        };
        Ok(true)
    }

    /// The camera's vectors, `angle` and `normal`.
    fn camera_vector(&mut self, w: &str, spec: &mut CameraSpec) -> Result<bool> {
        match w {
            "location" => spec.base.location = self.vector_expr()?,
            "direction" => spec.base.direction = self.vector_expr()?,
            "up" => {
                spec.base.up = self.vector_expr()?;
                spec.had_up = true;
            }
            "right" => {
                spec.base.right = self.vector_expr()?;
                spec.had_right = true;
            }
            "sky" => spec.base.sky = self.vector_expr()?,
            "look_at" => spec.look_at = Some(self.vector_expr()?),
            "angle" => self.camera_angle(spec)?,
            "normal" => spec.base.normal = Some(self.normal_block()?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// `angle a` (`angle h [, v]` for the spherical camera).
    fn camera_angle(&mut self, spec: &mut CameraSpec) -> Result<()> {
        let a = self.float_expr()?;
        if a < 0.0 {
            return Err(self.err(format!("negative camera viewing angle {a}")));
        }
        if spec.base.projection == Projection::Spherical {
            self.comma()?;
            let v = match self.optional_float()? {
                Some(v) if v < 0.0 => {
                    return Err(self.err(format!("negative vertical camera angle {v}")))
                }
                Some(v) => v,
                None => a * 0.5,
            };
            spec.base.spherical_angles = (a, v);
        } else {
            spec.angle = Some(a);
        }
        Ok(())
    }

    /// The focal blur items.
    fn camera_blur_item(&mut self, w: &str, spec: &mut CameraSpec) -> Result<bool> {
        match w {
            "aperture" => spec.aperture = self.float_expr()?,
            "focal_point" => spec.focal_point = Some(self.vector_expr()?),
            "blur_samples" => {
                let first = self.float_expr()?;
                if first < 1.0 {
                    return Err(self.err("blur_samples must be at least 1"));
                }
                self.comma()?;
                spec.blur_samples = match self.optional_float()? {
                    Some(max) if max < first => {
                        return Err(
                            self.err("blur_samples minimum must not be larger than its maximum")
                        )
                    }
                    Some(max) => (first as u32, max.min(f64::from(u32::MAX)) as u32),
                    None => (0, first.min(f64::from(u32::MAX)) as u32),
                };
            }
            "confidence" => {
                let k = self.float_expr()?;
                if k > 0.0 && k < 1.0 {
                    spec.confidence = k;
                } else {
                    self.warn_here(format!("illegal confidence {k}; the default is used"));
                }
            }
            "variance" => {
                let k = self.float_expr()?;
                if (0.0..=1.0).contains(&k) {
                    spec.variance = k;
                } else {
                    self.warn_here(format!("illegal variance {k}; the default is used"));
                }
            }
            "bokeh" => self.skip_block(w)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A float if one follows (POV-Ray's `Allow_Float`), else nothing consumed.
    pub(crate) fn optional_float(&mut self) -> Result<Option<f64>> {
        let starts_value = match self.peek()? {
            Some(Tok::Number(_)) => true,
            Some(Tok::Punct(p)) => matches!(p, "(" | "-" | "+" | "!"),
            Some(Tok::Word(w)) => {
                matches!(w.as_str(), "on" | "off" | "true" | "false" | "yes" | "no")
                    || super::keywords::is_float_function(&w)
                    || matches!(self.lookup(&w), Some(Value::Num(n)) if n.is_float())
            }
            _ => false,
        };
        if starts_value {
            Ok(Some(self.float_expr()?))
        } else {
            Ok(None)
        }
    }

    fn warn_here(&mut self, message: String) {
        let here = self.here();
        self.warn(format!("{here}: {message}"));
    }

    /// Folds `angle`, `look_at`, `focal_point` and the transforms into the final
    /// camera, in POV-Ray 3.7's order.
    pub(crate) fn final_camera(&mut self, spec: &CameraSpec) -> Result<Camera> {
        let mut c = spec.base.clone();
        // POV-Ray's focal distance defaults to the direction's length as last
        // measured by `angle` or `look_at` (1 when neither ran).
        let mut direction_length = 1.0;
        if let Some(angle) = spec.angle {
            c.angle = angle;
            if matches!(
                c.projection,
                Projection::Perspective | Projection::Orthographic
            ) {
                if angle >= 180.0 {
                    return Err(self.err(format!(
                        "camera angle must be smaller than 180 degrees, not {angle}"
                    )));
                }
                if angle > 0.0 {
                    direction_length = 0.5 * c.right.length() / (angle / 2.0).to_radians().tan();
                    c.direction = c.direction.normalize_or_zero() * direction_length;
                }
            }
        }
        let look_at = match spec.look_at {
            Some(at) => {
                direction_length = c.direction.length();
                self.apply_look_at(&mut c, at)?;
                at
            }
            None => DVec3::Z,
        };
        if c.projection == Projection::Orthographic
            && ((!spec.had_up && !spec.had_right) || spec.angle.is_some())
        {
            // Resize the image rectangle to the area a perspective camera would
            // see at the look_at distance.
            let (k1, k2) = ((look_at - c.location).length(), c.direction.length());
            if k1 > EPSILON && k2 > EPSILON {
                c.right *= k1 / k2;
                c.up *= k1 / k2;
            }
        }
        c.focal_blur = focal_blur(spec, &c, direction_length);
        let t = &spec.transform;
        c.location = t.point(c.location);
        c.direction = t.direction(c.direction);
        c.up = t.direction(c.up);
        c.right = t.direction(c.right);
        c.sky = t.direction(c.sky);
        Ok(c)
    }

    /// `look_at`: direction towards the point, right from the sky vector, lengths and
    /// handedness kept. When the view is along the sky vector POV-Ray warns and keeps
    /// the given right vector.
    fn apply_look_at(&mut self, c: &mut Camera, at: DVec3) -> Result<()> {
        let (dl, ul, rl) = (c.direction.length(), c.up.length(), c.right.length());
        let handedness = c.up.cross(c.direction).dot(c.right);
        let dir = at - c.location;
        if dir.length_squared() < EPSILON {
            return Err(self.err("camera location and look_at point must be different"));
        }
        let dir = dir.normalize();
        let mut right = c.sky.cross(dir);
        if right.abs().max_element() < EPSILON {
            self.warn_here(
                "camera looks along its sky vector; the given right vector is used".into(),
            );
            right = c.right;
        }
        let right = right.normalize_or_zero();
        c.up = dir.cross(right) * ul;
        c.direction = dir * dl;
        c.right = right * if handedness > 0.0 { rl } else { -rl };
        Ok(())
    }
}

/// The focal blur the block asks for, if any (POV-Ray blurs only with a non-zero
/// aperture and at least one sample).
fn focal_blur(spec: &CameraSpec, c: &Camera, direction_length: f64) -> Option<FocalBlur> {
    let (min_samples, samples) = spec.blur_samples;
    if spec.aperture == 0.0 || samples == 0 {
        return None;
    }
    let mut focal_distance = match spec.focal_point {
        Some(p) => (p - c.location).length(),
        None => direction_length,
    };
    if focal_distance == 0.0 {
        focal_distance = 1.0;
    }
    Some(FocalBlur {
        aperture: spec.aperture,
        samples,
        min_samples,
        focal_distance,
        confidence: spec.confidence,
        variance: spec.variance,
    })
}
