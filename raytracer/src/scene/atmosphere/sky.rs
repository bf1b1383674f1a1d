//! The sky sphere and background: the colour of a ray that hits nothing.

use glam::{DAffine3, DVec3};

use crate::desc::{self, Colour};
use crate::pattern::NoiseGenerator;
use crate::scene::material::Pigment;

/// Sky-sphere pigments over the background.
#[derive(Debug)]
pub struct Sky {
    /// Pigments top first (the order they are composited in).
    pigments: Vec<Pigment>,
    emission: DVec3,
    /// World directions into sky space (the inverse of the sky's transforms).
    to_sky: DAffine3,
    background: DVec3,
    legacy: bool,
}

impl Sky {
    pub fn from_desc(
        s: Option<&desc::SkySphere>,
        background: Colour,
        gen: NoiseGenerator,
        legacy: bool,
    ) -> Sky {
        let background = background.rgb_vec();
        let Some(s) = s else {
            return Sky {
                pigments: Vec::new(),
                emission: DVec3::ONE,
                to_sky: DAffine3::IDENTITY,
                background,
                legacy,
            };
        };
        Sky {
            pigments: s
                .pigments
                .iter()
                .rev()
                .map(|p| Pigment::from_desc(p, gen))
                .collect(),
            emission: s.emission.rgb_vec(),
            to_sky: DAffine3::from_mat4(s.transform.inverse),
            background,
            legacy,
        }
    }

    /// The sky's colour in unit direction `dir`.
    pub fn colour(&self, dir: DVec3) -> DVec3 {
        if self.pigments.is_empty() {
            return self.background;
        }
        // POV-Ray carries the direction into sky space as a point: translations
        // of the sky sphere move the pattern.
        let p = self.to_sky.transform_point3(dir);
        if self.legacy {
            self.legacy_colour(p)
        } else {
            self.layered_colour(p)
        }
    }

    /// 3.7: the pigments and then the background composited like the layers of a
    /// texture, each seen through the light the ones above let through.
    fn layered_colour(&self, p: DVec3) -> DVec3 {
        let mut col = DVec3::ZERO;
        let mut filter = DVec3::ONE;
        for pigment in &self.pigments {
            let c = pigment.colour_at(p);
            let rgb = c.rgb_vec();
            col += rgb * (1.0 - c.f - c.t) * filter * self.emission;
            filter *= rgb * c.f + DVec3::splat(c.t);
        }
        col + self.background * filter
    }

    /// Before 3.7: opacity from the product of all five channels, emission applied
    /// to the pigments' sum, the background tinted by what is left.
    fn legacy_colour(&self, p: DVec3) -> DVec3 {
        let mut col = DVec3::ZERO;
        let mut filter = [1.0; 5];
        let mut trans = 1.0;
        for pigment in &self.pigments {
            let c = pigment.colour_at(p);
            col += c.rgb_vec() * (trans * (1.0 - c.f - c.t));
            let a = c.to_array();
            for (f, v) in filter.iter_mut().zip(a) {
                *f *= v;
            }
            trans = filter[3].abs() + filter[4].abs();
        }
        col *= self.emission;
        let through =
            DVec3::new(filter[0], filter[1], filter[2]) * filter[3] + DVec3::splat(filter[4]);
        col + self.background * through
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{PigmentKind, Transform};

    fn solid(c: Colour) -> desc::Pigment {
        desc::Pigment {
            kind: PigmentKind::Solid(c),
            transform: Transform::IDENTITY,
        }
    }

    fn sky(pigments: Vec<desc::Pigment>, background: Colour, legacy: bool) -> Sky {
        let s = desc::SkySphere {
            pigments,
            emission: Colour::WHITE,
            transform: Transform::IDENTITY,
        };
        Sky::from_desc(Some(&s), background, NoiseGenerator::default(), legacy)
    }

    #[test]
    fn no_sky_sphere_is_the_background() {
        let s = Sky::from_desc(
            None,
            Colour::rgb(0.1, 0.2, 0.3),
            NoiseGenerator::default(),
            false,
        );
        assert_eq!(s.colour(DVec3::Z), DVec3::new(0.1, 0.2, 0.3));
    }

    #[test]
    fn transmit_shows_the_background_through_the_sky() {
        let bg = Colour::rgb(0.0, 0.0, 1.0);
        let top = solid(Colour::rgbft(1.0, 0.0, 0.0, 0.0, 0.25));
        for legacy in [false, true] {
            let c = sky(vec![top.clone()], bg, legacy).colour(DVec3::Y);
            assert!((c - DVec3::new(0.75, 0.0, 0.25)).length() < 1e-12, "{c}");
        }
    }

    #[test]
    fn upper_pigment_covers_the_lower_one() {
        let bottom = solid(Colour::rgb(0.0, 1.0, 0.0));
        let top = solid(Colour::rgbft(1.0, 1.0, 1.0, 0.5, 0.0));
        let c = sky(vec![bottom, top], Colour::BLACK, false).colour(DVec3::X);
        // Half white, half the green seen through the white filter.
        assert!((c - DVec3::new(0.5, 1.0, 0.5)).length() < 1e-12, "{c}");
    }
}
