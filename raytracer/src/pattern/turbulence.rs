//! Classic turbulence: fractal sums of noise over `octaves`, each octave scaled
//! in frequency by `lambda` and in amplitude by `omega`, as POV-Ray 3.7 sums them.

use glam::DVec3;

use super::noise::{dnoise, dnoise_x, noise};
use super::{NoiseGenerator, Turbulence};

/// One octave of scalar noise as turbulence uses it: generators 2 and 3 are
/// re-centred (`2n - 0.5`) so that their wider range averages like generator 1.
#[inline(always)]
fn octave(p: DVec3, gen: NoiseGenerator) -> f64 {
    match gen {
        NoiseGenerator::Original => noise(p, gen),
        _ => 2.0 * noise(p, gen) - 0.5,
    }
}

/// Scalar turbulence at `p` (used by marble, agate and spiral-like patterns).
///
/// Only the first octave is clamped to `[0, 1]` for generators 2 and 3, exactly as
/// POV-Ray does; the sum is not normalised.
pub fn turbulence(p: DVec3, t: &Turbulence, gen: NoiseGenerator) -> f64 {
    let mut value = match gen {
        NoiseGenerator::Original => noise(p, gen),
        _ => octave(p, gen).clamp(0.0, 1.0),
    };
    let (mut l, mut o) = (t.lambda, t.omega);
    let octaves = t.octaves.clamp(1, 10);
    for i in 2..=octaves {
        value += o * octave(p * l, gen);
        if i < octaves {
            l *= t.lambda;
            o *= t.omega;
        }
    }
    value
}

/// Vector turbulence at `p`: the displacement direction of classic turbulence
/// (multiplied per axis by the turbulence amount by the caller). `DNoise` has a
/// single generator, so this does not depend on `noise_generator`.
pub fn dturbulence(p: DVec3, t: &Turbulence) -> DVec3 {
    let mut result = dnoise(p);
    let (mut l, mut o) = (t.lambda, t.omega);
    let octaves = t.octaves.clamp(1, 10);
    for i in 2..=octaves {
        let v = dnoise(p * l);
        result.x += o * v.x;
        result.y += o * v.y;
        result.z += o * v.z;
        if i < octaves {
            l *= t.lambda;
            o *= t.omega;
        }
    }
    result
}

/// The x component of [`dturbulence`] alone, with the same arithmetic.
pub fn dturbulence_x(p: DVec3, t: &Turbulence) -> f64 {
    let mut result = dnoise_x(p);
    let (mut l, mut o) = (t.lambda, t.omega);
    let octaves = t.octaves.clamp(1, 10);
    for i in 2..=octaves {
        result += o * dnoise_x(p * l);
        if i < octaves {
            l *= t.lambda;
            o *= t.omega;
        }
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dturbulence_x_is_the_x_of_dturbulence() {
        let mut t = Turbulence::new(DVec3::splat(1.65));
        for octaves in [1, 2, 7, 10] {
            t.octaves = octaves;
            for i in 0..500 {
                let f = f64::from(i);
                let p = DVec3::new(f * 0.37 - 90.0, 3.0 - f * 0.19, f * 0.053);
                assert_eq!(
                    dturbulence_x(p, &t).to_bits(),
                    dturbulence(p, &t).x.to_bits()
                );
            }
        }
    }
}
