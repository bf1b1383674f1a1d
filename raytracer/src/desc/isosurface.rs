//! `isosurface { }`: the surface where a function of the point crosses a threshold,
//! inside a containing box or sphere.

use glam::DVec3;

use crate::function::FunctionRef;

/// The shape an isosurface is searched in (`contained_by`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Container {
    /// `box { corner1, corner2 }` (default `<-1,-1,-1>, <1,1,1>`).
    Box { corner1: DVec3, corner2: DVec3 },
    /// `sphere { center, radius }`.
    Sphere { center: DVec3, radius: f64 },
}

/// An isosurface with POV-Ray 3.7's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Isosurface {
    /// The function of (x, y, z); inside is where it is below the threshold.
    pub function: FunctionRef,
    /// `contained_by`.
    pub container: Container,
    /// `threshold` (default 0).
    pub threshold: f64,
    /// `accuracy` (default 0.001).
    pub accuracy: f64,
    /// `max_gradient` (default 1.1).
    pub max_gradient: f64,
    /// `evaluate P0, P1, P2`: adapt the gradient bound as rays find steeper parts.
    pub evaluate: Option<[f64; 3]>,
    /// `max_trace` (default 1); `all_intersections` asks for every one.
    pub max_trace: u32,
    /// False with `open`: the container's surface is not part of the shape.
    pub closed: bool,
}

impl Isosurface {
    /// POV-Ray's defaults around `function`.
    pub fn new(function: FunctionRef) -> Self {
        Self {
            function,
            container: Container::Box {
                corner1: DVec3::splat(-1.0),
                corner2: DVec3::splat(1.0),
            },
            threshold: 0.0,
            accuracy: 0.001,
            max_gradient: 1.1,
            evaluate: None,
            max_trace: 1,
            closed: true,
        }
    }
}
