//! Putting blocks back together into rows, and handing rows out in order as soon as
//! each is complete, so the master never holds more than the rows in flight.

use std::collections::BTreeMap;

use crate::render::Rect;

/// Collects block pixels into rows and releases complete rows top to bottom.
pub struct RowAssembler {
    width: u32,
    cols: (u32, u32),
    next: u32,
    end: u32,
    partial: BTreeMap<u32, (Vec<[u8; 3]>, u32)>,
}

impl RowAssembler {
    /// Rows `rows` of an image `width` wide, of which columns `cols` are rendered (the
    /// rest stay black, as in a local partial render).
    pub fn new(width: u32, cols: (u32, u32), rows: (u32, u32)) -> RowAssembler {
        RowAssembler {
            width,
            cols,
            next: rows.0,
            end: rows.1,
            partial: BTreeMap::new(),
        }
    }

    /// Adds a block's pixels (RGB, row by row) and returns the rows that became
    /// complete, in order.
    pub fn add(&mut self, rect: Rect, rgb: &[u8]) -> Vec<Vec<[u8; 3]>> {
        let w = rect.width() as usize;
        for (i, y) in (rect.y0..rect.y1).enumerate() {
            if y < self.next || y >= self.end {
                continue;
            }
            let width = self.width as usize;
            let (row, filled) = self
                .partial
                .entry(y)
                .or_insert_with(|| (vec![[0; 3]; width], 0));
            for (j, px) in rgb[i * w * 3..(i + 1) * w * 3].chunks_exact(3).enumerate() {
                row[rect.x0 as usize + j] = [px[0], px[1], px[2]];
            }
            *filled += rect.width();
        }
        let mut out = Vec::new();
        let full = self.cols.1 - self.cols.0;
        while self
            .partial
            .get(&self.next)
            .is_some_and(|(_, f)| *f >= full)
        {
            if let Some((row, _)) = self.partial.remove(&self.next) {
                out.push(row);
            }
            self.next += 1;
        }
        out
    }

    /// The first row not yet released.
    pub fn next_row(&self) -> u32 {
        self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(x0: u32, y0: u32, x1: u32, y1: u32, v: u8) -> (Rect, Vec<u8>) {
        let r = Rect { x0, y0, x1, y1 };
        (r, vec![v; r.area() * 3])
    }

    #[test]
    fn rows_come_out_in_order_when_complete() {
        let mut a = RowAssembler::new(4, (0, 4), (0, 2));
        let (r, px) = block(2, 0, 4, 2, 9);
        assert!(a.add(r, &px).is_empty());
        let (r, px) = block(0, 1, 2, 2, 5);
        assert!(a.add(r, &px).is_empty(), "row 1 complete but row 0 is not");
        let (r, px) = block(0, 0, 2, 1, 7);
        let rows = a.add(r, &px);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0], vec![[7; 3], [7; 3], [9; 3], [9; 3]]);
        assert_eq!(rows[1], vec![[5; 3], [5; 3], [9; 3], [9; 3]]);
        assert_eq!(a.next_row(), 2);
    }

    #[test]
    fn partial_columns_leave_black_edges() {
        let mut a = RowAssembler::new(5, (1, 3), (3, 4));
        let (r, px) = block(1, 3, 3, 4, 8);
        let rows = a.add(r, &px);
        assert_eq!(rows, vec![vec![[0; 3], [8; 3], [8; 3], [0; 3], [0; 3]]]);
    }
}
