//! Objects: shapes, CSG, `object { }` copies, light sources, and the modifiers
//! (transforms, textures, flags, bounded_by/clipped_by) every object accepts.

use super::error::Result;
use super::lexer::Tok;
use super::light::transform_light;
use super::outline_shapes::{set_open, set_sturm, OUTLINE_SHAPES};
use super::parser::{PTok, Parser};
use super::value::{Item, Value};
use crate::desc::{CsgOp, Object, Shape, Texture, Transform};

const SHAPES: [&str; 15] = [
    "isosurface",
    "sphere",
    "plane",
    "box",
    "cylinder",
    "cone",
    "disc",
    "torus",
    "quadric",
    "poly",
    "cubic",
    "quartic",
    "polynomial",
    "triangle",
    "smooth_triangle",
];
const CSG: [&str; 4] = ["union", "intersection", "difference", "merge"];

/// True if `w` starts an object (or a light source) wherever objects may appear.
pub(crate) fn is_object_keyword(w: &str) -> bool {
    SHAPES.contains(&w)
        || CSG.contains(&w)
        || w == "parametric"
        || OUTLINE_SHAPES.contains(&w)
        || super::shapes::SHAPES.contains(&w)
        || w == "bicubic_patch"
        || w == "object"
        || w == "light_source"
        || w == "light_group"
}

impl Parser<'_> {
    /// Parses the object introduced by keyword `w` (already read).
    pub(crate) fn item(&mut self, w: &str, t: &PTok) -> Result<Item> {
        self.nested(|p| p.item_inner(w, t))
    }

    fn item_inner(&mut self, w: &str, t: &PTok) -> Result<Item> {
        self.charge_objects(1)?;
        if !matches!(w, "light_source" | "light_group" | "object") {
            if let Some(item) = self.shape_object_id()? {
                return Ok(item);
            }
        }
        match w {
            "light_source" => self.light_block(),
            "light_group" => self.light_group_block(),
            "object" => self.object_block(),
            "isosurface" => self.isosurface_item(),
            "parametric" => self.parametric_item(),
            "bicubic_patch" => {
                self.expect("{")?;
                let shape = self.bicubic_patch_params()?;
                let mut item = Item {
                    object: Some(Object::new(shape)),
                    lights: Vec::new(),
                };
                self.modifiers(&mut item)?;
                Ok(item)
            }
            _ if CSG.contains(&w) => self.csg_block(w),
            _ if OUTLINE_SHAPES.contains(&w) => self.outline_item(w),
            _ if super::shapes::SHAPES.contains(&w) => {
                self.expect("{")?;
                let shape = self.more_shape_params(w)?;
                let mut item = Item {
                    object: shape.map(Object::new),
                    lights: Vec::new(),
                };
                self.modifiers(&mut item)?;
                Ok(item)
            }
            _ if SHAPES.contains(&w) => {
                self.expect("{")?;
                let shape = self.shape_params(w)?;
                let mut item = Item {
                    object: Some(Object::new(shape)),
                    lights: Vec::new(),
                };
                self.modifiers(&mut item)?;
                Ok(item)
            }
            _ => Err(self.expected("an object", Some(t))),
        }
    }

    /// `shape { ident modifiers }`: as POV-Ray's `Parse_Object_Id`, a shape's
    /// block may open with a declared object's name, which makes it a copy of
    /// that object (whatever its kind), as `object { ident }` would be.
    /// `None`, with nothing consumed, when the block opens otherwise.
    fn shape_object_id(&mut self) -> Result<Option<Item>> {
        let Some(brace) = self.next()? else {
            return Ok(None);
        };
        if !matches!(&brace.tok, Tok::Punct(p) if *p == "{") {
            self.unget(brace);
            return Ok(None);
        }
        let copy = match self.peek_word()? {
            Some(name) => match self.lookup(&name) {
                Some(Value::Item(i)) => Some(i.clone()),
                _ => None,
            },
            None => None,
        };
        let Some(copy) = copy else {
            self.unget(brace);
            return Ok(None);
        };
        self.next()?;
        self.count_copy(copy.object.as_ref())?;
        let mut item = *copy;
        self.modifiers(&mut item)?;
        Ok(Some(item))
    }

    /// `prism`, `lathe`, `sor`, `polygon`, `text` (see [`super::outline_shapes`]).
    fn outline_item(&mut self, w: &str) -> Result<Item> {
        self.expect("{")?;
        let object = if w == "text" {
            self.text_object()?
        } else {
            self.outline_shape(w)?.map(Object::new)
        };
        let mut item = Item {
            object,
            lights: Vec::new(),
        };
        self.modifiers(&mut item)?;
        Ok(item)
    }

    fn shape_params(&mut self, w: &str) -> Result<Shape> {
        Ok(match w {
            "sphere" => {
                let center = self.vector_expr()?;
                self.comma()?;
                Shape::Sphere {
                    center,
                    radius: self.float_expr()?,
                }
            }
            "plane" => {
                let normal = self.vector_expr()?;
                self.comma()?;
                Shape::Plane {
                    normal,
                    distance: self.float_expr()?,
                }
            }
            "box" => {
                let corner1 = self.vector_expr()?;
                self.comma()?;
                Shape::Box {
                    corner1,
                    corner2: self.vector_expr()?,
                }
            }
            "cylinder" => {
                let base = self.vector_expr()?;
                self.comma()?;
                let cap = self.vector_expr()?;
                self.comma()?;
                Shape::Cylinder {
                    base,
                    cap,
                    radius: self.float_expr()?,
                    open: false,
                }
            }
            "cone" => {
                let base = self.vector_expr()?;
                self.comma()?;
                let base_radius = self.float_expr()?;
                self.comma()?;
                let cap = self.vector_expr()?;
                self.comma()?;
                Shape::Cone {
                    base,
                    base_radius,
                    cap,
                    cap_radius: self.float_expr()?,
                    open: false,
                }
            }
            "disc" => {
                let center = self.vector_expr()?;
                self.comma()?;
                let normal = self.vector_expr()?;
                self.comma()?;
                let radius = self.float_expr()?;
                let hole_radius = if self.accept(",")? {
                    self.float_expr()?
                } else {
                    0.0
                };
                Shape::Disc {
                    center,
                    normal,
                    radius,
                    hole_radius,
                }
            }
            "triangle" => {
                let mut points = [glam::DVec3::ZERO; 3];
                for (i, p) in points.iter_mut().enumerate() {
                    if i > 0 {
                        self.comma()?;
                    }
                    *p = self.vector_expr()?;
                }
                Shape::Triangle {
                    points,
                    normals: None,
                }
            }
            "smooth_triangle" => {
                let mut points = [glam::DVec3::ZERO; 3];
                let mut normals = [glam::DVec3::ZERO; 3];
                for i in 0..3 {
                    if i > 0 {
                        self.comma()?;
                    }
                    points[i] = self.vector_expr()?;
                    self.comma()?;
                    normals[i] = self.vector_expr()?;
                }
                Shape::Triangle {
                    points,
                    normals: Some(normals),
                }
            }
            "torus" => {
                let major = self.float_expr()?;
                self.comma()?;
                Shape::Torus {
                    major,
                    minor: self.float_expr()?,
                    sturm: false,
                }
            }
            "quadric" => {
                let squares = self.vector_expr()?;
                self.comma()?;
                let mixed = self.vector_expr()?;
                self.comma()?;
                let linear = self.vector_expr()?;
                self.comma()?;
                Shape::Quadric {
                    squares,
                    mixed,
                    linear,
                    constant: self.float_expr()?,
                }
            }
            _ => self.poly_params(w)?,
        })
    }

    /// A coefficient inside `< >`: an expression in which a bare `>` closes the list.
    pub(crate) fn poly_coefficient(&mut self) -> Result<f64> {
        let v = self.vector_component()?;
        if !v.is_float() {
            return Err(self.err("expected a float coefficient but found a vector"));
        }
        Ok(v.c[0])
    }

    fn csg_block(&mut self, w: &str) -> Result<Item> {
        let op = match w {
            "union" => CsgOp::Union,
            "intersection" => CsgOp::Intersection,
            "difference" => CsgOp::Difference,
            _ => CsgOp::Merge,
        };
        self.expect("{")?;
        let mut children = Vec::new();
        let mut lights = Vec::new();
        while let Some(w) = self.peek_word()? {
            if !is_object_keyword(&w) {
                break;
            }
            let t = self.need("an object")?;
            let child = self.item(&w, &t)?;
            lights.extend(child.lights);
            children.extend(child.object);
        }
        let mut item = Item {
            object: Some(Object::new(Shape::Csg { op, children })),
            lights,
        };
        self.modifiers(&mut item)?;
        Ok(item)
    }

    pub(crate) fn object_block(&mut self) -> Result<Item> {
        self.expect("{")?;
        let t = self.need("an object identifier or an object")?;
        let mut item = match &t.tok {
            Tok::Word(w) if is_object_keyword(w) => {
                let w = w.clone();
                self.item(&w, &t)?
            }
            Tok::Word(w) => match self.lookup(w).cloned() {
                Some(Value::Item(i)) => {
                    self.count_copy(i.object.as_ref())?;
                    *i
                }
                Some(Value::Array(items)) => match self.array_element(&w.clone(), &items)? {
                    Value::Item(i) => *i,
                    other => {
                        return Err(self.err_at(
                            &t,
                            format!("expected an object but found a {}", other.kind()),
                        ))
                    }
                },
                Some(other) => {
                    return Err(self.err_at(
                        &t,
                        format!(
                            "expected an object identifier but '{w}' is a {}",
                            other.kind()
                        ),
                    ))
                }
                None => {
                    return Err(self.err_at(
                        &t,
                        format!("expected an object identifier but found undeclared '{w}'"),
                    ))
                }
            },
            _ => return Err(self.expected("an object identifier or an object", Some(&t))),
        };
        self.modifiers(&mut item)?;
        Ok(item)
    }

    /// Charges a copied object's size to the scene's budget, so scenes that
    /// double an object in a loop stop with an error instead of exhausting memory.
    fn count_copy(&mut self, o: Option<&Object>) -> Result<()> {
        fn size(o: &Object) -> u64 {
            1 + o.children().iter().map(size).sum::<u64>()
                + o.bounded_by
                    .iter()
                    .chain(&o.clipped_by)
                    .map(size)
                    .sum::<u64>()
        }
        self.charge_objects(o.map_or(0, size))
    }

    /// Adds `n` objects to the scene's count, failing past the limit.
    pub(crate) fn charge_objects(&mut self, n: u64) -> Result<()> {
        self.object_nodes += n;
        let max = self.limits.objects;
        if self.object_nodes > max {
            return Err(self.err(format!(
                "more than {max} objects created: runaway loop or copies?"
            )));
        }
        Ok(())
    }

    /// Object modifiers up to and including the closing `}`.
    pub(crate) fn modifiers(&mut self, item: &mut Item) -> Result<()> {
        // The object's own `uv_mapping`, which must come before its texture.
        let mut uv = false;
        loop {
            let t = self.need("an object modifier or '}'")?;
            let Tok::Word(w) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(());
                }
                return Err(self.expected("an object modifier or '}'", Some(&t)));
            };
            let w = w.clone();
            if let Some(tr) = self.transform_modifier(&w)? {
                transform_item(item, &tr);
                continue;
            }
            let Some(obj) = item.object.as_mut() else {
                if !item.lights.is_empty() {
                    // object { SomeLight ... }: only transforms apply.
                    return Err(self.expected("a transform or '}' for a light", Some(&t)));
                }
                // An unsupported shape: read its modifiers and drop them.
                let mut scratch = Object::new(Shape::Csg {
                    op: CsgOp::Union,
                    children: Vec::new(),
                });
                if !self.object_modifier(&w, &mut scratch)? {
                    return Err(self.expected("an object modifier or '}'", Some(&t)));
                }
                continue;
            };
            if w.as_str() == "uv_mapping" {
                if obj.texture.is_some() {
                    return Err(self.err_at(&t, "uv_mapping must be specified before texture"));
                }
                uv = true;
                continue;
            }
            if !self.object_modifier(&w, obj)? {
                return Err(self.expected("an object modifier or '}'", Some(&t)));
            }
            if uv {
                super::uv_mapping::uv_map_object(obj);
            }
        }
    }

    /// One non-transform modifier; false if `w` is not one.
    fn object_modifier(&mut self, w: &str, obj: &mut Object) -> Result<bool> {
        match w {
            "pigment" => {
                let p = self.pigment_block()?;
                self.with_top_layer(&mut obj.texture, |l| l.pigment = p);
            }
            "finish" => {
                let f = self.finish_block()?;
                self.with_top_layer(&mut obj.texture, |l| l.finish = f);
            }
            "normal" => {
                let n = self.normal_block()?;
                self.with_top_layer(&mut obj.texture, |l| l.normal = Some(n));
            }
            "texture" => {
                let tex = self.texture_block()?;
                obj.texture = Some(match obj.texture.take() {
                    Some(old) => super::textures::layer_on(old, tex),
                    None => tex,
                });
            }
            "interior" => obj.interior = Some(self.interior_block()?),
            "material" => {
                let (tex, interior) = self.material_block()?;
                if tex.is_some() {
                    obj.texture = tex;
                }
                if interior.is_some() {
                    obj.interior = interior;
                }
            }
            "inverse" => obj.inverse = !obj.inverse,
            "hollow" => obj.hollow = Some(self.optional_bool()?),
            "no_shadow" => obj.no_shadow = true,
            "no_image" => obj.no_image = self.optional_bool()?,
            "no_reflection" => obj.no_reflection = self.optional_bool()?,
            "double_illuminate" => obj.double_illuminate = self.optional_bool()?,
            "sturm" => {
                let on = self.optional_bool()?;
                if let Shape::Torus { sturm, .. } | Shape::Poly { sturm, .. } = &mut obj.shape {
                    *sturm = on;
                }
                set_sturm(&mut obj.shape, on);
                if let Shape::Blob(b) = &mut obj.shape {
                    b.sturm = on;
                }
                if let Shape::Ovus(o) = &mut obj.shape {
                    o.sturm = on;
                }
            }
            "hierarchy" => {
                let on = self.optional_bool()?;
                if let Shape::Blob(b) = &mut obj.shape {
                    b.hierarchy = on;
                }
            }
            "open" => {
                let on = self.optional_bool()?;
                if let Shape::Cylinder { open, .. } | Shape::Cone { open, .. } = &mut obj.shape {
                    *open = on;
                }
                set_open(&mut obj.shape, on);
            }
            "bounded_by" => {
                if self.brace_then_word("clipped_by")? {
                    obj.bounded_by = obj.clipped_by.clone();
                } else {
                    obj.bounded_by = self.object_list("bounded_by")?;
                }
            }
            "clipped_by" => {
                if self.brace_then_word("bounded_by")? {
                    obj.clipped_by = obj.bounded_by.clone();
                } else {
                    obj.clipped_by = self.object_list("clipped_by")?;
                }
            }
            "photons" => self.object_photons(&mut obj.photons)?,
            "interior_texture" => {
                let tex = self.texture_block()?;
                obj.interior_texture = Some(match obj.interior_texture.take() {
                    Some(old) => super::textures::layer_on(old, tex),
                    None => tex,
                });
            }
            "radiosity" => self.object_radiosity(&mut obj.radiosity_importance)?,
            "no_radiosity" => {
                let here = self.here();
                self.warn(format!(
                    "{here}: no_radiosity is not supported and was ignored"
                ));
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Changes the texture layer a `pigment`/`finish`/`normal` statement applies
    /// to, creating the texture from the current default if there is none.
    pub(crate) fn with_top_layer(
        &self,
        texture: &mut Option<Texture>,
        f: impl FnOnce(&mut crate::desc::Layer),
    ) {
        let tex = texture.get_or_insert_with(|| Texture::Plain(self.default_layer.clone()));
        match tex {
            Texture::Plain(l) => f(l),
            Texture::Layered(ls) => match ls.last_mut() {
                Some(l) => f(l),
                None => {
                    let mut l = self.default_layer.clone();
                    f(&mut l);
                    ls.push(l);
                }
            },
            Texture::Map { .. } => {
                let mut l = self.default_layer.clone();
                f(&mut l);
                *tex = Texture::Plain(l);
            }
        }
    }

    /// `{ word }` (`clipped_by { bounded_by }` and the reverse): consumed if so;
    /// otherwise nothing is consumed.
    fn brace_then_word(&mut self, word: &str) -> Result<bool> {
        self.expect("{")?;
        if self.accept_word(word)? {
            self.expect("}")?;
            return Ok(true);
        }
        // Put the brace back for object_list.
        let here = self.here();
        self.unget(PTok {
            tok: Tok::Punct("{"),
            file: 0,
            line: here.line,
            column: here.column,
        });
        Ok(false)
    }

    /// `{ object... }` for bounded_by/clipped_by.
    fn object_list(&mut self, what: &str) -> Result<Vec<Object>> {
        self.expect("{")?;
        let mut out = Vec::new();
        loop {
            let t = self.need("an object or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(out),
                Tok::Word(w) if is_object_keyword(w) => {
                    let w = w.clone();
                    out.extend(self.item(&w, &t)?.object);
                }
                _ => return Err(self.expected(&format!("an object in {what}"), Some(&t))),
            }
        }
    }

    /// A flag's optional boolean (`hollow`, `hollow on`, `hollow false`).
    pub(crate) fn optional_bool(&mut self) -> Result<bool> {
        let starts_value = match self.peek()? {
            Some(Tok::Number(_)) | Some(Tok::Punct("(")) | Some(Tok::Punct("!")) => true,
            Some(Tok::Word(w)) => {
                matches!(w.as_str(), "on" | "off" | "true" | "false" | "yes" | "no")
                    || matches!(self.lookup(&w), Some(Value::Num(n)) if n.is_float())
            }
            _ => false,
        };
        if starts_value {
            Ok(self.float_expr()? != 0.0)
        } else {
            Ok(true)
        }
    }

    /// `translate`, `rotate`, `scale`, `matrix`, `transform`: the transform, or None
    /// if `w` is none of them.
    pub(crate) fn transform_modifier(&mut self, w: &str) -> Result<Option<Transform>> {
        Ok(Some(match w {
            "translate" => Transform::translate(self.vector_expr()?),
            "rotate" => Transform::rotate(self.vector_expr()?),
            "scale" => {
                let v = self.vector_expr()?;
                if v.x == 0.0 || v.y == 0.0 || v.z == 0.0 {
                    let here = self.here();
                    self.warn(format!("{here}: scale by 0 replaced by 1"));
                }
                Transform::scale(v)
            }
            "matrix" => self.matrix_values()?,
            "transform" => self.transform_block()?,
            _ => return Ok(None),
        }))
    }

    /// `transform { ... }` or `transform Ident` (keyword already read).
    pub(crate) fn transform_block(&mut self) -> Result<Transform> {
        if let Some(Tok::Word(w)) = self.peek()? {
            if let Some(Value::Transform(t)) = self.lookup(&w).cloned() {
                self.next()?;
                return Ok(t);
            }
        }
        self.expect("{")?;
        let mut acc = Transform::IDENTITY;
        loop {
            let t = self.need("a transform or '}'")?;
            match &t.tok {
                Tok::Punct("}") => return Ok(acc),
                Tok::Word(w) if w == "inverse" => acc = acc.inverted(),
                Tok::Word(w) => {
                    let w = w.clone();
                    if let Some(Value::Transform(tr)) = self.lookup(&w).cloned() {
                        acc = acc.then(&tr);
                    } else if w == "matrix" {
                        acc = acc.then(&self.matrix_values()?);
                    } else {
                        match self.transform_modifier(&w)? {
                            Some(tr) => acc = acc.then(&tr),
                            None => return Err(self.expected("a transform or '}'", Some(&t))),
                        }
                    }
                }
                _ => return Err(self.expected("a transform or '}'", Some(&t))),
            }
        }
    }

    /// `<m00, ..., m32>` after `matrix`.
    pub(crate) fn matrix_values(&mut self) -> Result<Transform> {
        self.expect("<")?;
        let mut m = [0.0; 12];
        for (i, slot) in m.iter_mut().enumerate() {
            if i > 0 {
                self.expect(",")?;
            }
            *slot = self.poly_coefficient()?;
        }
        self.expect(">")?;
        Transform::from_pov_matrix(&m).ok_or_else(|| self.err("matrix is singular"))
    }
}

/// Moves an object (and the lights it carries) by `t`.
pub(crate) fn transform_item(item: &mut Item, t: &Transform) {
    if let Some(o) = item.object.as_mut() {
        transform_object(o, t);
    }
    for l in &mut item.lights {
        transform_light(l, t);
    }
}

/// Moves an object, its texture and its bounds; CSG children move instead of the
/// CSG node, whose own transform stays the identity (see [`crate::desc::object`]).
pub(crate) fn transform_object(o: &mut Object, t: &Transform) {
    match &mut o.shape {
        Shape::Csg { children, .. } => children.iter_mut().for_each(|c| transform_object(c, t)),
        _ => o.transform = o.transform.then(t),
    }
    super::shapes::transform_shape_textures(&mut o.shape, t);
    if let Some(tex) = o.texture.as_mut() {
        super::textures::transform_texture(tex, t);
    }
    if let Some(tex) = o.interior_texture.as_mut() {
        super::textures::transform_texture(tex, t);
    }
    if let Some(i) = o.interior.as_mut() {
        i.media
            .iter_mut()
            .for_each(|m| super::media::transform_densities(m, t));
    }
    o.bounded_by.iter_mut().for_each(|b| transform_object(b, t));
    o.clipped_by.iter_mut().for_each(|b| transform_object(b, t));
}
