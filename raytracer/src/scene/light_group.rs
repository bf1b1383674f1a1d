//! Which lights light which objects, as `light_group`s decide: a group's
//! lights light only the group's objects, and those see the global lights
//! only when the group says `global_lights on`. Shadows are not grouped:
//! every object may shade every light's rays, as in POV-Ray.

use crate::desc::LightGroup;

/// Whether a light of group `light` (`None`: a global light) lights a
/// surface of an object in group `object` (`None`: in no group).
#[inline]
pub fn lights(light: Option<u32>, object: Option<u32>, groups: &[LightGroup]) -> bool {
    match (light, object) {
        (None, None) => true,
        (None, Some(g)) => groups.get(g as usize).is_some_and(|g| g.global_lights),
        (Some(l), Some(g)) => l == g,
        (Some(_), None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_lights_stay_in_their_group() {
        let groups = [
            LightGroup {
                global_lights: false,
            },
            LightGroup {
                global_lights: true,
            },
        ];
        assert!(lights(None, None, &groups));
        assert!(!lights(None, Some(0), &groups));
        assert!(lights(None, Some(1), &groups));
        assert!(lights(Some(0), Some(0), &groups));
        assert!(!lights(Some(0), Some(1), &groups));
        assert!(!lights(Some(1), None, &groups));
    }
}
