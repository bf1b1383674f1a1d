//! `tiles { texture {..} tile2 texture {..} }`: POV-Ray's old checker of two
//! textures, kept in 3.7. The first group of textures fills the checker's
//! second squares (index 1) and `tile2`'s the first (index 0), as in POV-Ray;
//! several textures in one group are layered.

use super::error::Result;
use super::parser::Parser;
use super::textures::layer_on;
use crate::desc::{MapEntry, Texture, Transform};
use crate::pattern::{Pattern, PatternKind};

impl Parser<'_> {
    /// `tiles { ... }` (keyword read): a checker texture map.
    pub(crate) fn tiles_block(&mut self) -> Result<Texture> {
        self.expect("{")?;
        let first = self.tile_textures()?;
        if !self.accept_word("tile2")? {
            let t = self.need("tile2")?;
            return Err(self.expected("tile2 or a texture", Some(&t)));
        }
        let second = self.tile_textures()?;
        self.expect("}")?;
        let Some(first) = first else {
            return Err(self.err("the first texture is missing from tiles"));
        };
        let second = second.unwrap_or_else(|| Texture::Plain(self.default_layer.clone()));
        Ok(Texture::Map {
            pattern: Pattern::new(PatternKind::Checker),
            transform: Transform::IDENTITY,
            map: vec![
                MapEntry {
                    value: 0.0,
                    item: second,
                },
                MapEntry {
                    value: 1.0,
                    item: first,
                },
            ],
        })
    }

    /// The `texture { }` blocks of one tile, layered in order.
    fn tile_textures(&mut self) -> Result<Option<Texture>> {
        let mut tex: Option<Texture> = None;
        while self.accept_word("texture")? {
            let next = self.texture_block()?;
            tex = Some(match tex {
                Some(bottom) => layer_on(bottom, next),
                None => next,
            });
        }
        Ok(tex)
    }
}
