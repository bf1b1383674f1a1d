//! Output text cut into lines per task: what `pvm_catchout` and the console's jobs print.
//!
//! A pipe read ends anywhere, so each task's text after its last newline waits here for
//! the rest of its line; only whole lines leave, and lines of different tasks never
//! interleave. A task is open from its BEGIN (or first text) until its END.

use std::collections::BTreeMap;

use crate::tid::Tid;

/// The unfinished last line of every open task.
#[derive(Debug, Default)]
pub struct Lines {
    partial: BTreeMap<Tid, Vec<u8>>,
}

impl Lines {
    /// `tid` joined the stream (it may send nothing before its end).
    pub fn begin(&mut self, tid: Tid) {
        self.partial.entry(tid).or_default();
    }

    /// Adds text from `tid`; returns the lines it completed, without their newline.
    pub fn push(&mut self, tid: Tid, text: &[u8]) -> Vec<Vec<u8>> {
        let partial = self.partial.entry(tid).or_default();
        partial.extend_from_slice(text);
        let mut lines = Vec::new();
        while let Some(nl) = partial.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = partial.drain(..=nl).collect();
            line.pop();
            lines.push(line);
        }
        lines
    }

    /// `tid` ended: its unterminated last line, if it left one.
    pub fn end(&mut self, tid: Tid) -> Option<Vec<u8>> {
        self.partial.remove(&tid).filter(|rest| !rest.is_empty())
    }

    /// Whether no task is open.
    pub fn is_empty(&self) -> bool {
        self.partial.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Tid = Tid(0x40010);
    const B: Tid = Tid(0x40011);

    #[test]
    fn whole_lines_per_task_and_the_rest_at_the_end() {
        let mut lines = Lines::default();
        assert_eq!(
            lines.push(A, b"one\ntwo\npa"),
            [b"one".to_vec(), b"two".to_vec()]
        );
        assert_eq!(lines.push(B, b"other"), Vec::<Vec<u8>>::new());
        assert_eq!(lines.push(A, b"rt\n"), [b"part".to_vec()]);
        assert_eq!(lines.end(A), None);
        assert!(!lines.is_empty());
        assert_eq!(lines.end(B), Some(b"other".to_vec()));
        assert!(lines.is_empty());
    }

    #[test]
    fn begin_opens_a_task_without_text() {
        let mut lines = Lines::default();
        lines.begin(A);
        assert!(!lines.is_empty());
        assert_eq!(lines.end(A), None);
        assert!(lines.is_empty());
    }
}
