//! Expressions: floats, vectors, colours and strings, with POV-Ray's precedence
//! (`?:` < `|` < `&` < comparisons < `+ -` < `* /` < unary) and promotion rules.
//! Also [`Parser::rvalue`], the right-hand side of `#declare` and macro arguments.

use super::error::Result;
use super::lexer::{Tok, Word};
use super::parser::{PTok, Parser};
use super::textures::MapWeights;
use super::value::{Num, Value};
use crate::desc::Colour;
use glam::DVec3;

fn is_rel_op(p: &str) -> bool {
    matches!(p, "<" | ">" | "<=" | ">=" | "=" | "!=")
}

impl Parser<'_> {
    /// A float parameter (POV-Ray's `Parse_Float`): sums and products only, so
    /// comparisons and `?:` need parentheses there, as in POV-Ray.
    pub(crate) fn float_expr(&mut self) -> Result<f64> {
        let n = self.param_expr()?;
        self.only_float(n)
    }

    /// A float in an argument list, a condition or brackets, where the full
    /// expression syntax (comparisons, `&`, `|`, `?:`) applies.
    pub(crate) fn full_float(&mut self) -> Result<f64> {
        let n = self.expr()?;
        self.only_float(n)
    }

    fn only_float(&self, n: Num) -> Result<f64> {
        if n.is_float() {
            Ok(n.c[0])
        } else {
            Err(self.err("expected a float but found a vector or colour expression"))
        }
    }

    /// A vector parameter (a float is promoted to `<f, f, f>`). Like POV-Ray's
    /// `Parse_Vector` it stops before a comparison, so `box { <0,0,0> <1,1,1> }`
    /// reads two corners rather than comparing them.
    pub(crate) fn vector_expr(&mut self) -> Result<DVec3> {
        Ok(self.param_expr()?.to_vec3())
    }

    /// A numeric parameter: POV-Ray's `Parse_Rel_Factor` level (`+ - * /`, unary).
    pub(crate) fn param_expr(&mut self) -> Result<Num> {
        self.nested(|p| p.add_expr())
    }

    /// A numeric expression of any size.
    pub(crate) fn expr(&mut self) -> Result<Num> {
        self.nested(|p| p.ternary(false))
    }

    /// One expression inside `< >` (vector literal, poly or matrix values).
    pub(crate) fn vector_component(&mut self) -> Result<Num> {
        self.nested(|p| p.ternary(true))
    }

    /// In a vector literal `<...>`, a bare `>` closes the vector, so comparisons
    /// there need parentheses (as in POV-Ray).
    fn ternary(&mut self, in_vec: bool) -> Result<Num> {
        let c = self.or_expr(in_vec)?;
        if self.accept_raw("?")? {
            let a = self.ternary(in_vec)?;
            self.expect(":")?;
            let b = self.ternary(in_vec)?;
            return Ok(if c.c[0] != 0.0 { a } else { b });
        }
        Ok(c)
    }

    fn or_expr(&mut self, in_vec: bool) -> Result<Num> {
        let mut a = self.and_expr(in_vec)?;
        while self.accept_raw("|")? {
            let b = self.and_expr(in_vec)?;
            a = Num::float(f64::from(u8::from(a.c[0] != 0.0 || b.c[0] != 0.0)));
        }
        Ok(a)
    }

    fn and_expr(&mut self, in_vec: bool) -> Result<Num> {
        let mut a = self.rel_expr(in_vec)?;
        while self.accept_raw("&")? {
            let b = self.rel_expr(in_vec)?;
            a = Num::float(f64::from(u8::from(a.c[0] != 0.0 && b.c[0] != 0.0)));
        }
        Ok(a)
    }

    fn rel_expr(&mut self, in_vec: bool) -> Result<Num> {
        if self.at_string()? {
            return self.string_comparison();
        }
        let mut a = self.add_expr()?;
        loop {
            let op = match self.peek_raw_punct()? {
                // POV-Ray compares only inside parentheses; at the top level a `<`
                // after a vector starts the next vector (`box { <0,0,0> <1,1,1> }`).
                Some(p) if p == "<" && !in_vec && !a.is_float() => return Ok(a),
                Some(p) if is_rel_op(p) && !(in_vec && (p == ">")) => p,
                _ => return Ok(a),
            };
            self.next()?;
            let b = self.add_expr()?;
            let (x, y) = (a.c[0], b.c[0]);
            let r = match op {
                "<" => x < y,
                ">" => x > y,
                "<=" => x <= y,
                ">=" => x >= y,
                "=" => (x - y).abs() < 1e-10 * x.abs().max(y.abs()).max(1.0),
                _ => (x - y).abs() >= 1e-10 * x.abs().max(y.abs()).max(1.0),
            };
            a = Num::float(f64::from(u8::from(r)));
        }
    }

    /// `"a" < "b"`, `S != ""`...: POV-Ray 3.7 compares strings by character
    /// code (`strcmp`), giving 1 or 0; a string term must be compared.
    fn string_comparison(&mut self) -> Result<Num> {
        let lhs = self.string_expr()?;
        let op = match self.peek_raw()? {
            Some(Tok::Punct(p)) if is_rel_op(p) => p,
            _ => {
                let t = self.next()?;
                return Err(self.expected("a string comparison operator", t.as_ref()));
            }
        };
        self.next()?;
        let rhs = self.string_expr()?;
        let order = lhs.chars().cmp(rhs.chars());
        let r = match op {
            "<" => order.is_lt(),
            ">" => order.is_gt(),
            "<=" => order.is_le(),
            ">=" => order.is_ge(),
            "=" => order.is_eq(),
            _ => order.is_ne(),
        };
        Ok(Num::float(f64::from(u8::from(r))))
    }

    fn add_expr(&mut self) -> Result<Num> {
        let mut a = self.mul_expr()?;
        loop {
            let op = match self.peek_raw_punct()? {
                Some(p) if p == "+" || p == "-" => p,
                _ => return Ok(a),
            };
            self.next()?;
            let b = self.mul_expr()?;
            a = if op == "+" {
                a.zip(&b, |x, y| x + y)
            } else {
                a.zip(&b, |x, y| x - y)
            };
        }
    }

    fn mul_expr(&mut self) -> Result<Num> {
        let mut a = self.unary()?;
        loop {
            let op = match self.peek_raw_punct()? {
                Some(p) if p == "*" || p == "/" => p,
                _ => return Ok(a),
            };
            self.next()?;
            let b = self.unary()?;
            if op == "*" {
                a = a.zip(&b, |x, y| x * y);
            } else {
                let n = a.n.max(b.n);
                if b.promote(n).c[..n].contains(&0.0) {
                    return Err(self.err("division by zero"));
                }
                a = a.zip(&b, |x, y| x / y);
            }
        }
    }

    fn unary(&mut self) -> Result<Num> {
        self.enter()?;
        let r = if self.accept("-")? {
            self.unary().map(|n| n.map(|v| -v))
        } else if self.accept("+")? {
            self.unary()
        } else if self.accept("!")? {
            self.unary()
                .map(|n| Num::float(f64::from(u8::from(n.c[0] == 0.0))))
        } else {
            self.postfix()
        };
        self.leave();
        r
    }

    fn postfix(&mut self) -> Result<Num> {
        let mut v = self.primary()?;
        while self.accept_raw(".")? {
            let t = self.need("a component name after '.'")?;
            let i = match &t.tok {
                Tok::Word(w) => match w.as_str() {
                    "x" | "u" | "red" => 0,
                    "y" | "v" | "green" => 1,
                    "z" | "blue" => 2,
                    "t" | "filter" => 3,
                    "transmit" => 4,
                    "gray" | "grey" => {
                        let c = v.promote(3);
                        v = Num::float(0.297 * c.c[0] + 0.589 * c.c[1] + 0.114 * c.c[2]);
                        continue;
                    }
                    _ => {
                        return Err(self.expected(
                            "x, y, z, t, u, v, red, green, blue, filter, transmit or gray",
                            Some(&t),
                        ))
                    }
                },
                _ => return Err(self.expected("a component name after '.'", Some(&t))),
            };
            if i >= v.n {
                return Err(self.err_at(
                    &t,
                    format!(
                        "component .{} of a {}-component value",
                        t.tok.describe(),
                        v.n
                    ),
                ));
            }
            v = Num::float(v.c[i]);
        }
        Ok(v)
    }

    fn primary(&mut self) -> Result<Num> {
        let t = self.need("a float or vector expression")?;
        match &t.tok {
            Tok::Number(n) => Ok(Num::float(*n)),
            Tok::Punct("(") => {
                let v = self.ternary(false)?;
                self.expect(")")?;
                Ok(v)
            }
            Tok::Punct("<") => self.vector_literal(),
            Tok::Word(w) => {
                let w = w.clone();
                self.word_value(&w, &t)
            }
            _ => Err(self.expected("a float or vector expression", Some(&t))),
        }
    }

    fn vector_literal(&mut self) -> Result<Num> {
        let mut c = [0.0; 5];
        let mut n = 0;
        loop {
            if n == 5 {
                return Err(self.err("a vector has at most 5 components"));
            }
            // A plain number (most vectors of a mesh2 are only these) is taken
            // without the expression grammar, with the same result.
            if let Some((x, closes, len)) = self.simple_component()? {
                self.skip_looked_at(len)?;
                c[n] = x;
                n += 1;
                if closes {
                    break;
                }
                continue;
            }
            let v = self.ternary(true)?;
            if !v.is_float() {
                return Err(self.err("expected a float as vector component but found a vector"));
            }
            c[n] = v.c[0];
            n += 1;
            let t = self.need("',' or '>'")?;
            match t.tok {
                // POV-Ray accepts a trailing comma: `rgb <0.2,0.1,0.5,>`.
                Tok::Punct(",") if self.accept_raw(">")? => break,
                Tok::Punct(",") => {}
                Tok::Punct(">") => break,
                // POV-Ray's commas are optional here too (`< -1 0 0 >` in woods.inc).
                Tok::Number(_) | Tok::Word(_) | Tok::Punct("(") | Tok::Punct("-") => self.unget(t),
                _ => return Err(self.expected("',' or '>'", Some(&t))),
            }
        }
        if n < 2 {
            return Err(self.err("a vector needs at least 2 components"));
        }
        Ok(Num { c, n })
    }

    fn word_value(&mut self, w: &str, t: &PTok) -> Result<Num> {
        if let Some(n) = self.constant(w) {
            return Ok(n);
        }
        if matches!(
            w,
            "rgb"
                | "rgbf"
                | "rgbt"
                | "rgbft"
                | "srgb"
                | "srgbf"
                | "srgbt"
                | "srgbft"
                | "color"
                | "colour"
                | "red"
                | "green"
                | "blue"
                | "filter"
                | "transmit"
        ) {
            self.unget(t.clone());
            return Ok(Num::colour(self.colour()?));
        }
        if let Some(n) = self.builtin(w, t)? {
            return Ok(n);
        }
        match self.lookup(w).cloned() {
            Some(Value::Num(n)) => Ok(n),
            Some(Value::Colour(c)) => Ok(Num::colour(c)),
            Some(Value::Function(f)) => self.call_function(&f, t),
            Some(Value::Spline(s)) => self.spline_call(&s),
            Some(Value::Array(items)) => match self.array_element(w, &items)? {
                Value::Num(n) => Ok(n),
                Value::Colour(c) => Ok(Num::colour(c)),
                Value::Function(f) => self.call_function(&f, t),
                other => Err(self.err_at(
                    t,
                    format!(
                        "expected a float or vector but '{w}[]' holds a {}",
                        other.kind()
                    ),
                )),
            },
            Some(other) => Err(self.err_at(
                t,
                format!(
                    "expected a float or vector but found {} identifier '{w}'",
                    other.kind()
                ),
            )),
            None => Err(self.err_at(
                t,
                format!("expected a float or vector but found undeclared identifier '{w}'"),
            )),
        }
    }

    /// `Name[i]` after the name was read.
    pub(crate) fn array_element(&mut self, w: &str, items: &[Option<Value>]) -> Result<Value> {
        self.expect("[")?;
        let i = self.full_float()?;
        self.expect("]")?;
        let item = if i >= 0.0 {
            items.get(i as usize)
        } else {
            None
        };
        match item {
            Some(Some(v)) => Ok(v.clone()),
            Some(None) => Err(self.err(format!("element {i} of array '{w}' was never set"))),
            None => Err(self.err(format!(
                "index {i} out of range for array '{w}' (size {})",
                items.len()
            ))),
        }
    }

    pub(crate) fn constant(&self, w: &str) -> Option<Num> {
        let f = |v: f64| Some(Num::float(v));
        let o = &self.opts;
        match w {
            "pi" => f(std::f64::consts::PI),
            "tau" => f(std::f64::consts::TAU),
            "x" => Some(Num::vec3(DVec3::X)),
            "y" => Some(Num::vec3(DVec3::Y)),
            "z" => Some(Num::vec3(DVec3::Z)),
            "t" => Some(Num {
                c: [0.0, 0.0, 0.0, 1.0, 0.0],
                n: 4,
            }),
            "u" => Some(Num {
                c: [1.0, 0.0, 0.0, 0.0, 0.0],
                n: 2,
            }),
            "v" => Some(Num {
                c: [0.0, 1.0, 0.0, 0.0, 0.0],
                n: 2,
            }),
            "true" | "yes" | "on" => f(1.0),
            "false" | "no" | "off" => f(0.0),
            "clock" => f(o.clock),
            "clock_delta" => f(o.frame.clock_delta),
            "clock_on" => f(f64::from(u8::from(o.frame.clock_on))),
            "now" => f(o.now),
            "initial_clock" => f(o.frame.initial_clock),
            "final_clock" => f(o.frame.final_clock),
            "frame_number" => f(o.frame.frame_number as f64),
            "initial_frame" => f(o.frame.initial_frame as f64),
            "final_frame" => f(o.frame.final_frame as f64),
            "image_width" => f(f64::from(o.image_width)),
            "image_height" => f(f64::from(o.image_height)),
            "version" => f(self.scene.version),
            _ => None,
        }
    }

    /// A string expression. Nothing after it is read, so `#include "a"` never runs
    /// the following directive early.
    pub(crate) fn string_expr(&mut self) -> Result<String> {
        let t = self.need("a string")?;
        match &t.tok {
            Tok::Str(s) => Ok(s.clone()),
            Tok::Word(w) => {
                let w = w.clone();
                if let Some(s) = self.string_function(&w)? {
                    return Ok(s);
                }
                match self.lookup(&w).cloned() {
                    Some(Value::Str(s)) => Ok(s),
                    Some(Value::Array(items)) => match self.array_element(&w, &items)? {
                        Value::Str(s) => Ok(s),
                        other => Err(self.err_at(
                            &t,
                            format!("expected a string but '{w}[]' holds a {}", other.kind()),
                        )),
                    },
                    Some(other) => Err(self.err_at(
                        &t,
                        format!(
                            "expected a string but found {} identifier '{w}'",
                            other.kind()
                        ),
                    )),
                    None => Err(self.expected("a string", Some(&t))),
                }
            }
            _ => Err(self.expected("a string", Some(&t))),
        }
    }

    /// A colour: `rgb <..>`, `color Red filter 0.5`, `red 1 green 0.5`, an
    /// identifier, or an expression, followed by channel modifiers.
    pub(crate) fn colour(&mut self) -> Result<Colour> {
        self.accept_word("color")?;
        self.accept_word("colour")?;
        let mut c = Colour::BLACK;
        let mut first = true;
        loop {
            let Some(Tok::Word(w)) = self.peek_raw()? else {
                if first {
                    c = self.expr()?.to_colour();
                }
                return Ok(c);
            };
            let channel = match w.as_str() {
                "red" => Some(0),
                "green" => Some(1),
                "blue" => Some(2),
                "filter" => Some(3),
                "transmit" => Some(4),
                _ => None,
            };
            if let Some(i) = channel {
                self.next()?;
                let mut a = c.to_array();
                a[i] = self.float_expr()?;
                c = Colour::from_array(a);
            } else if let Some((mask, srgb)) = colour_keyword(&w).filter(|_| first) {
                // A second `rgb` starts the next colour of a list (checker rgb a rgb b).
                self.next()?;
                c = self.colour_keyword_value(mask, srgb)?;
            } else if first {
                c = self.expr()?.to_colour();
            } else {
                return Ok(c);
            }
            first = false;
        }
    }

    /// A colour where only red, green and blue mean something (finish terms,
    /// ambient light): filter and transmit are dropped.
    pub(crate) fn rgb_colour(&mut self) -> Result<Colour> {
        let c = self.colour()?;
        Ok(Colour::rgb(c.r, c.g, c.b))
    }

    /// The value after `rgb`, `rgbf`, ...: `mask` says which of f and t are read.
    fn colour_keyword_value(&mut self, (f, t): (bool, bool), srgb: bool) -> Result<Colour> {
        let v = self.expr()?;
        let need = 3 + usize::from(f) + usize::from(t);
        // A float fills every channel read; a short vector is padded with zeros.
        let p = v.promote(need);
        let mut c = Colour::rgb(p.c[0], p.c[1], p.c[2]);
        match (f, t) {
            (true, true) => (c.f, c.t) = (p.c[3], p.c[4]),
            (true, false) => c.f = p.c[3],
            (false, true) => c.t = p.c[3],
            _ => {}
        }
        if srgb {
            let dec = |v: f64| {
                if v <= 0.04045 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            (c.r, c.g, c.b) = (dec(c.r), dec(c.g), dec(c.b));
        }
        Ok(c)
    }

    /// True if the next token can start a colour.
    pub(crate) fn at_colour(&mut self) -> Result<bool> {
        Ok(match self.peek()? {
            Some(Tok::Word(w)) => {
                colour_keyword(&w).is_some()
                    || matches!(
                        w.as_str(),
                        "color" | "colour" | "red" | "green" | "blue" | "filter" | "transmit"
                    )
                    || matches!(self.lookup(&w), Some(Value::Colour(_)))
            }
            _ => false,
        })
    }

    /// The right-hand side of `#declare`, or a macro argument: any kind of value.
    pub(crate) fn rvalue(&mut self) -> Result<Value> {
        let t = self.need("a value")?;
        let w = match &t.tok {
            Tok::Str(_) => {
                self.unget(t);
                return Ok(Value::Str(self.string_expr()?));
            }
            Tok::Word(w) => w.clone(),
            _ => {
                self.unget(t);
                return Ok(Value::Num(self.expr()?));
            }
        };
        // As in POV-Ray, only an expression's look-ahead holds directives: the
        // inside of an object or texture block runs them as anywhere else.
        if super::objects::is_object_keyword(&w) {
            let item = self.releasing_directives(|p| p.item(&w, &t))?;
            return Ok(Value::Item(Box::new(item)));
        }
        let v = match w.as_str() {
            "pigment" => Value::Pigment(self.releasing_directives(|p| p.pigment_block())?),
            "normal" => Value::Normal(self.releasing_directives(|p| p.normal_block())?),
            "finish" => Value::Finish(self.finish_block()?),
            "texture" => {
                // `texture {..} texture {..}` declares a layered texture.
                let mut tex = self.texture_block()?;
                while matches!(self.peek_raw()?, Some(Tok::Word(w)) if w == "texture") {
                    self.next()?;
                    tex = super::textures::layer_on(tex, self.texture_block()?);
                }
                Value::Texture(tex)
            }
            "interior" => Value::Interior(self.interior_block()?),
            "material" => {
                let (t, i) = self.material_block()?;
                Value::Material(t, i)
            }
            "color_map" | "colour_map" => Value::ColourMap(self.colour_map_block()?),
            "pigment_map" => Value::PigmentMap(self.pigment_map_block()?),
            "texture_map" => Value::TextureMap(self.texture_map_block()?),
            "normal_map" => Value::NormalMap(self.normal_map_block(MapWeights::Required)?),
            "slope_map" => Value::SlopeMap(self.slope_map_block()?),
            "camera" => Value::Camera(Box::new(self.camera_block()?)),
            "transform" => Value::Transform(self.transform_block()?),
            "array" => self.array_value()?,
            "spline" => self.spline_value()?,
            "function" => self.function_value()?,
            "sky_sphere" => Value::SkySphere(Box::new(self.sky_sphere_block()?)),
            "fog" => Value::Fog(Box::new(self.fog_block()?)),
            "rainbow" => Value::Rainbow(Box::new(self.rainbow_block()?)),
            "media" => Value::Media(Box::new(self.media_block()?)),
            "density" => Value::Pigment(self.density_block()?),
            "atmosphere" => {
                self.skip_block(&w)?;
                Value::Ignored(w.to_string())
            }
            _ => {
                self.unget(t.clone());
                if super::functions::is_string_function(&w) {
                    return Ok(Value::Str(self.string_expr()?));
                }
                if colour_keyword(&w).is_some()
                    || matches!(
                        w.as_str(),
                        "color" | "colour" | "red" | "green" | "blue" | "filter" | "transmit"
                    )
                {
                    return Ok(Value::Colour(self.colour()?));
                }
                return self.identifier_rvalue(&w, &t);
            }
        };
        Ok(v)
    }

    /// True if the identifier about to be read is followed by `.`: `C.red` is a
    /// float even when `C` is a colour.
    fn component_follows(&mut self) -> Result<bool> {
        let Some(ident) = self.next()? else {
            return Ok(false);
        };
        let dot = matches!(self.peek_raw()?, Some(Tok::Punct(".")));
        self.unget(ident);
        Ok(dot)
    }

    fn identifier_rvalue(&mut self, w: &str, t: &PTok) -> Result<Value> {
        match self.lookup(w).cloned() {
            Some(Value::Num(_)) | None => Ok(Value::Num(self.expr()?)),
            Some(Value::Colour(_)) if self.component_follows()? => Ok(Value::Num(self.expr()?)),
            Some(Value::Colour(_)) => Ok(Value::Colour(self.colour()?)),
            Some(Value::Str(_)) => Ok(Value::Str(self.string_expr()?)),
            Some(Value::Function(f)) => {
                // `F(...)` is a value of the call; a bare `F` copies the function.
                let name = self.need("a function")?;
                if matches!(self.peek_raw()?, Some(Tok::Punct("("))) {
                    let n = self.call_function(&f, &name)?;
                    self.unget_num(n, t);
                    return Ok(Value::Num(self.expr()?));
                }
                Ok(Value::Function(f))
            }
            Some(Value::Spline(s)) => {
                let t = self.need("a spline")?;
                if matches!(self.peek_raw()?, Some(Tok::Punct("("))) {
                    // A call: its value may continue as an expression (`S(t) * 2`).
                    let n = self.spline_call(&s)?;
                    let hidden = self.hidden_value_token(Value::Num(n), t);
                    self.unget(hidden);
                    return Ok(Value::Num(self.expr()?));
                }
                Ok(Value::Spline(s))
            }
            Some(other) => {
                self.next()?;
                Ok(other)
            }
        }
    }

    /// Lets an already evaluated number continue as the start of an expression,
    /// e.g. `A[1] * 2`, by binding it to a hidden name read back at once.
    fn unget_num(&mut self, n: Num, t: &PTok) {
        let name = " array element".to_string();
        self.bind(&name, Value::Num(n), true);
        self.unget(PTok {
            tok: Tok::Word(Word::new(&name)),
            ..t.clone()
        });
    }
}

/// `rgb`-like keywords: which of filter/transmit they read, and whether sRGB.
fn colour_keyword(w: &str) -> Option<((bool, bool), bool)> {
    Some(match w {
        "rgb" => ((false, false), false),
        "rgbf" => ((true, false), false),
        "rgbt" => ((false, true), false),
        "rgbft" => ((true, true), false),
        "srgb" => ((false, false), true),
        "srgbf" => ((true, false), true),
        "srgbt" => ((false, true), true),
        "srgbft" => ((true, true), true),
        _ => return None,
    })
}
