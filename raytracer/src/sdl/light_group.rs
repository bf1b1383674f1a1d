//! `light_group { objects and light_sources... [transforms] [global_lights b] }`.
//!
//! The group is a union of its objects; its lights are carried with it like a
//! CSG's lights, but marked with the group's number, and every object node
//! inside is marked too, so the renderer lights the group's objects with the
//! group's lights (and, with `global_lights on`, the scene's global lights)
//! and nothing else with them (`scene::light_group`).
//!
//! Groups nest as POV-Ray 3.7 nests them: an object in a group inside a group
//! is lit by the inner group's lights only (the outer lights reach the inner
//! group's union, not its members), unless the inner group has no lights or no
//! objects, when its objects are the outer group's; whether they also see the
//! global lights is decided by the outermost group's `global_lights`, which
//! POV-Ray writes down to every member at its end.

use super::error::Result;
use super::lexer::Tok;
use super::objects::{is_object_keyword, transform_item};
use super::parser::Parser;
use super::value::Item;
use crate::desc::{CsgOp, LightGroup, Object, Shape};

impl Parser<'_> {
    /// `light_group { ... }` (keyword read).
    pub(crate) fn light_group_block(&mut self) -> Result<Item> {
        self.expect("{")?;
        let id = self.scene.light_groups.len() as u32;
        self.scene.light_groups.push(LightGroup::default());
        let mut children = Vec::new();
        let mut lights = Vec::new();
        while let Some(w) = self.peek_word()? {
            if !is_object_keyword(&w) {
                break;
            }
            let t = self.need("an object or light_source")?;
            let child = self.item(&w, &t)?;
            lights.extend(child.lights);
            children.extend(child.object);
        }
        // Inner groups with lights keep their objects; one without lights
        // lights nothing of its own, and this group takes its objects over
        // (POV-Ray promotes no lights from it).
        let lit: Vec<u32> = lights.iter().filter_map(|l| l.group).collect();
        for c in &mut children {
            mark_objects(c, id, &lit);
        }
        for l in &mut lights {
            l.group.get_or_insert(id);
        }
        let mut item = Item {
            object: Some(Object::new(Shape::Csg {
                op: CsgOp::Union,
                children,
            })),
            lights,
        };
        self.light_group_modifiers(&mut item, id)?;
        // The outermost group's `global_lights` reaches every member.
        let global = self.scene.light_groups[id as usize].global_lights;
        if let Some(o) = &item.object {
            let mut inner = Vec::new();
            nested_groups(o, id, &mut inner);
            for g in inner {
                self.scene.light_groups[g as usize].global_lights = global;
            }
        }
        Ok(item)
    }

    /// What may follow a group's members: transforms, `global_lights`, and
    /// `photons { }` (read and left to the members), up to the closing `}`.
    fn light_group_modifiers(&mut self, item: &mut Item, id: u32) -> Result<()> {
        loop {
            let t = self.need("a light_group modifier or '}'")?;
            let w = match &t.tok {
                Tok::Punct("}") => return Ok(()),
                Tok::Word(w) => w.clone(),
                _ => return Err(self.expected("a light_group modifier or '}'", Some(&t))),
            };
            if let Some(tr) = self.transform_modifier(&w)? {
                transform_item(item, &tr);
            } else if w.as_str() == "global_lights" {
                let on = self.optional_bool()?;
                self.scene.light_groups[id as usize].global_lights = on;
            } else if w.as_str() == "photons" {
                // The group is a union to photons, as in POV-Ray.
                if let Some(o) = item.object.as_mut() {
                    self.object_photons(&mut o.photons)?;
                }
            } else {
                return Err(self.expected("a light_group modifier or '}'", Some(&t)));
            }
        }
    }
}

/// Puts every object node of `o` (CSG children, not bounding or clipping
/// objects) in group `id` unless it is in an inner group that has lights
/// (`lit`: the inner groups of this group's lights).
fn mark_objects(o: &mut Object, id: u32, lit: &[u32]) {
    if !o.light_group.is_some_and(|g| lit.contains(&g)) {
        o.light_group = Some(id);
    }
    if let Shape::Csg { children, .. } = &mut o.shape {
        children.iter_mut().for_each(|c| mark_objects(c, id, lit));
    }
}

/// The groups other than `id` that object nodes of `o` are in.
fn nested_groups(o: &Object, id: u32, out: &mut Vec<u32>) {
    if let Some(g) = o.light_group.filter(|&g| g != id && !out.contains(&g)) {
        out.push(g);
    }
    if let Shape::Csg { children, .. } = &o.shape {
        children.iter().for_each(|c| nested_groups(c, id, out));
    }
}
