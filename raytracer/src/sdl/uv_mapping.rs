//! `uv_mapping`: marks a pigment's, normal's or texture's patterns to be
//! evaluated at the hit's surface uv (`pattern::Pattern::uv_mapping`).
//!
//! POV-Ray reads `uv_mapping` in a block as "the rest of this block is a new
//! pattern evaluated at <u, v, 0>": the transforms written after it move the
//! pattern in uv space, while the transforms applied to the object later reach
//! only the outer uv pattern, which ignores them. So a block is marked once it
//! is read, and [`is_uv_pigment`] and friends tell `sdl::textures` which parts
//! an object's transforms must leave alone. An object's own `uv_mapping`
//! (before its texture) marks the textures it is given the same way.

use crate::desc::{Normal, Pigment, PigmentKind, Texture};

/// Marks a pigment's pattern (a solid colour is the same at every uv).
pub(crate) fn uv_map_pigment(p: &mut Pigment) {
    match &mut p.kind {
        PigmentKind::ColourMap { pattern, .. }
        | PigmentKind::PigmentMap { pattern, .. }
        | PigmentKind::ImageMap(pattern) => pattern.uv_mapping = true,
        PigmentKind::Solid(_) => {}
    }
}

/// Marks a normal's pattern.
pub(crate) fn uv_map_normal(n: &mut Normal) {
    n.pattern.uv_mapping = true;
}

/// Marks every pattern a texture evaluates at the hit point: each layer's
/// pigment and normal, a map's pattern and, since a texture map's entries see
/// the same point, every entry's.
pub(crate) fn uv_map_texture(t: &mut Texture) {
    match t {
        Texture::Plain(l) => uv_map_layer(l),
        Texture::Layered(ls) => ls.iter_mut().for_each(uv_map_layer),
        Texture::Map { pattern, map, .. } => {
            pattern.uv_mapping = true;
            map.iter_mut().for_each(|e| uv_map_texture(&mut e.item));
        }
    }
}

fn uv_map_layer(l: &mut crate::desc::Layer) {
    uv_map_pigment(&mut l.pigment);
    if let Some(n) = l.normal.as_mut() {
        uv_map_normal(n);
    }
}

/// An object's `uv_mapping`: marks its textures (again, harmlessly, after
/// each modifier that may have given it one).
pub(crate) fn uv_map_object(obj: &mut crate::desc::Object) {
    if let Some(t) = obj.texture.as_mut() {
        uv_map_texture(t);
    }
    if let Some(t) = obj.interior_texture.as_mut() {
        uv_map_texture(t);
    }
}

/// Whether a pigment is uv-mapped (object transforms leave it alone).
pub(crate) fn is_uv_pigment(p: &Pigment) -> bool {
    match &p.kind {
        PigmentKind::ColourMap { pattern, .. }
        | PigmentKind::PigmentMap { pattern, .. }
        | PigmentKind::ImageMap(pattern) => pattern.uv_mapping,
        PigmentKind::Solid(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desc::{Layer, MapEntry, Transform};
    use crate::pattern::{Pattern, PatternKind};

    #[test]
    fn a_texture_map_marks_its_entries() {
        let layer = Layer {
            pigment: Pigment {
                kind: PigmentKind::ColourMap {
                    pattern: Pattern::new(PatternKind::Bozo),
                    map: Vec::new(),
                },
                transform: Transform::IDENTITY,
            },
            ..Layer::default()
        };
        let mut t = Texture::Map {
            pattern: Pattern::new(PatternKind::Bozo),
            transform: Transform::IDENTITY,
            map: vec![MapEntry {
                value: 0.0,
                item: Texture::Plain(layer),
            }],
        };
        uv_map_texture(&mut t);
        let Texture::Map { pattern, map, .. } = &t else {
            unreachable!()
        };
        assert!(pattern.uv_mapping);
        let Texture::Plain(l) = &map[0].item else {
            unreachable!()
        };
        assert!(is_uv_pigment(&l.pigment));
    }
}
