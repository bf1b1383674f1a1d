//! The solid of an `object { }` pattern: the pattern is 1 inside it, 0 outside.
//!
//! The pattern module knows nothing of shapes; the scene language hands it any
//! [`Solid`] (there, the object built by the scene builder, CSG included), so a
//! pattern stays plain data that threads share.

use std::fmt;
use std::sync::Arc;

use glam::DVec3;

/// Something that can say whether a point is inside it.
pub trait Solid: Send + Sync {
    /// True if `p` (pattern space) is inside.
    fn inside(&self, p: DVec3) -> bool;
}

/// A shared [`Solid`]; two are equal only when they are the same one.
#[derive(Clone)]
pub struct SolidRef(pub Arc<dyn Solid>);

impl SolidRef {
    /// The object pattern's colour index: 1 inside, 0 outside.
    pub fn index(&self, p: DVec3) -> f64 {
        f64::from(u8::from(self.0.inside(p)))
    }
}

impl PartialEq for SolidRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for SolidRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("object")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Ball;
    impl Solid for Ball {
        fn inside(&self, p: DVec3) -> bool {
            p.length() < 1.0
        }
    }

    #[test]
    fn index_is_one_inside_and_zero_outside() {
        let s = SolidRef(Arc::new(Ball));
        assert_eq!(s.index(DVec3::ZERO), 1.0);
        assert_eq!(s.index(DVec3::X * 2.0), 0.0);
        assert_eq!(s.clone(), s);
        assert_ne!(s, SolidRef(Arc::new(Ball)));
    }
}
