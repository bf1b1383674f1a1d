//! Which objects photons are shot at, found while the scene is built: each
//! object's `photons { }` flags on every primitive of it, and the photon targets
//! with their world bounds. The photon pass (`render::photons`) shoots at them.

use crate::desc;
use crate::scene::geometry::Aabb;
use crate::scene::object::ObjectKind;
use crate::scene::{light_group, Object};

/// An object's photon flags on every primitive of it (a CSG's pass to children).
#[derive(Clone, Debug, PartialEq)]
pub struct PhotonFlags {
    /// The photon target this primitive is part of (an index into
    /// [`PhotonTargets`]), when its top-level object is a target.
    pub group: Option<u32>,
    /// `target`'s spacing multiplier.
    pub target: Option<f64>,
    pub refraction: Option<bool>,
    pub reflection: Option<bool>,
    pub collect: bool,
    pub pass_through: bool,
}

impl Default for PhotonFlags {
    fn default() -> Self {
        Self::from_desc(&desc::ObjectPhotons::default())
    }
}

impl PhotonFlags {
    pub fn from_desc(p: &desc::ObjectPhotons) -> Self {
        PhotonFlags {
            group: None,
            target: p.target,
            refraction: p.refraction,
            reflection: p.reflection,
            collect: p.collect,
            pass_through: p.pass_through,
        }
    }

    /// Whether photons from a light with `light`'s setting refract (or reflect,
    /// given those flags) here: on for one of the two and off for neither.
    pub fn enabled(object: Option<bool>, light: Option<bool>) -> bool {
        (object == Some(true) && light != Some(false))
            || (object != Some(false) && light == Some(true))
    }

    /// POV-Ray's full shadow: a target that refracts this light's photons casts a
    /// black shadow, the photons bringing its light instead.
    pub fn blocks(&self, light: &desc::LightPhotons) -> bool {
        self.group.is_some()
            && self.refraction != Some(false)
            && light.refraction != Some(false)
            && (self.refraction == Some(true) || light.refraction == Some(true))
    }
}

/// The objects photons are shot at: world bounds and spacing multiplier.
#[derive(Clone, Debug, Default)]
pub struct PhotonTargets {
    pub targets: Vec<Target>,
}

/// One photon target.
#[derive(Clone, Debug)]
pub struct Target {
    pub bounds: Aabb,
    pub flags: PhotonFlags,
    /// Whether the global lights shoot at it. POV-Ray 3.7 shoots photons from
    /// global lights only (a `light_group`'s lights shoot none), and none at a
    /// target that sees no global light, in a group without `global_lights
    /// on` (the outermost group deciding). Such a target still casts a
    /// target's full shadow.
    pub shot: bool,
}

impl PhotonTargets {
    /// Records `o` (a top-level object) if it is a target, marking its
    /// primitives as part of it; else the targets among its CSG children, as
    /// POV-Ray searches them. `groups` are the scene's `light_group`s.
    pub fn register(&mut self, o: &mut Object, groups: &[desc::LightGroup]) {
        self.register_in(o, None, groups);
    }

    /// `outer`: the outermost `light_group` `o` is in.
    fn register_in(&mut self, o: &mut Object, outer: Option<u32>, groups: &[desc::LightGroup]) {
        let outer = outer.or(o.light_group);
        if o.photons.target.is_none() {
            if let ObjectKind::Csg { children, .. } = &mut o.kind {
                for c in children {
                    self.register_in(c, outer, groups);
                }
            }
            return;
        }
        let Some(bounds) = o.bounds else {
            tracing::warn!("an unbounded photon target gets no photons");
            return;
        };
        let shot = light_group::lights(None, outer, groups);
        let id = self.targets.len() as u32;
        self.targets.push(Target {
            bounds,
            flags: o.photons.clone(),
            shot,
        });
        mark(o, id);
    }
}

fn mark(o: &mut Object, id: u32) {
    o.photons.group = Some(id);
    if let ObjectKind::Csg { children, .. } = &mut o.kind {
        for c in children {
            mark(c, id);
        }
    }
}
