//! `text { ttf "font" "string" thickness, offset }`: TrueType glyphs laid out as
//! POV-Ray 3.7 lays them out, each an extruded outline (a child of a union).
//!
//! Fonts are found like include files (the scene's folder, then the include paths)
//! and read through the parser's [`super::Loader`], so the bytes are recorded and
//! reach distributed slaves with the scene. POV-Ray's built-in fonts
//! (`internal N`) are the four it compiles in, which are also the font files its
//! include library ships; prender finds those files on the library path.

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
        let (font_name, font) = if self.accept_word("ttf")? {
            let name = self.string_expr()?;
            let font = self.font(&name)?;
            (name, font)
        } else if self.accept_word("internal")? {
            // POV-Ray truncates the number; anything but 1-3 is its logo font.
            let name = internal_font(self.float_expr()? as i64);
            let font = self.font(name).map_err(|e| {
                self.err(format!(
                    "POV-Ray's internal font is its {name}, which prender reads from the \
                     library path: {e}"
                ))
            })?;
            (name.to_string(), font)
        } else {
            let t = self.next()?;
            return Err(self.expected("'ttf' or 'internal'", t.as_ref()));
        };
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
        let mut union = Object::new(Shape::Csg {
            op: CsgOp::Union,
            children,
        });
        // POV-Ray turns every text a thousandth of a degree about each axis, so
        // that faces lying along an axis do not show cracks; the image shows it.
        union.transform = Transform::rotate(DVec3::splat(0.001));
        Ok(Some(union))
    }

    /// The folder of the file being read (fonts are looked for there first).
    fn current_dir(&self) -> Option<String> {
        self.frames
            .last()
            .and_then(|f| self.files.file(f.file))
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

/// The font file behind POV-Ray 3.7's `internal N`.
fn internal_font(n: i64) -> &'static str {
    match n {
        1 => "timrom.ttf",
        2 => "cyrvetic.ttf",
        3 => "crystal.ttf",
        _ => "povlogo.ttf",
    }
}

/// The glyphs of `text` and where each goes, as POV-Ray 3.7's `ProcessNewTTF`
/// places them: the first glyph's left edge at the origin, each next one after the
/// previous advance plus kerning, and `offset` added after every character.
pub(crate) fn layout(face: &Face, text: &str, depth: f64, offset: DVec3) -> Vec<(Glyph, DVec3)> {
    let funit = 1.0 / f64::from(face.units_per_em().max(1));
    let map = CharMap::new(face);
    let kern = KernTables::new(face);
    let em = f64::from(face.units_per_em());
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
            let (kx, ky) = kern.kerning(em, last, id);
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

const KERN_HORIZONTAL: u16 = 0x01;
const KERN_MINIMUM: u16 = 0x02;
const KERN_CROSS_STREAM: u16 = 0x04;
const KERN_OVERRIDE: u16 = 0x08;

/// A font's `kern` table as POV-Ray reads it: format 0 subtables, their pairs in
/// file order (fonts do not always sort them, and POV-Ray's lookup depends on the
/// order, so no binary search).
struct KernTables {
    /// The first subtable's coverage, which POV-Ray applies to every subtable.
    coverage: u16,
    tables: Vec<Vec<(u16, u16, i16)>>,
}

impl KernTables {
    fn new(face: &Face) -> KernTables {
        let mut k = KernTables {
            coverage: 0,
            tables: Vec::new(),
        };
        let Some(data) = face.raw_face().table(ttf_parser::Tag::from_bytes(b"kern")) else {
            return k;
        };
        let u16_at = |o: usize| data.get(o..o + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
        let count = u16_at(2).unwrap_or(0);
        let mut at = 4;
        for i in 0..count {
            let (Some(length), Some(coverage)) = (u16_at(at + 2), u16_at(at + 4)) else {
                break;
            };
            if i == 0 {
                k.coverage = coverage;
            }
            let mut pairs = Vec::new();
            if coverage >> 8 == 0 {
                let n = u16_at(at + 6).unwrap_or(0);
                for p in 0..usize::from(n) {
                    let o = at + 14 + 6 * p;
                    match (u16_at(o), u16_at(o + 2), u16_at(o + 4)) {
                        (Some(l), Some(r), Some(v)) => pairs.push((l, r, v as i16)),
                        _ => break,
                    }
                }
            }
            k.tables.push(pairs);
            at += usize::from(length.max(6));
        }
        k
    }

    /// Horizontal and cross-stream kerning (font units) between two glyphs, as
    /// POV-Ray 3.7 finds it: a linear scan of each subtable that stops at the first
    /// pair whose left glyph is past `left`; the values are at least -1 em.
    fn kerning(&self, em: f64, left: GlyphId, right: GlyphId) -> (f64, f64) {
        let (mut x, mut y) = (0.0, 0.0);
        let (mut min_x, mut min_y) = (-em, -em);
        let c = self.coverage;
        if c & KERN_HORIZONTAL != 0 {
            for pairs in &self.tables {
                for &(l, r, v) in pairs {
                    if l == left.0 && r == right.0 {
                        let v = f64::from(v);
                        match (c & KERN_MINIMUM != 0, c & KERN_CROSS_STREAM != 0) {
                            (true, true) => min_y = v,
                            (true, false) => min_x = v,
                            (false, true) if v == f64::from(i16::MIN) => y = 0.0,
                            (false, true) if c & KERN_OVERRIDE != 0 => y = v,
                            (false, true) => y += v,
                            (false, false) if c & KERN_OVERRIDE != 0 => x = v,
                            (false, false) => x += v,
                        }
                        break;
                    }
                    if l > left.0 {
                        break;
                    }
                }
            }
        }
        (f64::max(x, min_x), f64::max(y, min_y))
    }
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
