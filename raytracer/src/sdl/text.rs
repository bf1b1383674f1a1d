//! `text { ttf "font" "string" thickness, offset }`.

use super::error::Result;
use super::parser::Parser;
use crate::desc::Object;

impl Parser<'_> {
    /// The text object after its `{` (modifiers not read).
    pub(crate) fn text_object(&mut self) -> Result<Option<Object>> {
        let here = self.here();
        if !self.accept_word("ttf")? {
            let t = self.next()?;
            return Err(self.expected("'ttf' and a font file name", t.as_ref()));
        }
        let _font = self.string_expr()?;
        let _text = self.string_expr()?;
        let _thickness = self.float_expr()?;
        self.comma()?;
        let _offset = self.vector_expr()?;
        self.warn(format!("{here}: text is not supported and was ignored"));
        Ok(None)
    }
}
