//! Scene-level statements: camera, light_source, global_settings, background, the
//! skipped atmospheric blocks, and the top-level loop that places objects.

use super::error::Result;
use super::lexer::Tok;
use super::objects::{is_object_keyword, transform_light};
use super::parser::Parser;
use super::value::{CameraSpec, Item, Value};
use crate::desc::{
    AreaLight, Camera, Light, LightKind, Object, Projection, Shape, Texture, Transform,
};
use crate::pattern::NoiseGenerator;
use glam::DVec3;

impl Parser<'_> {
    /// Parses statements until the end of the input.
    pub(crate) fn scene(&mut self) -> Result<()> {
        while let Some(t) = self.next()? {
            let w = match &t.tok {
                Tok::Word(w) => w.clone(),
                Tok::Punct(";") => continue,
                _ => {
                    return Err(
                        self.expected("an object, camera, light_source or directive", Some(&t))
                    )
                }
            };
            if is_object_keyword(&w) {
                let item = self.item(&w, &t)?;
                self.place(item);
                continue;
            }
            match w.as_str() {
                "camera" => {
                    let spec = self.camera_block()?;
                    self.scene.camera = self.final_camera(&spec)?;
                }
                "global_settings" => self.global_settings()?,
                "background" => self.background_block()?,
                "sky_sphere" | "fog" | "rainbow" => self.atmospheric_item(&w)?,
                "media" => {
                    let m = self.media_block()?;
                    self.scene.atmosphere.media.push(m);
                }
                "atmosphere" | "photons" | "radiosity" => self.skip_block(&w)?,
                _ => {
                    let what = match self.lookup(&w) {
                        Some(v) => format!(
                            "a {} identifier '{w}' (use object {{ {w} }} to place an object)",
                            v.kind()
                        ),
                        None => t.tok.describe(),
                    };
                    return Err(self.err_at(
                        &t,
                        format!("expected an object, camera, light_source or directive but found {what}"),
                    ));
                }
            }
        }
        // Scenes older than 3.5 get the original noise unless they chose one.
        if !self.noise_generator_set && self.scene.version < 3.5 {
            self.scene.global.noise_generator = 1;
        }
        if let Some(open) = self.conds.last() {
            let what = match open.cond {
                super::parser::Cond::Macro => "macro body",
                _ => "#if, #while, #for or #switch",
            };
            return Err(self.err(format!("end of input inside {what}: missing #end")));
        }
        Ok(())
    }

    /// Adds a finished top-level object: lights hoisted, textures inherited, the
    /// `#default` texture given to primitives still without one.
    fn place(&mut self, item: Item) {
        self.scene.lights.extend(item.lights);
        if let Some(mut o) = item.object {
            let default = Texture::Plain(self.default_layer.clone());
            inherit(&mut o, None, &default);
            self.scene.objects.push(o);
        }
    }

    /// `camera { ... }` (keyword read): the camera as written.
    pub(crate) fn camera_block(&mut self) -> Result<CameraSpec> {
        self.expect("{")?;
        let mut spec = CameraSpec {
            base: Camera::default(),
            look_at: None,
            transform: Transform::IDENTITY,
        };
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
            let c = &mut spec.base;
            match w.as_str() {
                "perspective" => c.projection = Projection::Perspective,
                "orthographic" => c.projection = Projection::Orthographic,
                "fisheye" | "ultra_wide_angle" | "omnimax" | "panoramic" | "spherical" => {
                    c.projection = Projection::Other
                }
                "location" => c.location = self.vector_expr()?,
                "direction" => c.direction = self.vector_expr()?,
                "up" => c.up = self.vector_expr()?,
                "right" => c.right = self.vector_expr()?,
                "sky" => c.sky = self.vector_expr()?,
                "look_at" => spec.look_at = Some(self.vector_expr()?),
                "angle" => {
                    let a = self.float_expr()?;
                    if !(0.0..180.0).contains(&a) || a == 0.0 {
                        return Err(self.err_at(
                            &t,
                            format!("camera angle must be between 0 and 180 degrees, not {a}"),
                        ));
                    }
                    c.angle = Some(a);
                }
                "aperture" | "blur_samples" | "variance" | "confidence" | "focal_point" => {
                    self.expr()?;
                }
                "normal" => {
                    self.normal_block()?;
                }
                _ => match self.transform_modifier(&w)? {
                    Some(tr) => spec.transform = spec.transform.then(&tr),
                    None => return Err(self.expected("a camera item or '}'", Some(&t))),
                },
            }
        }
    }

    /// Folds `angle`, `look_at` and the transforms into the final camera vectors,
    /// as POV-Ray 3.7 does after reading the block (order-independent).
    pub(crate) fn final_camera(&self, spec: &CameraSpec) -> Result<Camera> {
        let mut c = spec.base.clone();
        if let Some(angle) = c.angle {
            let half = (angle / 2.0).to_radians();
            let len = 0.5 * c.right.length() / half.tan();
            c.direction = c.direction.try_normalize().unwrap_or(DVec3::Z) * len;
        }
        if let Some(at) = spec.look_at {
            let (dl, ul, rl) = (c.direction.length(), c.up.length(), c.right.length());
            let handedness = c.up.cross(c.direction).dot(c.right);
            let dir = (at - c.location)
                .try_normalize()
                .ok_or_else(|| self.err("camera look_at is the same point as its location"))?;
            let right =
                c.sky.cross(dir).try_normalize().ok_or_else(|| {
                    self.err("camera looks along its sky vector: set sky or look_at")
                })?;
            let up = dir.cross(right);
            c.direction = dir * dl;
            c.right = right * if handedness > 0.0 { rl } else { -rl };
            c.up = up * ul;
        }
        let t = &spec.transform;
        c.location = t.point(c.location);
        c.direction = t.direction(c.direction);
        c.up = t.direction(c.up);
        c.right = t.direction(c.right);
        c.sky = t.direction(c.sky);
        Ok(c)
    }

    /// `light_source { ... }` (keyword read).
    pub(crate) fn light_block(&mut self) -> Result<Light> {
        self.expect("{")?;
        let mut l = Light::default();
        let mut have_id = false;
        if let Some(w) = self.peek_word()? {
            if let Some(Value::Item(i)) = self.lookup(&w).cloned() {
                if let (None, [light]) = (&i.object, i.lights.as_slice()) {
                    self.next()?;
                    l = light.clone();
                    have_id = true;
                }
            }
        }
        if !have_id {
            l.position = self.vector_expr()?;
            self.comma()?;
            l.colour = self.colour()?;
        }
        loop {
            let t = self.need("a light_source item or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(l);
                }
                return Err(self.expected("a light_source item or '}'", Some(&t)));
            };
            let w = w.clone();
            if let Some(tr) = self.transform_modifier(&w)? {
                transform_light(&mut l, &tr);
            } else if !self.light_item(&w, &mut l)? {
                return Err(self.expected("a light_source item or '}'", Some(&t)));
            }
        }
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
                    point_at: DVec3::Z,
                    radius: 30.0,
                    falloff: 45.0,
                    tightness: 0.0,
                }
            }
            "cylinder" => {
                l.kind = LightKind::Cylinder {
                    point_at: DVec3::Z,
                    radius: 0.75,
                    falloff: 1.0,
                    tightness: 0.0,
                }
            }
            "point_at" | "radius" | "falloff" | "tightness" => {
                let v = self.expr()?;
                if let LightKind::Spot {
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
                } = &mut l.kind
                {
                    match w {
                        "point_at" => *point_at = v.to_vec3(),
                        "radius" => *radius = v.c[0],
                        "falloff" => *falloff = v.c[0],
                        _ => *tightness = v.c[0],
                    }
                }
            }
            "fade_distance" => l.fade_distance = Some(self.float_expr()?),
            "fade_power" => l.fade_power = self.float_expr()?,
            "shadowless" => l.shadowless = true,
            "parallel" => l.parallel = true,
            "media_interaction" => l.media_interaction = self.optional_bool()?,
            "media_attenuation" => l.media_attenuation = self.optional_bool()?,
            "area_light" => {
                let axis1 = self.vector_expr()?;
                self.comma()?;
                let axis2 = self.vector_expr()?;
                self.comma()?;
                let size1 = self.float_expr()?;
                self.comma()?;
                let size2 = self.float_expr()?;
                l.area = Some(AreaLight {
                    axis1,
                    axis2,
                    size1: size1.clamp(1.0, 1e4) as u32,
                    size2: size2.clamp(1.0, 1e4) as u32,
                    adaptive: 0,
                    jitter: false,
                    circular: false,
                    orient: false,
                });
            }
            "adaptive" | "jitter" | "circular" | "orient" => {
                let v = if w == "adaptive" {
                    self.float_expr()?
                } else {
                    1.0
                };
                if let Some(a) = l.area.as_mut() {
                    match w {
                        "adaptive" => a.adaptive = v.clamp(0.0, 16.0) as u32,
                        "jitter" => a.jitter = true,
                        "circular" => a.circular = true,
                        _ => a.orient = true,
                    }
                }
            }
            "looks_like" | "projected_through" => {
                self.expect("{")?;
                let t = self.need("an object")?;
                if let Tok::Word(w) = &t.tok {
                    let w = w.clone();
                    if is_object_keyword(&w) {
                        self.item(&w, &t)?;
                    } else {
                        self.lookup(&w)
                            .ok_or_else(|| self.expected("an object", Some(&t)))?;
                    }
                }
                self.expect("}")?;
                let here = self.here();
                self.warn(format!("{here}: {w} is not supported and was ignored"));
            }
            "photons" => self.skip_block(w)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn global_settings(&mut self) -> Result<()> {
        self.expect("{")?;
        loop {
            let t = self.need("a global setting or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(());
                }
                return Err(self.expected("a global setting or '}'", Some(&t)));
            };
            let g = &mut self.scene.global;
            match w.as_str() {
                "assumed_gamma" => {
                    let v = self.float_expr()?;
                    self.scene.global.assumed_gamma = Some(v);
                }
                "max_trace_level" => {
                    let v = self.float_expr()?;
                    self.scene.global.max_trace_level = v.clamp(1.0, 256.0) as u32;
                }
                "adc_bailout" => {
                    let v = self.float_expr()?;
                    self.scene.global.adc_bailout = v;
                }
                "ambient_light" => {
                    let c = self.rgb_colour()?;
                    self.scene.global.ambient_light = c;
                }
                "irid_wavelength" => {
                    let c = self.colour()?;
                    self.scene.global.irid_wavelength = c;
                }
                "noise_generator" => {
                    let n = self.float_expr()?;
                    if NoiseGenerator::from_number(n as i64).is_none() {
                        return Err(
                            self.err_at(&t, format!("noise_generator must be 1, 2 or 3, not {n}"))
                        );
                    }
                    self.scene.global.noise_generator = n as u8;
                    self.noise_generator_set = true;
                }
                "number_of_waves" => {
                    let n = self.float_expr()?;
                    self.scene.global.number_of_waves = n.clamp(1.0, 1e4) as u32;
                }
                "max_intersections" => {
                    let n = self.float_expr()?;
                    self.scene.global.max_intersections = n.clamp(1.0, 1e6) as u32;
                }
                "hf_gray_16" => {
                    let _ = g;
                    self.optional_bool()?;
                }
                "charset" => {
                    self.need("a charset name")?;
                }
                "mm_per_unit" => {
                    self.float_expr()?;
                }
                "radiosity" | "photons" | "subsurface" => {
                    let w = w.clone();
                    self.skip_block(&w)?;
                }
                _ => return Err(self.expected("a global setting or '}'", Some(&t))),
            }
        }
    }
}

/// What a CSG parent passes down to its children at the end of parsing.
struct Inherited<'a> {
    texture: Option<&'a Texture>,
    interior: Option<&'a crate::desc::Interior>,
    hollow: Option<bool>,
    no_shadow: bool,
    no_image: bool,
    no_reflection: bool,
}

/// POV-Ray's post-processing of a finished object: CSG children without a texture,
/// interior or `hollow` take their parent's, the parent's `no_shadow`, `no_image`
/// and `no_reflection` apply to every child, and primitives still without a
/// texture get the default one.
fn inherit(o: &mut Object, from: Option<&Inherited>, default: &Texture) {
    if let Some(p) = from {
        if o.texture.is_none() {
            o.texture = p.texture.cloned();
        }
        if o.interior.is_none() {
            o.interior = p.interior.cloned();
        }
        o.hollow = o.hollow.or(p.hollow);
        o.no_shadow |= p.no_shadow;
        o.no_image |= p.no_image;
        o.no_reflection |= p.no_reflection;
    }
    if let Shape::Csg { children, .. } = &mut o.shape {
        let texture = o.texture.take();
        let pass = Inherited {
            texture: texture.as_ref(),
            interior: o.interior.as_ref(),
            hollow: o.hollow,
            no_shadow: o.no_shadow,
            no_image: o.no_image,
            no_reflection: o.no_reflection,
        };
        for c in children.iter_mut() {
            inherit(c, Some(&pass), default);
        }
    } else if o.texture.is_none() {
        o.texture = Some(default.clone());
    }
}
