//! The bodies of `superellipsoid`, `blob`, `mesh` and `mesh2`: everything between
//! the opening brace and the object modifiers, which [`super::objects`] reads as for
//! any shape.

use std::sync::Arc;

use glam::{DVec2, DVec3};

use super::error::{Result, SdlError};
use super::lexer::Tok;
use super::parser::Parser;
use crate::desc::shapes::{
    Blob, BlobComponent, BlobComponentKind, HeightField, JuliaAlgebra, JuliaFractal, JuliaFunction,
    Mesh, MeshTriangle, Ovus, SphereSweep, SweepSpline,
};
use crate::desc::{Shape, Texture, Transform};

/// The shapes this module reads (their keywords, as [`super::objects`] dispatches).
pub(crate) const SHAPES: [&str; 8] = [
    "sphere_sweep",
    "ovus",
    "superellipsoid",
    "blob",
    "mesh",
    "mesh2",
    "julia_fractal",
    "height_field",
];

/// The image type keywords of `height_field` (those not decoded warn).
fn is_image_type(w: &str) -> bool {
    matches!(
        w,
        "gif"
            | "tga"
            | "pot"
            | "png"
            | "pgm"
            | "ppm"
            | "jpeg"
            | "tiff"
            | "bmp"
            | "exr"
            | "hdr"
            | "iff"
            | "sys"
    )
}

/// POV-Ray's threshold for a vector that counts as zero.
const EPSILON: f64 = 1e-10;

impl Parser<'_> {
    /// The parameters of shape `w` (one of [`SHAPES`]), after its `{`; `None`
    /// for a form not rendered yet (warned about).
    pub(crate) fn more_shape_params(&mut self, w: &str) -> Result<Option<Shape>> {
        Ok(Some(match w {
            "sphere_sweep" => self.sphere_sweep_params()?,
            "ovus" => self.ovus_params()?,
            "superellipsoid" => self.superellipsoid_params()?,
            "blob" => self.blob_params()?,
            "mesh" => self.mesh_params()?,
            "julia_fractal" => self.julia_params()?,
            "height_field" => return self.height_field_params(),
            _ => self.mesh2_params()?,
        }))
    }

    /// `[type] "file" [gamma g] [premultiplied b]` or `function w, h { }`, then
    /// `smooth` and `water_level`.
    fn height_field_params(&mut self) -> Result<Option<Shape>> {
        let start = self.here();
        if self.accept_word("function")? {
            let h = self.function_image()?.heights();
            if h.width < 2 || h.depth < 2 {
                return Err(SdlError::at(
                    start,
                    format!(
                        "a height field function needs at least 2x2 samples, not {}x{}",
                        h.width, h.depth
                    ),
                ));
            }
            return self.height_field_from(h).map(Some);
        }
        let keyword = match self.peek_word()? {
            Some(w) if is_image_type(&w) => {
                self.next()?;
                Some(w)
            }
            _ => None,
        };
        let name = self.string_expr()?;
        while let Some(w) = self.peek_word()? {
            match w.as_str() {
                "gamma" | "premultiplied" => {
                    self.next()?;
                    self.expr()?;
                }
                _ => break,
            }
        }
        let format = match keyword.as_deref() {
            Some(k) => super::height_image::Format::from_keyword(k),
            None => super::height_image::Format::from_name(&name),
        };
        let Some(format) = format else {
            let what = keyword.map_or_else(|| name.clone(), String::from);
            self.warn(format!(
                "{start}: height_field image type of '{what}' is not supported and was ignored"
            ));
            self.height_field_options()?;
            return Ok(None);
        };
        let bytes = self.read_image(&name)?;
        let h = super::height_image::decode(&bytes, format).map_err(|e| {
            SdlError::at(
                start.clone(),
                format!("cannot use '{name}' as a height field: {e}"),
            )
        })?;
        self.height_field_from(h).map(Some)
    }

    /// The height field of `h`, with the options after its source.
    fn height_field_from(&mut self, h: super::height_image::Heights) -> Result<Shape> {
        let (smooth, water_level) = self.height_field_options()?;
        Ok(Shape::HeightField(Box::new(HeightField {
            heights: Arc::new(h.values),
            width: h.width,
            depth: h.depth,
            smooth,
            water_level,
        })))
    }

    /// The bytes of image `name`, found as an include file is (the scene's
    /// folder, then the include paths) and recorded so that distributed slaves
    /// receive it with the scene.
    pub(super) fn read_image(&mut self, name: &str) -> Result<Vec<u8>> {
        self.read_data_file(name, "image")
    }

    /// The bytes of data file `name` (an image, a density file...), found and
    /// recorded as [`Parser::read_image`] says; `what` names it in errors.
    pub(super) fn read_data_file(&mut self, name: &str, what: &str) -> Result<Vec<u8>> {
        let dir = self
            .frames
            .last()
            .and_then(|f| self.files.file(f.file))
            .map(|f| f.dir.clone());
        let found = super::loader::candidates(name, dir.as_deref(), &self.opts.include_paths);
        self.read_first_found(found, name, what)
    }

    /// The bytes of the first of `candidates` that exists, recorded (once) so
    /// that distributed slaves receive it with the scene; `name` and `what` name
    /// the file in errors.
    pub(super) fn read_first_found(
        &mut self,
        candidates: impl IntoIterator<Item = String>,
        name: &str,
        what: &str,
    ) -> Result<Vec<u8>> {
        for c in candidates {
            match self.loader.read_bytes(&c) {
                Ok(Some(bytes)) => {
                    if !self.recorded_data.iter().any(|f| f.name == c) {
                        self.recorded_data.push(super::DataFile {
                            name: c,
                            bytes: bytes.clone(),
                        });
                    }
                    return Ok(bytes);
                }
                Ok(None) => {}
                Err(e) => return Err(self.err(format!("cannot read {what} file '{c}': {e}"))),
            }
        }
        Err(self.err(format!("cannot find {what} file '{name}'")))
    }

    /// `smooth` and `water_level` in any order.
    fn height_field_options(&mut self) -> Result<(bool, f64)> {
        let (mut smooth, mut water) = (false, 0.0);
        while let Some(w) = self.peek_word()? {
            match w.as_str() {
                "smooth" => smooth = true,
                "water_level" => {
                    self.next()?;
                    water = self.float_expr()?;
                    continue;
                }
                _ => break,
            }
            self.next()?;
        }
        Ok((smooth, water))
    }

    /// `linear_spline | cubic_spline | b_spline [,] n, <c>, r, ... [tolerance t]`.
    fn sphere_sweep_params(&mut self) -> Result<Shape> {
        let t = self.need("the sphere_sweep's spline type")?;
        let (spline, name) =
            match &t.tok {
                Tok::Word(w) if w == "linear_spline" => (SweepSpline::Linear, "linear_spline"),
                Tok::Word(w) if w == "cubic_spline" => (SweepSpline::CatmullRom, "cubic_spline"),
                Tok::Word(w) if w == "b_spline" => (SweepSpline::BSpline, "b_spline"),
                _ => return Err(self.expected(
                    "linear_spline, cubic_spline or b_spline (the sphere_sweep's interpolation)",
                    Some(&t),
                )),
            };
        self.accept(",")?;
        let here = self.here();
        let n = self.float_expr()?;
        let min = spline.min_spheres();
        if n.is_nan() || n < min as f64 {
            return Err(SdlError::at(
                here,
                format!("a sphere_sweep with {name} needs at least {min} spheres, not {n}"),
            ));
        }
        // A huge count fails at the first missing sphere: allocate as they come.
        let mut spheres = Vec::new();
        for _ in 0..n as usize {
            self.accept(",")?;
            let center = self.vector_expr()?;
            self.accept(",")?;
            spheres.push((center, self.float_expr()?));
        }
        let tolerance = if self.accept_word("tolerance")? {
            self.float_expr()?
        } else {
            1.0e-6
        };
        Ok(Shape::SphereSweep(Box::new(SphereSweep {
            spline,
            spheres,
            tolerance,
        })))
    }

    /// `bottom_radius, top_radius`. POV-Ray 3.7 draws a top radius of twice
    /// the bottom one or more as the top sphere alone, and so do we.
    fn ovus_params(&mut self) -> Result<Shape> {
        let here = self.here();
        let bottom_radius = self.float_expr()?;
        self.comma()?;
        let top_radius = self.float_expr()?;
        if bottom_radius < 0.0 || top_radius < 0.0 {
            return Err(SdlError::at(
                here,
                format!("both ovus radii must be positive, not {bottom_radius} and {top_radius}"),
            ));
        }
        if top_radius >= 2.0 * bottom_radius {
            self.warn(format!(
                "{here}: an ovus's top radius should be less than twice its bottom radius; \
                 a sphere is used, as POV-Ray does"
            ));
            return Ok(Shape::Sphere {
                center: DVec3::new(0.0, bottom_radius, 0.0),
                radius: top_radius,
            });
        }
        Ok(Shape::Ovus(Ovus {
            bottom_radius,
            top_radius,
            sturm: false,
        }))
    }

    /// `<e, n>`.
    fn superellipsoid_params(&mut self) -> Result<Shape> {
        let v = self.expr()?.promote(2);
        let (e, n) = (v.c[0], v.c[1]);
        if e == 0.0 || n == 0.0 || !e.is_finite() || !n.is_finite() {
            return Err(self.err(format!(
                "superellipsoid exponents must be non-zero, not <{e}, {n}>"
            )));
        }
        Ok(Shape::Superellipsoid { e, n })
    }

    /// `threshold`, then `sphere`, `cylinder` and `component` items.
    fn blob_params(&mut self) -> Result<Shape> {
        let start = self.here();
        let mut blob = Blob {
            threshold: 1.0,
            components: Vec::new(),
            sturm: false,
            hierarchy: true,
        };
        while let Some(w) = self.peek_word()? {
            match w.as_str() {
                "threshold" => {
                    self.next()?;
                    blob.threshold = self.float_expr()?;
                }
                "component" => {
                    self.next()?;
                    let strength = self.float_expr()?;
                    self.comma()?;
                    let radius = self.float_expr()?;
                    self.comma()?;
                    let center = self.vector_expr()?;
                    blob.components.push(BlobComponent {
                        kind: BlobComponentKind::Sphere { center },
                        strength,
                        radius,
                        transform: Transform::IDENTITY,
                        texture: None,
                    });
                }
                "sphere" | "cylinder" => {
                    self.next()?;
                    let c = self.blob_component(&w)?;
                    blob.components.push(c);
                }
                _ => break,
            }
        }
        if blob.components.is_empty() {
            return Err(SdlError::at(start, "a blob needs at least one component"));
        }
        Ok(Shape::Blob(Box::new(blob)))
    }

    /// `{ <center>, radius, [strength] s  modifiers }` or
    /// `{ <base>, <apex>, radius, [strength] s  modifiers }`.
    fn blob_component(&mut self, w: &str) -> Result<BlobComponent> {
        self.expect("{")?;
        let kind = if w == "sphere" {
            BlobComponentKind::Sphere {
                center: self.vector_expr()?,
            }
        } else {
            let base = self.vector_expr()?;
            self.comma()?;
            let apex = self.vector_expr()?;
            if (apex - base).length() < EPSILON {
                return Err(self.err("degenerate cylindrical component in blob"));
            }
            BlobComponentKind::Cylinder { base, apex }
        };
        self.comma()?;
        let radius = self.float_expr()?;
        self.comma()?;
        self.accept_word("strength")?;
        let strength = self.float_expr()?;
        let mut c = BlobComponent {
            kind,
            strength,
            radius,
            transform: Transform::IDENTITY,
            texture: None,
        };
        loop {
            let t = self.need("a blob component modifier or '}'")?;
            let Tok::Word(m) = &t.tok else {
                if t.tok == Tok::Punct("}") {
                    return Ok(c);
                }
                return Err(self.expected("a blob component modifier or '}'", Some(&t)));
            };
            let m = m.clone();
            if let Some(tr) = self.transform_modifier(&m)? {
                c.transform = c.transform.then(&tr);
                if let Some(tex) = c.texture.as_mut() {
                    super::textures::transform_texture(tex, &tr);
                }
                continue;
            }
            match m.as_str() {
                "texture" => {
                    let tex = self.texture_block()?;
                    c.texture = Some(match c.texture.take() {
                        Some(old) => super::textures::layer_on(old, tex),
                        None => tex,
                    });
                }
                "pigment" => {
                    let p = self.pigment_block()?;
                    self.with_top_layer(&mut c.texture, |l| l.pigment = p);
                }
                "finish" => {
                    let f = self.finish_block()?;
                    self.with_top_layer(&mut c.texture, |l| l.finish = f);
                }
                "normal" => {
                    let n = self.normal_block()?;
                    self.with_top_layer(&mut c.texture, |l| l.normal = Some(n));
                }
                _ => return Err(self.expected("a blob component modifier or '}'", Some(&t))),
            }
        }
    }
}

/// The function keywords of a Julia fractal besides `sqr` and `cube`.
const JULIA_FUNCTIONS: [&str; 16] = [
    "exp",
    "ln",
    "sin",
    "asin",
    "cos",
    "acos",
    "tan",
    "atan",
    "sinh",
    "asinh",
    "cosh",
    "acosh",
    "tanh",
    "atanh",
    "pwr",
    "reciprocal",
];

impl Parser<'_> {
    /// `<c>`, then `quaternion`/`hypercomplex`, the function, `max_iteration`,
    /// `precision`, `slice`.
    fn julia_params(&mut self) -> Result<Shape> {
        let c = self.expr()?.promote(4).c;
        let mut j = JuliaFractal {
            parameter: [c[0], c[1], c[2], c[3]],
            algebra: JuliaAlgebra::Quaternion,
            function: JuliaFunction::Sqr,
            max_iteration: 20,
            precision: 1.0 / 20.0,
            slice: [0.0, 0.0, 0.0, 1.0],
            slice_distance: 0.0,
        };
        while let Some(w) = self.peek_word()? {
            match w.as_str() {
                "quaternion" => j.algebra = JuliaAlgebra::Quaternion,
                "hypercomplex" => j.algebra = JuliaAlgebra::Hypercomplex,
                "sqr" => j.function = JuliaFunction::Sqr,
                "cube" => j.function = JuliaFunction::Cube,
                "max_iteration" | "precision" | "slice" => {}
                f if JULIA_FUNCTIONS.contains(&f) => {
                    let here = self.here();
                    self.warn(format!(
                        "{here}: julia_fractal function {f} is not rendered yet; sqr is used"
                    ));
                    j.function = JuliaFunction::Other;
                }
                _ => break,
            }
            self.next()?;
            match w.as_str() {
                "max_iteration" => j.max_iteration = self.float_expr()?.floor().max(1.0) as usize,
                "precision" => j.precision = 1.0 / self.float_expr()?.max(1.0),
                "slice" => self.julia_slice(&mut j)?,
                "pwr" => {
                    self.expect("(")?;
                    self.float_expr()?;
                    self.comma()?;
                    self.float_expr()?;
                    self.expect(")")?;
                }
                _ => {}
            }
        }
        Ok(Shape::JuliaFractal(Box::new(j)))
    }

    /// `slice <v4>, distance`: normalised, as POV-Ray requires t != 0.
    fn julia_slice(&mut self, j: &mut JuliaFractal) -> Result<()> {
        let v = self.expr()?.promote(4).c;
        self.comma()?;
        j.slice_distance = self.float_expr()?;
        let len2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3];
        if len2.abs() < EPSILON {
            return Err(self.err("slice vector is zero"));
        }
        if v[3].abs() < EPSILON {
            return Err(self.err("slice t component is zero"));
        }
        let len = len2.sqrt();
        j.slice = [v[0] / len, v[1] / len, v[2] / len, v[3] / len];
        Ok(())
    }
}

/// Reads `mesh` and `mesh2` bodies into [`Mesh`] plus its textures.
struct MeshBuilder {
    mesh: Mesh,
    textures: Vec<Texture>,
}

impl MeshBuilder {
    fn new() -> Self {
        Self {
            mesh: Mesh::default(),
            textures: Vec::new(),
        }
    }

    fn finish(self) -> Shape {
        Shape::Mesh {
            data: Arc::new(self.mesh),
            textures: self.textures,
        }
    }

    fn push_vertex(&mut self, p: DVec3) -> u32 {
        self.mesh.vertices.push(p);
        (self.mesh.vertices.len() - 1) as u32
    }

    fn push_normal(&mut self, n: DVec3) -> u32 {
        self.mesh.normals.push(n);
        (self.mesh.normals.len() - 1) as u32
    }

    fn push_uv(&mut self, uv: DVec2) -> u32 {
        self.mesh.uvs.push(uv);
        (self.mesh.uvs.len() - 1) as u32
    }
}

/// POV-Ray's rule for a triangle without area: dropped.
fn degenerate(p: &[DVec3; 3]) -> bool {
    (p[0] - p[1]).cross(p[2] - p[1]).length() == 0.0
}

impl Parser<'_> {
    /// `triangle { }` and `smooth_triangle { }` items, `inside_vector`.
    fn mesh_params(&mut self) -> Result<Shape> {
        let start = self.here();
        let mut b = MeshBuilder::new();
        let mut zero_normal_warned = false;
        while let Some(w) = self.peek_word()? {
            match w.as_str() {
                "triangle" | "smooth_triangle" => {
                    self.next()?;
                    self.mesh_triangle(&mut b, w == "smooth_triangle", &mut zero_normal_warned)?;
                }
                "inside_vector" => {
                    self.next()?;
                    b.mesh.inside_vector = self.inside_vector()?;
                }
                _ => break,
            }
        }
        if b.mesh.triangles.is_empty() {
            return Err(SdlError::at(start, "no triangles in triangle mesh"));
        }
        Ok(b.finish())
    }

    /// One triangle of a `mesh` (keyword read).
    fn mesh_triangle(
        &mut self,
        b: &mut MeshBuilder,
        smooth: bool,
        warned: &mut bool,
    ) -> Result<()> {
        self.expect("{")?;
        let mut p = [DVec3::ZERO; 3];
        let mut n = [DVec3::ZERO; 3];
        for i in 0..3 {
            if i > 0 {
                self.comma()?;
            }
            p[i] = self.vector_expr()?;
            if smooth {
                self.comma()?;
                n[i] = self.vector_expr()?;
                if n[i].abs().max_element() < EPSILON {
                    n[i] = DVec3::X;
                    if !*warned {
                        let here = self.here();
                        self.warn(format!(
                            "{here}: normal vector in mesh cannot be zero - changing it to <1,0,0>"
                        ));
                        *warned = true;
                    }
                }
            }
        }
        let mut uv = None;
        if self.accept_word("uv_vectors")? {
            let mut c = [DVec2::ZERO; 3];
            for (i, c) in c.iter_mut().enumerate() {
                if i > 0 {
                    self.comma()?;
                }
                let v = self.expr()?.promote(2);
                *c = DVec2::new(v.c[0], v.c[1]);
            }
            uv = Some(c);
        }
        let texture = self.mesh_triangle_texture(b)?;
        self.expect("}")?;
        if degenerate(&p) {
            return Ok(());
        }
        let vertices = [
            b.push_vertex(p[0]),
            b.push_vertex(p[1]),
            b.push_vertex(p[2]),
        ];
        let n = n.map(|v| v.normalize_or_zero());
        // Equal normals make a flat triangle, as POV-Ray decides.
        let flat =
            (n[0] - n[1]).length_squared() <= EPSILON && (n[0] - n[2]).length_squared() <= EPSILON;
        let normals = (smooth && !flat).then(|| {
            [
                b.push_normal(n[0]),
                b.push_normal(n[1]),
                b.push_normal(n[2]),
            ]
        });
        let uvs = uv.map(|c| c.map(|c| b.push_uv(c)));
        b.mesh.triangles.push(MeshTriangle {
            vertices,
            normals,
            texture,
            uvs,
        });
        Ok(())
    }

    /// A mesh triangle's optional `texture { }` (or `texture_list { t1 t2 t3 }`,
    /// of which only the first is used, with a warning).
    fn mesh_triangle_texture(&mut self, b: &mut MeshBuilder) -> Result<Option<u32>> {
        let tex = if self.accept_word("texture")? {
            self.texture_block()?
        } else if self.accept_word("texture_list")? {
            let here = self.here();
            self.expect("{")?;
            let first = self.texture_keyword_block()?;
            self.texture_keyword_block()?;
            self.texture_keyword_block()?;
            self.expect("}")?;
            self.warn(format!(
                "{here}: per-vertex mesh textures are not interpolated; the first is used"
            ));
            first
        } else {
            return Ok(None);
        };
        // Scenes declare a texture once and give it to many triangles: share it.
        if let Some(i) = b.textures.iter().position(|t| *t == tex) {
            return Ok(Some(i as u32));
        }
        b.textures.push(tex);
        Ok(Some((b.textures.len() - 1) as u32))
    }

    /// `texture { ... }` with its keyword.
    fn texture_keyword_block(&mut self) -> Result<Texture> {
        if !self.accept_word("texture")? {
            let t = self.need("texture")?;
            return Err(self.expected("texture", Some(&t)));
        }
        self.texture_block()
    }

    /// `inside_vector <v>`: `None` for a zero vector (the mesh then has no inside).
    fn inside_vector(&mut self) -> Result<Option<DVec3>> {
        let v = self.vector_expr()?;
        Ok((v.abs().max_element() >= EPSILON).then(|| v.normalize()))
    }
}

/// The sections of a `mesh2`, before its object modifiers.
const MESH2_ITEMS: [&str; 8] = [
    "vertex_vectors",
    "normal_vectors",
    "uv_vectors",
    "texture_list",
    "face_indices",
    "normal_indices",
    "uv_indices",
    "inside_vector",
];

/// How many items a `mesh2` list says it has, checked before anything is allocated.
const MAX_MESH2_ITEMS: f64 = 1e8;

impl Parser<'_> {
    /// `vertex_vectors`, `normal_vectors`, `uv_vectors`, `texture_list`,
    /// `face_indices`, `normal_indices`, `uv_indices`, `inside_vector`.
    fn mesh2_params(&mut self) -> Result<Shape> {
        let start = self.here();
        let mut b = MeshBuilder::new();
        let mut faces: Vec<([u32; 3], Option<u32>)> = Vec::new();
        let mut normal_indices: Option<Vec<[u32; 3]>> = None;
        let mut uv_indices: Option<Vec<[u32; 3]>> = None;
        while let Some(w) = self.peek_word()? {
            if !MESH2_ITEMS.contains(&w.as_str()) {
                break;
            }
            self.next()?;
            match w.as_str() {
                "vertex_vectors" => b.mesh.vertices = self.vector_list()?,
                "normal_vectors" => b.mesh.normals = self.vector_list()?,
                "uv_vectors" => {
                    b.mesh.uvs = self
                        .vector_list_of(2)?
                        .into_iter()
                        .map(|v| DVec2::new(v.x, v.y))
                        .collect()
                }
                "texture_list" => b.textures = self.texture_list()?,
                "face_indices" => faces = self.face_indices(!b.textures.is_empty())?,
                "normal_indices" => {
                    normal_indices = Some(self.index_list()?);
                }
                "uv_indices" => uv_indices = Some(self.index_list()?),
                _ => b.mesh.inside_vector = self.inside_vector()?,
            }
        }
        self.mesh2_triangles(&mut b, faces, normal_indices, uv_indices)
            .map_err(|m| SdlError::at(start.clone(), m))?;
        if b.mesh.triangles.is_empty() {
            return Err(SdlError::at(start, "no triangles in mesh2"));
        }
        Ok(b.finish())
    }

    /// The count that starts a list, as a checked size.
    fn list_count(&mut self, what: &str) -> Result<usize> {
        let n = self.float_expr()?;
        if !(0.0..=MAX_MESH2_ITEMS).contains(&n) {
            return Err(self.err(format!("{what}: invalid count {n}")));
        }
        Ok(n as usize)
    }

    /// `{ n, <v>, ... }` of 3-vectors.
    fn vector_list(&mut self) -> Result<Vec<DVec3>> {
        self.vector_list_of(3)
    }

    /// `{ n, <v>, ... }` of `dims`-vectors (widened to 3).
    fn vector_list_of(&mut self, dims: usize) -> Result<Vec<DVec3>> {
        self.expect("{")?;
        let n = self.list_count("vector list")?;
        let mut out = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            self.comma()?;
            let v = self.expr()?.promote(dims);
            out.push(DVec3::new(
                v.c[0],
                v.c[1],
                if dims > 2 { v.c[2] } else { 0.0 },
            ));
        }
        self.comma()?;
        self.expect("}")?;
        Ok(out)
    }

    /// `{ n, texture { } ... }`.
    fn texture_list(&mut self) -> Result<Vec<Texture>> {
        self.expect("{")?;
        let n = self.list_count("texture_list")?;
        let mut out = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            self.comma()?;
            out.push(self.texture_keyword_block()?);
        }
        self.comma()?;
        self.expect("}")?;
        Ok(out)
    }

    /// `{ n, <a, b, c> [, t | , t1, t2, t3], ... }`.
    /// `face_indices { n, <a,b,c> [, t [, t, t]] ... }`: texture indices follow a
    /// face only in a mesh with a `texture_list`, as in POV-Ray (without one, a
    /// face written as an expression such as `F1+A` is just the next face).
    fn face_indices(&mut self, textured: bool) -> Result<Vec<([u32; 3], Option<u32>)>> {
        self.expect("{")?;
        let n = self.list_count("face_indices")?;
        let mut out = Vec::with_capacity(n.min(1 << 20));
        let mut three_warned = false;
        for _ in 0..n {
            self.comma()?;
            let idx = self.index_triple()?;
            let mut tex = None;
            if textured && self.accept(",")? && self.starts_index()? {
                tex = Some(self.index_value()?);
                if self.accept(",")? && self.starts_index()? {
                    self.index_value()?;
                    self.comma()?;
                    self.index_value()?;
                    if !three_warned {
                        let here = self.here();
                        self.warn(format!(
                            "{here}: per-vertex mesh2 textures are not interpolated; the first is used"
                        ));
                        three_warned = true;
                    }
                }
            }
            out.push((idx, tex));
        }
        self.comma()?;
        self.expect("}")?;
        Ok(out)
    }

    /// True when the next token starts a texture index (not the next `<a,b,c>`).
    fn starts_index(&mut self) -> Result<bool> {
        Ok(!matches!(
            self.peek()?,
            Some(Tok::Punct("<")) | Some(Tok::Punct("}")) | None
        ))
    }

    /// `{ n, <a, b, c>, ... }`.
    fn index_list(&mut self) -> Result<Vec<[u32; 3]>> {
        self.expect("{")?;
        let n = self.list_count("index list")?;
        let mut out = Vec::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            self.comma()?;
            out.push(self.index_triple()?);
        }
        self.comma()?;
        self.expect("}")?;
        Ok(out)
    }

    fn index_triple(&mut self) -> Result<[u32; 3]> {
        let v = self.vector_expr()?;
        let mut out = [0u32; 3];
        for (o, c) in out.iter_mut().zip(v.to_array()) {
            *o = self.to_index(c)?;
        }
        Ok(out)
    }

    fn index_value(&mut self) -> Result<u32> {
        let f = self.float_expr()?;
        self.to_index(f)
    }

    fn to_index(&self, f: f64) -> Result<u32> {
        if !(0.0..=f64::from(u32::MAX)).contains(&f) {
            return Err(self.err(format!("mesh2 index {f} is out of range")));
        }
        Ok(f as u32)
    }

    /// Checks every index of a mesh2 and adds its triangles (degenerate ones dropped).
    fn mesh2_triangles(
        &mut self,
        b: &mut MeshBuilder,
        faces: Vec<([u32; 3], Option<u32>)>,
        normal_indices: Option<Vec<[u32; 3]>>,
        uv_indices: Option<Vec<[u32; 3]>>,
    ) -> std::result::Result<(), String> {
        let uv_of = mesh2_uv_indices(&b.mesh, &faces, uv_indices)?;
        let (nv, nn, nt) = (
            b.mesh.vertices.len(),
            b.mesh.normals.len(),
            b.textures.len(),
        );
        if let Some(ni) = &normal_indices {
            if ni.len() != faces.len() {
                return Err(format!(
                    "mesh2 has {} normal_indices for {} face_indices",
                    ni.len(),
                    faces.len()
                ));
            }
        }
        // Without normal_indices, normals are indexed like the vertices.
        let implicit_normals = normal_indices.is_none() && nn > 0;
        if implicit_normals && nn != nv {
            return Err(format!(
                "mesh2 has {nn} normal_vectors for {nv} vertex_vectors but no normal_indices"
            ));
        }
        b.mesh.triangles.reserve_exact(faces.len());
        for (i, (v, tex)) in faces.into_iter().enumerate() {
            if let Some(bad) = v.iter().find(|&&k| k as usize >= nv) {
                return Err(format!(
                    "mesh2 face {i}: vertex index {bad} out of range (have {nv})"
                ));
            }
            if let Some(t) = tex.filter(|&t| t as usize >= nt) {
                return Err(format!(
                    "mesh2 face {i}: texture index {t} out of range (have {nt})"
                ));
            }
            let normals = match &normal_indices {
                Some(ni) => Some(ni[i]),
                None if implicit_normals => Some(v),
                None => None,
            };
            if let Some(bad) = normals.and_then(|n| n.into_iter().find(|&k| k as usize >= nn)) {
                return Err(format!(
                    "mesh2 face {i}: normal index {bad} out of range (have {nn})"
                ));
            }
            let p = v.map(|k| b.mesh.vertices[k as usize]);
            if degenerate(&p) {
                continue;
            }
            b.mesh.triangles.push(MeshTriangle {
                vertices: v,
                normals,
                texture: tex,
                uvs: uv_of(i, v),
            });
        }
        Ok(())
    }
}

/// How a mesh2's faces find their uv coordinates, as POV-Ray decides: by
/// `uv_indices` when given (checked here), else like the vertices when there
/// are as many `uv_vectors` as `vertex_vectors`, else all at the one uv given.
/// More uv_vectors without uv_indices is POV-Ray's error.
fn mesh2_uv_indices(
    mesh: &Mesh,
    faces: &[([u32; 3], Option<u32>)],
    uv_indices: Option<Vec<[u32; 3]>>,
) -> std::result::Result<impl Fn(usize, [u32; 3]) -> Option<[u32; 3]>, String> {
    let (nu, nv) = (mesh.uvs.len(), mesh.vertices.len());
    if let Some(ui) = &uv_indices {
        if ui.len() != faces.len() {
            return Err(format!(
                "mesh2 has {} uv_indices for {} face_indices",
                ui.len(),
                faces.len()
            ));
        }
        if let Some((i, bad)) = ui
            .iter()
            .enumerate()
            .find_map(|(i, t)| t.iter().find(|&&k| k as usize >= nu).map(|&k| (i, k)))
        {
            return Err(format!(
                "mesh2 face {i}: uv index {bad} out of range (have {nu})"
            ));
        }
    } else if nu > 1 && nu != nv {
        return Err(format!(
            "mesh2 has {nu} uv_vectors for {nv} vertex_vectors but no uv_indices"
        ));
    }
    Ok(move |i: usize, v: [u32; 3]| match &uv_indices {
        Some(ui) => Some(ui[i]),
        None if nu == 0 => None,
        None if nu == nv => Some(v),
        None => Some([0; 3]),
    })
}

/// Moves the textures a shape holds itself (blob components', mesh triangles')
/// with the object, as POV-Ray transforms them with it.
pub(crate) fn transform_shape_textures(shape: &mut Shape, t: &Transform) {
    let move_tex = |tex: &mut Texture| super::textures::transform_texture(tex, t);
    match shape {
        Shape::Blob(b) => b
            .components
            .iter_mut()
            .filter_map(|c| c.texture.as_mut())
            .for_each(move_tex),
        Shape::Mesh { textures, .. } => textures.iter_mut().for_each(move_tex),
        Shape::Sphere { .. }
        | Shape::Plane { .. }
        | Shape::Box { .. }
        | Shape::Cylinder { .. }
        | Shape::Cone { .. }
        | Shape::Disc { .. }
        | Shape::Triangle { .. }
        | Shape::Torus { .. }
        | Shape::Quadric { .. }
        | Shape::Poly { .. }
        | Shape::Superellipsoid { .. }
        | Shape::HeightField(_)
        | Shape::JuliaFractal(_)
        | Shape::BicubicPatch(_)
        | Shape::SphereSweep(_)
        | Shape::Ovus(_)
        | Shape::Parametric(_)
        | Shape::Isosurface(_)
        | Shape::Prism(_)
        | Shape::Lathe(_)
        | Shape::Sor(_)
        | Shape::Polygon(_)
        | Shape::Glyph(_)
        | Shape::Csg { .. } => {}
    }
}
