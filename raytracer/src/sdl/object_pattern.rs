//! The `object { O list }` pattern of pigments, normals and textures: O is built
//! with the scene builder (as `inside()` builds it), so the pattern's inside test
//! is the renderer's own, CSG included.

use std::sync::Arc;

use super::error::Result;
use super::lexer::Tok;
use super::objects::is_object_keyword;
use super::parser::Parser;
use super::value::Value;
use crate::pattern::solid::{Solid, SolidRef};
use crate::pattern::{NoiseGenerator, Pattern, PatternKind};
use crate::scene;
use glam::DVec3;

/// The built object of an object pattern.
struct BuiltSolid(Vec<scene::Object>);

impl Solid for BuiltSolid {
    fn inside(&self, p: DVec3) -> bool {
        self.0.iter().any(|o| o.inside(p))
    }
}

impl Parser<'_> {
    /// After `object` in a pattern position: `{` and the object, an object
    /// keyword with its block or an identifier (taken as it is: what follows is
    /// the pattern's list, not the object's modifiers). The caller reads the
    /// list and then [`Parser::end_object_pattern`].
    pub(crate) fn object_pattern(&mut self) -> Result<Pattern> {
        self.expect("{")?;
        let t = self.need("an object or object identifier")?;
        let item = match &t.tok {
            Tok::Word(w) if is_object_keyword(w) && w.as_ref() != "object" => {
                let w = w.clone();
                self.item(&w, &t)?
            }
            Tok::Word(w) if w.as_ref() == "object" => self.object_block()?,
            Tok::Word(w) => match self.lookup(w) {
                Some(Value::Item(i)) => (**i).clone(),
                _ => return Err(self.expected("an object or object identifier", Some(&t))),
            },
            _ => return Err(self.expected("an object or object identifier", Some(&t))),
        };
        let built = match &item.object {
            Some(o) => {
                scene::build::build_objects(std::slice::from_ref(o), NoiseGenerator::default())
                    .map_err(|e| {
                        self.err_at(&t, format!("cannot build the object pattern's object: {e}"))
                    })?
            }
            None => {
                let here = self.loc_of(&t);
                self.warn(format!(
                    "{here}: the object pattern's object has no supported shape, so the pattern \
                     is outside everywhere"
                ));
                Vec::new()
            }
        };
        let solid = SolidRef(Arc::new(BuiltSolid(built)));
        Ok(Pattern::new(PatternKind::Object(solid)))
    }

    /// The `}` closing an object pattern (`object` true) once its list is read.
    pub(crate) fn end_object_pattern(&mut self, object: bool) -> Result<()> {
        if object {
            self.expect("}")?;
        }
        Ok(())
    }
}
