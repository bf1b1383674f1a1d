//! Handing out blocks: a queue of blocks not yet rendered, and per slave the blocks it
//! holds. Each slave gets a small queue (so it never waits for the master between
//! blocks); blocks of a slave that is lost go back to the front of the queue.

use std::collections::{BTreeMap, VecDeque};

use crate::render::Rect;

use super::wire::Work;

/// The blocks of a render, their owners and their progress.
#[derive(Debug)]
pub struct Schedule {
    blocks: Vec<Rect>,
    queue: VecDeque<u32>,
    held: BTreeMap<i32, Vec<u32>>,
    done: Vec<bool>,
    remaining: usize,
}

/// Splits columns `cols` × rows `rows` into blocks of at most `bw` × `bh`, in row-major
/// order (so finished rows come out early and stream to the file).
pub fn tile(cols: (u32, u32), rows: (u32, u32), bw: u32, bh: u32) -> Vec<Rect> {
    let (bw, bh) = (bw.max(1), bh.max(1));
    let mut out = Vec::new();
    for y0 in (rows.0..rows.1).step_by(bh as usize) {
        for x0 in (cols.0..cols.1).step_by(bw as usize) {
            out.push(Rect {
                x0,
                y0,
                x1: (x0 + bw).min(cols.1),
                y1: (y0 + bh).min(rows.1),
            });
        }
    }
    out
}

impl Schedule {
    pub fn new(blocks: Vec<Rect>) -> Schedule {
        let n = blocks.len();
        Schedule {
            queue: (0..n as u32).collect(),
            blocks,
            held: BTreeMap::new(),
            done: vec![false; n],
            remaining: n,
        }
    }

    /// Gives `slave` blocks until it holds `depth` or the queue is empty.
    pub fn fill(&mut self, slave: i32, depth: usize) -> Vec<Work> {
        let held = self.held.entry(slave).or_default();
        let mut out = Vec::new();
        while held.len() < depth {
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            held.push(id);
            out.push(Work {
                id,
                rect: self.blocks[id as usize],
            });
        }
        out
    }

    /// Records a finished block. Returns false for a block that is unknown or already
    /// done (a duplicate from a slave presumed lost), which the caller ignores.
    pub fn complete(&mut self, slave: i32, work: &Work) -> bool {
        if let Some(held) = self.held.get_mut(&slave) {
            held.retain(|id| *id != work.id);
        }
        match self.done.get_mut(work.id as usize) {
            Some(d) if !*d && self.blocks[work.id as usize] == work.rect => {
                *d = true;
                self.remaining -= 1;
                // Someone else may also have been given it after a loss; drop it there.
                self.queue.retain(|id| *id != work.id);
                true
            }
            _ => false,
        }
    }

    /// Takes `slave` out of the schedule; its unfinished blocks go back to the front of
    /// the queue in order. Returns how many were requeued.
    pub fn lose(&mut self, slave: i32) -> usize {
        let Some(mut held) = self.held.remove(&slave) else {
            return 0;
        };
        held.retain(|id| !self.done[*id as usize]);
        held.sort_unstable();
        for id in held.iter().rev() {
            self.queue.push_front(*id);
        }
        held.len()
    }

    /// Blocks not finished yet.
    pub fn remaining(&self) -> usize {
        self.remaining
    }

    /// Slaves still in the schedule.
    pub fn slaves(&self) -> impl Iterator<Item = i32> + '_ {
        self.held.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_area_once() {
        let blocks = tile((3, 70), (1, 50), 32, 16);
        let mut hits = vec![0u8; 70 * 50];
        for b in &blocks {
            for y in b.y0..b.y1 {
                for x in b.x0..b.x1 {
                    hits[(y * 70 + x) as usize] += 1;
                }
            }
        }
        for y in 0..50 {
            for x in 0..70 {
                let want = u8::from(x >= 3 && y >= 1);
                assert_eq!(hits[(y * 70 + x) as usize], want, "pixel {x},{y}");
            }
        }
        assert_eq!(blocks.len(), 3 * 4);
    }

    #[test]
    fn lost_slave_blocks_return_first() {
        let mut s = Schedule::new(tile((0, 4), (0, 4), 1, 1));
        let a = s.fill(1, 2);
        let b = s.fill(2, 2);
        assert_eq!((a[0].id, a[1].id, b[0].id), (0, 1, 2));
        assert!(s.complete(1, &a[0]));
        assert_eq!(s.lose(1), 1);
        assert_eq!(s.fill(2, 3)[0].id, 1, "requeued block goes first");
        assert!(!s.complete(1, &a[0]), "a duplicate is ignored");
        assert_eq!(s.remaining(), 15);
        assert_eq!(s.slaves().collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn late_result_of_a_lost_slave_counts_once() {
        let mut s = Schedule::new(tile((0, 2), (0, 1), 1, 1));
        let w = s.fill(1, 1)[0];
        s.lose(1);
        assert!(s.complete(1, &w));
        assert!(s.fill(2, 2).iter().all(|x| x.id != w.id));
        assert_eq!(s.remaining(), 1);
    }
}
