//! `text { ttf "font" "string" thickness, offset }`: TrueType glyphs laid out as
//! POV-Ray 3.7 lays them out, each an extruded outline (a child of a union).
//!
//! Fonts are found like include files (the scene's folder, then the include paths)
//! and read through the parser's [`super::Loader`], so the bytes are recorded and
//! reach distributed slaves with the scene.

use std::rc::Rc;

use glam::{DVec2, DVec3};
use ttf_parser::{cmap, Face, GlyphId, OutlineBuilder};

use super::error::Result;
use super::loader::candidates;
use super::parser::Parser;
use super::DataFile;
use crate::desc::{CsgOp, Glyph, GlyphSegment, Object, Shape, Transform};

/// A font file's bytes, checked to parse.
#[derive(Debug)]
pub(crate) struct Font {
    data: Vec<u8>,
}

impl Parser<'_> {
    /// The text object after its `{` (modifiers not read): a union of glyphs.
    pub(crate) fn text_object(&mut self) -> Result<Option<Object>> {
        if !self.accept_word("ttf")? {
            let t = self.next()?;
            return Err(self.expected("'ttf' and a font file name", t.as_ref()));
        }
        let font_name = self.string_expr()?;
        let font = self.font(&font_name)?;
        self.comma()?;
        let text = self.string_expr()?;
        self.comma()?;
        let thickness = self.float_expr()?;
        self.comma()?;
        let offset = self.vector_expr()?;
        let face = Face::parse(&font.data, 0)
            .map_err(|e| self.err(format!("font '{font_name}' cannot be read: {e}")))?;
        let glyphs = layout(&face, &text, thickness, offset);
        self.charge_objects(glyphs.len() as u64)?;
        let children = glyphs
            .into_iter()
            .map(|(glyph, at)| {
                let mut o = Object::new(Shape::Glyph(Box::new(glyph)));
                o.transform = Transform::translate(at);
                o
            })
            .collect();
        Ok(Some(Object::new(Shape::Csg {
            op: CsgOp::Union,
            children,
        })))
    }

    /// The folder of the file being read (fonts are looked for there first).
    fn current_dir(&self) -> Option<String> {
        self.frames
            .last()
            .and_then(|f| self.files.get(f.file))
            .map(|f| f.dir.clone())
    }

    /// The font `name`, searched as include files are, read once per parse.
    fn font(&mut self, name: &str) -> Result<Rc<Font>> {
        let dir = self.current_dir();
        let mut names = candidates(name, dir.as_deref(), &self.opts.include_paths);
        if !name.to_ascii_lowercase().ends_with(".ttf") {
            // POV-Ray also tries the name with the font extension added.
            let with_ext = format!("{name}.ttf");
            names.extend(candidates(
                &with_ext,
                dir.as_deref(),
                &self.opts.include_paths,
            ));
        }
        for c in names {
            if let Some(f) = self.fonts.get(&c) {
                return Ok(Rc::clone(f));
            }
            let bytes = match self.loader.read_bytes(&c) {
                Ok(Some(b)) => b,
                Ok(None) => continue,
                Err(e) => return Err(self.err(format!("cannot read font file '{c}': {e}"))),
            };
            if let Err(e) = Face::parse(&bytes, 0) {
                return Err(self.err(format!("'{c}' is not a TrueType font: {e}")));
            }
            self.recorded_data.push(DataFile {
                name: c.clone(),
                bytes: bytes.clone(),
            });
            let font = Rc::new(Font { data: bytes });
            self.fonts.insert(c, Rc::clone(&font));
            return Ok(font);
        }
        Err(self.err(format!(
            "cannot find font file '{name}' (searched the scene's folder and the include paths)"
        )))
    }
}

/// The glyphs of `text` and where each goes, as POV-Ray 3.7's `ProcessNewTTF`
/// places them: the first glyph's left edge at the origin, each next one after the
/// previous advance plus kerning, and `offset` added after every character.
pub(crate) fn layout(face: &Face, text: &str, depth: f64, offset: DVec3) -> Vec<(Glyph, DVec3)> {
    let funit = 1.0 / f64::from(face.units_per_em().max(1));
    let map = CharMap::new(face);
    let mut out = Vec::new();
    let mut total = DVec3::ZERO;
    let mut last = GlyphId(0);
    for (i, c) in text.chars().enumerate() {
        let id = map.glyph(c as u32);
        let glyph = glyph(face, id, c, depth, funit);
        let advance = f64::from(face.glyph_hor_advance(id).unwrap_or(0));
        let lsb = f64::from(face.glyph_hor_side_bearing(id).unwrap_or(0));
        let x_min = glyph.min.x / funit;
        let at = if i == 0 {
            let at = DVec3::new(-x_min * funit, 0.0, 0.0);
            total = DVec3::new((advance - lsb) * funit, 0.0, 0.0);
            at
        } else {
            let (kx, ky) = kerning(face, last, id);
            let at = DVec3::new(
                total.x + (lsb - x_min + kx) * funit,
                total.y + ky * funit,
                total.z,
            );
            total.x += (advance + kx) * funit;
            at
        };
        total += offset;
        last = id;
        if !glyph.segments.is_empty() {
            out.push((glyph, at));
        }
    }
    out
}

/// POV-Ray's character map choice for plain (ASCII) strings: the first table of
/// a format it reads (0, 4 or 6) on the platforms Macintosh, Windows, Unicode, in
/// that order; symbol fonts are also searched at U+F000 + code.
struct CharMap<'a> {
    table: Option<cmap::Subtable<'a>>,
}

impl<'a> CharMap<'a> {
    fn new(face: &Face<'a>) -> CharMap<'a> {
        use ttf_parser::PlatformId;
        let table = face.tables().cmap.and_then(|cmap| {
            [
                PlatformId::Macintosh,
                PlatformId::Windows,
                PlatformId::Unicode,
            ]
            .into_iter()
            .find_map(|platform| {
                cmap.subtables.into_iter().find(|s| {
                    s.platform_id == platform
                        && matches!(
                            s.format,
                            cmap::Format::ByteEncodingTable(_)
                                | cmap::Format::SegmentMappingToDeltaValues(_)
                                | cmap::Format::TrimmedTableMapping(_)
                        )
                })
            })
        });
        CharMap { table }
    }

    /// The glyph for character code `c` (0, the missing glyph, if none).
    fn glyph(&self, c: u32) -> GlyphId {
        let Some(t) = &self.table else {
            return GlyphId(0);
        };
        let found = t.glyph_index(c).filter(|g| g.0 != 0);
        let symbol = matches!(t.format, cmap::Format::SegmentMappingToDeltaValues(_)) && c < 0x100;
        found
            .or_else(|| symbol.then(|| t.glyph_index(c + 0xF000)).flatten())
            .unwrap_or(GlyphId(0))
    }
}

/// Horizontal and cross-stream kerning (font units) between two glyphs, from the
/// `kern` table as POV-Ray reads it; the horizontal value is at least -1 em.
fn kerning(face: &Face, left: GlyphId, right: GlyphId) -> (f64, f64) {
    let (mut x, mut y) = (0.0, 0.0);
    if let Some(kern) = face.tables().kern {
        for s in kern.subtables {
            if !s.horizontal {
                continue;
            }
            if let Some(v) = s.glyphs_kerning(left, right) {
                if s.has_cross_stream {
                    y += f64::from(v);
                } else {
                    x += f64::from(v);
                }
            }
        }
    }
    let em = f64::from(face.units_per_em());
    (f64::max(x, -em), f64::max(y, -em))
}

/// The outline of glyph `id` in em units. A space has no outline and a zero box,
/// as in POV-Ray; other glyphs' boxes are the glyph header's widened to every
/// outline point.
fn glyph(face: &Face, id: GlyphId, c: char, depth: f64, funit: f64) -> Glyph {
    let mut b = Collect::new(funit);
    let mut min = DVec2::ZERO;
    let mut max = DVec2::ZERO;
    if c != ' ' {
        face.outline_glyph(id, &mut b);
        b.close();
        let header = face.tables().glyf.and_then(|g| g.bbox(id));
        if let Some(h) = header {
            min = DVec2::new(f64::from(h.x_min), f64::from(h.y_min)) * funit;
            max = DVec2::new(f64::from(h.x_max), f64::from(h.y_max)) * funit;
            min = min.min(b.min);
            max = max.max(b.max);
        } else if !b.segments.is_empty() {
            (min, max) = (b.min, b.max);
        }
    }
    Glyph {
        segments: b.segments,
        depth,
        min,
        max,
    }
}

/// Collects a glyph outline as segments in em units.
struct Collect {
    funit: f64,
    segments: Vec<GlyphSegment>,
    start: DVec2,
    at: DVec2,
    min: DVec2,
    max: DVec2,
}

impl Collect {
    fn new(funit: f64) -> Collect {
        Collect {
            funit,
            segments: Vec::new(),
            start: DVec2::ZERO,
            at: DVec2::ZERO,
            min: DVec2::splat(f64::INFINITY),
            max: DVec2::splat(f64::NEG_INFINITY),
        }
    }

    fn point(&mut self, x: f32, y: f32) -> DVec2 {
        let p = DVec2::new(f64::from(x), f64::from(y)) * self.funit;
        self.min = self.min.min(p);
        self.max = self.max.max(p);
        p
    }
}

impl OutlineBuilder for Collect {
    fn move_to(&mut self, x: f32, y: f32) {
        self.close();
        self.start = self.point(x, y);
        self.at = self.start;
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let p = self.point(x, y);
        if p != self.at {
            self.segments.push(GlyphSegment::Line(self.at, p));
        }
        self.at = p;
    }

    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let c = self.point(x1, y1);
        let p = self.point(x, y);
        self.segments.push(GlyphSegment::Quad(self.at, c, p));
        self.at = p;
    }

    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let c1 = self.point(x1, y1);
        let c2 = self.point(x2, y2);
        let p = self.point(x, y);
        self.segments.push(GlyphSegment::Cubic(self.at, c1, c2, p));
        self.at = p;
    }

    /// Closes the contour with a straight edge back to its start if it is open.
    fn close(&mut self) {
        if self.at != self.start {
            self.segments.push(GlyphSegment::Line(self.at, self.start));
            self.at = self.start;
        }
    }
}
