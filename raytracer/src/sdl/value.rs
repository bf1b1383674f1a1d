//! The values an identifier can hold, and numeric values with POV-Ray's promotion
//! rules (a float is promoted to a vector of any size by repeating it).

use crate::desc::{
    Colour, ColourMap, Finish, Interior, Light, MapEntry, Normal, Object, Pigment, Texture,
    Transform,
};
use glam::DVec3;
use std::rc::Rc;

/// A float (`n == 1`) or a vector of 2 to 5 components (colours use 5: rgbft).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Num {
    /// Components; those past `n` are zero.
    pub c: [f64; 5],
    /// How many components are meaningful.
    pub n: usize,
}

impl Num {
    /// A float.
    pub fn float(f: f64) -> Self {
        Self {
            c: [f, 0.0, 0.0, 0.0, 0.0],
            n: 1,
        }
    }

    /// A 3-vector.
    pub fn vec3(v: DVec3) -> Self {
        Self {
            c: [v.x, v.y, v.z, 0.0, 0.0],
            n: 3,
        }
    }

    /// A colour as a 5-vector.
    pub fn colour(c: Colour) -> Self {
        Self {
            c: c.to_array(),
            n: 5,
        }
    }

    /// True for a plain float.
    pub fn is_float(&self) -> bool {
        self.n == 1
    }

    /// This value widened to `n` components: a float fills every component, a
    /// shorter vector is padded with zeros.
    pub fn promote(&self, n: usize) -> Num {
        if self.n >= n {
            return *self;
        }
        let mut c = self.c;
        if self.n == 1 {
            c[..n].fill(self.c[0]);
        }
        Num { c, n }
    }

    /// The first three components as a vector (a float becomes `<f, f, f>`).
    pub fn to_vec3(self) -> DVec3 {
        let p = self.promote(3);
        DVec3::new(p.c[0], p.c[1], p.c[2])
    }

    /// As a colour: a float sets all five channels (as POV-Ray's `color 0.5`,
    /// filter and transmit included); a 3-vector is rgb, a 4-vector rgbf, a
    /// 5-vector rgbft.
    pub fn to_colour(self) -> Colour {
        if self.n == 1 {
            Colour::from_array([self.c[0]; 5])
        } else {
            Colour::from_array(self.c)
        }
    }

    /// Applies `f` component-wise after promoting both sides to the same size.
    pub fn zip(&self, other: &Num, f: impl Fn(f64, f64) -> f64) -> Num {
        let n = self.n.max(other.n);
        let (a, b) = (self.promote(n), other.promote(n));
        let mut c = [0.0; 5];
        for ((out, x), y) in c.iter_mut().zip(a.c).zip(b.c).take(n) {
            *out = f(x, y);
        }
        Num { c, n }
    }

    /// Applies `f` to every meaningful component.
    pub fn map(&self, f: impl Fn(f64) -> f64) -> Num {
        let mut c = self.c;
        for v in c.iter_mut().take(self.n) {
            *v = f(*v);
        }
        Num { c, n: self.n }
    }
}

/// A macro: parameter names and where its body starts.
#[derive(Clone, Debug, PartialEq)]
pub struct MacroDef {
    /// Its name (for messages).
    pub name: String,
    /// Parameter names in order.
    pub params: Vec<String>,
    /// Index of the file holding the body.
    pub file: usize,
    /// Index of the body's first token.
    pub pos: usize,
}

/// A parsed object plus any light sources inside it (lights in CSG move with it and
/// are hoisted into the scene's light list when the object is placed).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The geometry (None for `object { SomeLight }`).
    pub object: Option<Object>,
    /// Light sources carried along, world space.
    pub lights: Vec<Light>,
}

pub use super::camera::CameraSpec;

/// What an identifier can be bound to.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A float or vector.
    Num(Num),
    /// A colour.
    Colour(Colour),
    /// A string.
    Str(String),
    /// An object (or a light, or a CSG carrying lights).
    Item(Box<Item>),
    /// `pigment { }`.
    Pigment(Pigment),
    /// `normal { }`.
    Normal(Normal),
    /// `finish { }`.
    Finish(Finish),
    /// `texture { }` (possibly layered).
    Texture(Texture),
    /// `interior { }`.
    Interior(Interior),
    /// `material { }`: an optional texture and interior.
    Material(Option<Texture>, Option<Interior>),
    /// `color_map { }`.
    ColourMap(ColourMap),
    /// `pigment_map { }`.
    PigmentMap(Vec<MapEntry<Pigment>>),
    /// `texture_map { }`.
    TextureMap(Vec<MapEntry<Texture>>),
    /// `normal_map { }`.
    NormalMap(Vec<MapEntry<Normal>>),
    /// `slope_map { }`: heights and slopes.
    SlopeMap(Vec<MapEntry<(f64, f64)>>),
    /// `camera { }`.
    Camera(Box<CameraSpec>),
    /// `transform { }`.
    Transform(Transform),
    /// `#macro`.
    Macro(Rc<MacroDef>),
    /// `function { }`: a compiled user-defined function.
    Function(crate::function::FunctionRef),
    /// `sky_sphere { }`.
    SkySphere(Box<crate::desc::SkySphere>),
    /// `fog { }`.
    Fog(Box<crate::desc::Fog>),
    /// `media { }`.
    Media(Box<crate::desc::Media>),
    /// `rainbow { }`, as written (set up where it is placed).
    Rainbow(Box<super::atmosphere::RainbowSpec>),
    /// A declared block of a kind the description has no place for
    /// (`sky_sphere`, `fog`...): kept so the declaration parses.
    Ignored(String),
    /// `array[n]`: elements, unset ones None.
    Array(Vec<Option<Value>>),
    /// A file opened by `#fopen`: its handle (sdl/fileio.rs).
    File(f64),
    /// `spline { }` (sdl/spline.rs).
    Spline(Rc<crate::function::spline::Spline>),
}

impl Value {
    /// What kind of value this is, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Num(n) if n.is_float() => "float",
            Value::Num(_) => "vector",
            Value::Colour(_) => "colour",
            Value::Str(_) => "string",
            Value::Item(_) => "object",
            Value::Pigment(_) => "pigment",
            Value::Normal(_) => "normal",
            Value::Finish(_) => "finish",
            Value::Texture(_) => "texture",
            Value::Interior(_) => "interior",
            Value::Material(..) => "material",
            Value::ColourMap(_) => "color_map",
            Value::PigmentMap(_) => "pigment_map",
            Value::TextureMap(_) => "texture_map",
            Value::NormalMap(_) => "normal_map",
            Value::SlopeMap(_) => "slope_map",
            Value::Camera(_) => "camera",
            Value::Transform(_) => "transform",
            Value::Macro(_) => "macro",
            Value::Function(_) => "function",
            Value::SkySphere(_) => "sky_sphere",
            Value::Fog(_) => "fog",
            Value::Rainbow(_) => "rainbow",
            Value::Media(_) => "media",
            Value::Ignored(_) => "unsupported block",
            Value::Array(_) => "array",
            Value::File(_) => "file",
            Value::Spline(_) => "spline",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_promote_to_every_component() {
        let v = Num::vec3(DVec3::new(1.0, 2.0, 3.0));
        let r = v.zip(&Num::float(2.0), |a, b| a * b);
        assert_eq!(r.to_vec3(), DVec3::new(2.0, 4.0, 6.0));
        assert_eq!(Num::float(0.5).to_colour(), Colour::from_array([0.5; 5]));
    }
}
