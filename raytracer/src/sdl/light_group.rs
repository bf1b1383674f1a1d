//! `light_group { objects and light_sources... [transforms] [global_lights b] }`.
//!
//! The group is a union of its objects; its lights are carried with it like a
//! CSG's lights, but marked with the group's number, and every object node
//! inside is marked too, so the renderer lights the group's objects with the
//! group's lights (and, with `global_lights on`, the scene's global lights)
//! and nothing else with them (`scene::light_group`). A group inside a group
//! keeps its own number: its objects see only its own lights (POV-Ray also
//! lends them the outer group's).

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
        for c in &mut children {
            mark_objects(c, id);
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
                let mut scratch = crate::desc::ObjectPhotons::default();
                self.object_photons(&mut scratch)?;
                let here = self.here();
                self.warn(format!(
                    "{here}: photons {{ }} on a light_group is not supported and was ignored"
                ));
            } else {
                return Err(self.expected("a light_group modifier or '}'", Some(&t)));
            }
        }
    }
}

/// Puts every object node of `o` (CSG children, not bounding or clipping
/// objects) without a group of its own in group `id`.
fn mark_objects(o: &mut Object, id: u32) {
    o.light_group.get_or_insert(id);
    if let Shape::Csg { children, .. } = &mut o.shape {
        children.iter_mut().for_each(|c| mark_objects(c, id));
    }
}
