//! The colour map POV-Ray 3.7 gives a pattern written without one: most patterns
//! run from black to white, a few have colours of their own (agate, bozo, brick,
//! checker, hexagon, marble, radial, wood, mandel).
//!
//! Discrete patterns (checker, hexagon, brick) use entry `i` for index `i`, so
//! their default entries are the colours in index order.

use crate::desc::{Colour, ColourMap, MapEntry};
use crate::pattern::fractal::FractalSet;
use crate::pattern::PatternKind;

/// POV-Ray's default colour map for `kind`.
pub(crate) fn default_colour_map(kind: &PatternKind) -> ColourMap {
    let entries: &[(f64, [f64; 3])] = match kind {
        PatternKind::Agate { .. } => &[
            (0.0, [1.0, 1.0, 1.0]),
            (0.5, [0.95, 0.75, 0.5]),
            (0.5, [0.9, 0.7, 0.5]),
            (0.6, [0.9, 0.7, 0.4]),
            (0.6, [1.0, 0.7, 0.4]),
            (1.0, [0.6, 0.3, 0.0]),
        ],
        PatternKind::Bozo => &[
            (0.4, [1.0, 1.0, 1.0]),
            (0.4, [0.0, 1.0, 0.0]),
            (0.6, [0.0, 1.0, 0.0]),
            (0.6, [0.0, 0.0, 1.0]),
            (0.8, [0.0, 0.0, 1.0]),
            (0.8, [1.0, 0.0, 0.0]),
        ],
        PatternKind::Brick { .. } => &[(0.0, [0.5, 0.5, 0.5]), (1.0, [0.6, 0.15, 0.15])],
        PatternKind::Checker | PatternKind::Object(_) => {
            &[(0.0, [0.0, 0.0, 1.0]), (1.0, [0.0, 1.0, 0.0])]
        }
        PatternKind::Hexagon => &[
            (0.0, [0.0, 0.0, 1.0]),
            (1.0, [0.0, 1.0, 0.0]),
            (2.0, [1.0, 0.0, 0.0]),
        ],
        PatternKind::Marble => &[
            (0.0, [0.9, 0.8, 0.8]),
            (0.9, [0.9, 0.08, 0.08]),
            (0.9, [0.0, 0.0, 0.0]),
        ],
        PatternKind::Radial => &[
            (0.0, [0.0, 1.0, 1.0]),
            (0.333, [1.0, 1.0, 0.0]),
            (0.666, [1.0, 0.0, 1.0]),
            (1.0, [0.0, 1.0, 1.0]),
        ],
        PatternKind::Wood => &[(0.6, [0.666, 0.312, 0.2]), (0.6, [0.4, 0.1333, 0.066])],
        PatternKind::Mandel(f) if f.set == FractalSet::Mandel => &[
            (0.001, [0.0, 0.0, 0.0]),
            (0.001, [0.0, 1.0, 1.0]),
            (0.012, [1.0, 1.0, 0.0]),
            (0.015, [1.0, 0.0, 1.0]),
            (0.1, [0.0, 1.0, 1.0]),
        ],
        PatternKind::Mandel(_)
        | PatternKind::Gradient { .. }
        | PatternKind::Spotted
        | PatternKind::Granite
        | PatternKind::Leopard
        | PatternKind::Onion
        | PatternKind::Ripples
        | PatternKind::Waves
        | PatternKind::Bumps
        | PatternKind::Wrinkles
        | PatternKind::Dents
        | PatternKind::Crackle(_)
        | PatternKind::Spherical
        | PatternKind::Cylindrical
        | PatternKind::Boxed
        | PatternKind::Planar
        | PatternKind::Cells
        | PatternKind::Quilted { .. }
        | PatternKind::Spiral1 { .. }
        | PatternKind::Spiral2 { .. }
        | PatternKind::Function(_)
        | PatternKind::Slope(_)
        | PatternKind::Aoi
        | PatternKind::Tiling(_)
        | PatternKind::Pavement(_)
        | PatternKind::Facets(_)
        | PatternKind::Average
        | PatternKind::ImageMap(_)
        | PatternKind::ImagePattern(_)
        | PatternKind::DensityFile(_) => &[(0.0, [0.0, 0.0, 0.0]), (1.0, [1.0, 1.0, 1.0])],
    };
    entries
        .iter()
        .map(|&(value, [r, g, b])| MapEntry {
            value,
            item: Colour::rgb(r, g, b),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discrete_defaults_have_one_colour_per_index() {
        for kind in [
            PatternKind::Checker,
            PatternKind::Hexagon,
            PatternKind::default_brick(),
        ] {
            let map = default_colour_map(&kind);
            assert_eq!(map.len(), kind.colour_count(), "{kind:?}");
        }
    }

    #[test]
    fn maps_are_sorted() {
        for kind in [PatternKind::Bozo, PatternKind::Marble, PatternKind::Wood] {
            let map = default_colour_map(&kind);
            assert!(map.windows(2).all(|w| w[0].value <= w[1].value));
        }
    }
}
