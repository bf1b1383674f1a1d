//! Parsing the outline shapes: `prism`, `lathe`, `sor`, `polygon` (and `text`, in
//! [`super::text`]). Point counts and closure are checked here, where a problem can
//! be reported at its line, with POV-Ray's errors and warnings.

use glam::{DVec2, DVec3};

use super::error::Result;
use super::parser::Parser;
use crate::desc::{Lathe, Polygon, Prism, Shape, Sor, SplineKind, Sweep};

/// POV-Ray's tolerance for "the same point" when closing outlines.
const EPSILON: f64 = 1e-10;

/// The keywords this module parses (after which comes `{`).
pub(crate) const OUTLINE_SHAPES: [&str; 5] = ["prism", "lathe", "sor", "polygon", "text"];

/// `sturm` on an outline shape; other shapes are left alone.
pub(crate) fn set_sturm(shape: &mut Shape, on: bool) {
    if let Shape::Prism(p) = shape {
        p.sturm = on;
    } else if let Shape::Lathe(l) = shape {
        l.sturm = on;
    } else if let Shape::Sor(s) = shape {
        s.sturm = on;
    }
}

/// `open` on an outline shape; other shapes are left alone.
pub(crate) fn set_open(shape: &mut Shape, on: bool) {
    if let Shape::Prism(p) = shape {
        p.open = on;
    } else if let Shape::Sor(s) = shape {
        s.open = on;
    }
}

fn same(a: DVec2, b: DVec2) -> bool {
    (a.x - b.x).abs() < EPSILON && (a.y - b.y).abs() < EPSILON
}

impl Parser<'_> {
    /// The shape of an outline keyword after its `{`; `None` when POV-Ray would
    /// ignore the object (with a warning given).
    pub(crate) fn outline_shape(&mut self, w: &str) -> Result<Option<Shape>> {
        Ok(match w {
            "prism" => self.prism()?.map(|p| Shape::Prism(Box::new(p))),
            "lathe" => Some(Shape::Lathe(Box::new(self.lathe()?))),
            "sor" => Some(Shape::Sor(Box::new(self.sor()?))),
            _ => Some(Shape::Polygon(Box::new(self.polygon()?))),
        })
    }

    /// A spline keyword, if one is next.
    fn spline_keyword(&mut self) -> Result<Option<SplineKind>> {
        for (word, kind) in [
            ("linear_spline", SplineKind::Linear),
            ("quadratic_spline", SplineKind::Quadratic),
            ("cubic_spline", SplineKind::Cubic),
            ("bezier_spline", SplineKind::Bezier),
        ] {
            if self.accept_word(word)? {
                return Ok(Some(kind));
            }
        }
        Ok(None)
    }

    /// `n` then `n` 2-D points, commas optional.
    fn uv_points(&mut self, n: usize) -> Result<Vec<DVec2>> {
        let mut pts = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            self.comma()?;
            let v = self.vector_expr()?;
            pts.push(DVec2::new(v.x, v.y));
        }
        Ok(pts)
    }

    /// A point count, which must be a sensible whole number.
    fn point_count(&mut self, what: &str) -> Result<usize> {
        let n = self.float_expr()?;
        if !(0.0..=1e7).contains(&n) {
            return Err(self.err(format!("{what}: {n} is not a valid number of points")));
        }
        Ok(n as usize)
    }

    fn prism(&mut self) -> Result<Option<Prism>> {
        let (mut spline, mut sweep) = (SplineKind::Linear, Sweep::Linear);
        loop {
            if let Some(k) = self.spline_keyword()? {
                spline = k;
            } else if self.accept_word("linear_sweep")? {
                sweep = Sweep::Linear;
            } else if self.accept_word("conic_sweep")? {
                sweep = Sweep::Conic;
            } else {
                break;
            }
        }
        let h1 = self.float_expr()?;
        self.comma()?;
        let h2 = self.float_expr()?;
        self.comma()?;
        let n = self.point_count("prism")?;
        let too_few = match spline {
            SplineKind::Linear if n < 3 => Some("linear splines must have at least three points"),
            SplineKind::Quadratic if n < 5 => {
                Some("quadratic splines must have at least five points")
            }
            SplineKind::Cubic if n < 6 => Some("cubic splines must have at least six points"),
            SplineKind::Bezier if n % 4 != 0 || n == 0 => {
                Some("Bezier splines must have four points per segment")
            }
            _ => None,
        };
        if let Some(why) = too_few {
            return Err(self.err(format!("prism with {why}")));
        }
        let mut points = self.uv_points(n)?;
        let open = self.accept_word("open")?;
        let here = self.here();
        match prism_closure(spline, &points) {
            Closure::Closed => {}
            Closure::OpenLinear(start) => {
                points.push(start);
                self.warn(format!("{here}: linear prism not closed; closing it"));
            }
            Closure::Open => {
                self.warn(format!("{here}: prism not closed; ignoring it"));
                return Ok(None);
            }
        }
        Ok(Some(Prism {
            spline,
            sweep,
            height1: h1.min(h2),
            height2: h1.max(h2),
            points,
            open,
            sturm: false,
        }))
    }

    fn lathe(&mut self) -> Result<Lathe> {
        let spline = self.spline_keyword()?.unwrap_or_default();
        let n = self.point_count("lathe")?;
        let min = match spline {
            SplineKind::Linear => 2,
            SplineKind::Quadratic => 3,
            SplineKind::Cubic => 4,
            SplineKind::Bezier => 4,
        };
        if n < min || (spline == SplineKind::Bezier && n % 4 != 0) {
            return Err(self.err(format!(
                "lathe with {spline:?} splines needs at least {min} points{}",
                if spline == SplineKind::Bezier {
                    ", four per segment"
                } else {
                    ""
                }
            )));
        }
        let points = self.uv_points(n)?;
        let interior = points.iter().skip(1).take(n.saturating_sub(2));
        if interior.into_iter().any(|p| p.x < 0.0) {
            return Err(self.err("incorrect point in lathe: a negative radius"));
        }
        Ok(Lathe {
            spline,
            points,
            sturm: false,
        })
    }

    fn sor(&mut self) -> Result<Sor> {
        let n = self.point_count("sor")?;
        if n < 4 {
            return Err(self.err("sor needs at least four points"));
        }
        let points = self.uv_points(n)?;
        let bad = points
            .iter()
            .enumerate()
            .any(|(i, p)| p.x < 0.0 || (i > 1 && i + 1 < n && p.y <= points[i - 1].y));
        if bad {
            return Err(self.err(
                "incorrect point in surface of revolution: radii must not be negative \
                 and heights must increase",
            ));
        }
        let open = self.accept_word("open")?;
        Ok(Sor {
            points,
            open,
            sturm: false,
        })
    }

    fn polygon(&mut self) -> Result<Polygon> {
        let n = self.point_count("polygon")?;
        if n < 3 {
            return Err(self.err("polygon needs at least three points"));
        }
        let mut points: Vec<DVec3> = Vec::with_capacity(n.min(1 << 16));
        for _ in 0..n {
            self.comma()?;
            points.push(self.vector_expr()?);
        }
        Ok(Polygon { points })
    }
}

/// Whether a prism's outline closes, as POV-Ray's parser decides it.
#[derive(Debug, PartialEq)]
enum Closure {
    Closed,
    /// A linear outline that does not end where it started: closed by adding this
    /// point (the start of its last sub-outline).
    OpenLinear(DVec2),
    /// Any other open outline: the prism is ignored.
    Open,
}

fn prism_closure(spline: SplineKind, pts: &[DVec2]) -> Closure {
    let n = pts.len();
    if spline == SplineKind::Bezier {
        // Each four-point segment must start where the previous ended, and each loop
        // end where it began.
        let mut loop_start = 0;
        let mut i = 4;
        while i < n {
            if !same(pts[i], pts[i - 1]) {
                if !same(pts[i - 1], pts[loop_start]) {
                    return Closure::Open;
                }
                loop_start = i;
            }
            i += 4;
        }
        return if n > 0 && same(pts[n - 1], pts[loop_start]) {
            Closure::Closed
        } else {
            Closure::Open
        };
    }
    let (mut i, mut start) = match spline {
        SplineKind::Linear => (1, pts[0]),
        _ => (2, pts[1]),
    };
    let mut closed = false;
    while i < n {
        closed = false;
        if same(start, pts[i]) {
            i += match spline {
                SplineKind::Linear => 1,
                SplineKind::Quadratic => 2,
                _ => 3,
            };
            if i < n {
                start = pts[i];
            }
            closed = true;
        }
        i += 1;
    }
    match (closed, spline) {
        (true, _) => Closure::Closed,
        (false, SplineKind::Linear) => Closure::OpenLinear(start),
        (false, _) => Closure::Open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(v: &[(f64, f64)]) -> Vec<DVec2> {
        v.iter().map(|&(x, y)| DVec2::new(x, y)).collect()
    }

    #[test]
    fn linear_outlines_close_on_their_first_point() {
        let square = pts(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]);
        assert_eq!(prism_closure(SplineKind::Linear, &square), Closure::Closed);
        let open = pts(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]);
        assert_eq!(
            prism_closure(SplineKind::Linear, &open),
            Closure::OpenLinear(DVec2::ZERO)
        );
    }

    #[test]
    fn bezier_segments_must_join() {
        let a = pts(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]);
        let mut closed = a.clone();
        closed.extend(pts(&[(0.0, 1.0), (-1.0, 1.0), (-1.0, 0.0), (0.0, 0.0)]));
        assert_eq!(prism_closure(SplineKind::Bezier, &closed), Closure::Closed);
        assert_eq!(prism_closure(SplineKind::Bezier, &a), Closure::Open);
    }
}
