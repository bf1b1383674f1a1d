//! Shapes defined by a 2-D outline: `prism`, `lathe`, `sor`, `polygon`, and the
//! glyphs of `text`. Kept as written (points, spline kind, flags); the scene builder
//! turns them into spline segments.

use glam::{DVec2, DVec3};

/// How a prism's or lathe's points are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SplineKind {
    /// Straight segments between consecutive points.
    #[default]
    Linear,
    /// Each segment through points i+1, i+2 with i, i+2 shaping it.
    Quadratic,
    /// Catmull-Rom segments between points i+1, i+2 (i, i+3 are control points).
    Cubic,
    /// Four points per segment: end, control, control, end.
    Bezier,
}

/// How a prism's outline is swept.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Sweep {
    /// Straight up between the two heights.
    #[default]
    Linear,
    /// Scaled from the origin (an apex at y = 0) through the outline at y = 1.
    Conic,
}

/// `prism { [sweep] [spline] height1, height2, n, <points...> [open] [sturm] }`.
#[derive(Clone, Debug, PartialEq)]
pub struct Prism {
    /// How points are joined.
    pub spline: SplineKind,
    /// How the outline is swept.
    pub sweep: Sweep,
    /// Lower height (the parser orders the two).
    pub height1: f64,
    /// Upper height.
    pub height2: f64,
    /// The outline in the x-z plane (u = x, v = z), closed.
    pub points: Vec<DVec2>,
    /// No caps.
    pub open: bool,
    /// `sturm` requested.
    pub sturm: bool,
}

/// `lathe { [spline] n, <points...> [sturm] }`: the curve in the x-y plane spun about y.
#[derive(Clone, Debug, PartialEq)]
pub struct Lathe {
    /// How points are joined.
    pub spline: SplineKind,
    /// (radius, height) points.
    pub points: Vec<DVec2>,
    /// `sturm` requested.
    pub sturm: bool,
}

/// `sor { n, <points...> [open] [sturm] }`: a surface of revolution through the points.
#[derive(Clone, Debug, PartialEq)]
pub struct Sor {
    /// (radius, height) points, the first and last being control points.
    pub points: Vec<DVec2>,
    /// No caps.
    pub open: bool,
    /// `sturm` requested.
    pub sturm: bool,
}

/// `polygon { n, <points...> }`: flat, in one plane, sub-polygons closed by repeating
/// their first point.
#[derive(Clone, Debug, PartialEq)]
pub struct Polygon {
    /// The points as written.
    pub points: Vec<DVec3>,
}

/// One piece of a glyph's outline, in em units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GlyphSegment {
    /// A straight edge.
    Line(DVec2, DVec2),
    /// A quadratic Bézier: start, control, end (TrueType outlines).
    Quad(DVec2, DVec2, DVec2),
    /// A cubic Bézier: start, two controls, end (CFF outlines).
    Cubic(DVec2, DVec2, DVec2, DVec2),
}

/// One character of a `text` object: its outline extruded from z = 0 to `depth`
/// (in the glyph's own space; the object's transform places it in the string).
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// The outline, every contour closed; inside is decided by crossings.
    pub segments: Vec<GlyphSegment>,
    /// Extrusion depth (the text's thickness).
    pub depth: f64,
    /// The glyph's box in em units: (x min, y min), (x max, y max).
    pub min: DVec2,
    /// See `min`.
    pub max: DVec2,
}
