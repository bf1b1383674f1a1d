//! Jobs: the groups of tasks started by one `spawn ->`, and where their output goes.
//!
//! Each `spawn` with `->`, `->file` or `->>file` opens a job numbered from 1. Output
//! events for the job arrive as messages; complete lines become `[job:tid] text`, a
//! task's end `[job:tid] EOF`, and when the last known task of a job has ended the
//! console prints `[job] finished` and forgets the job. Lines go to the console or to
//! the job's file; the `finished` notice always goes to the console.
//!
//! A job's output messages carry the tag [`tag_of`] the job's number: negative, so no
//! message a task sends (user tags are never negative) can pass for job output.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};

use pvm::client::lines::Lines;
use pvm::proto::output::OutputEvent;
use pvm::tid::Tid;

use super::command::OutputTarget;

/// Tag of job 0; job `n` uses `JOB_TAG_BASE + n`. Far from the library's own reserved
/// tags (catchout's is near `i32::MIN`).
const JOB_TAG_BASE: i32 = -0x4000_0000;

/// The message tag of job `job`'s output.
pub fn tag_of(job: u32) -> Option<i32> {
    i32::try_from(job)
        .ok()
        .and_then(|j| JOB_TAG_BASE.checked_add(j))
}

/// The job whose output messages carry `tag`.
pub fn job_of(tag: i32) -> Option<u32> {
    let n = tag.checked_sub(JOB_TAG_BASE)?;
    if tag < 0 && n > 0 {
        u32::try_from(n).ok()
    } else {
        None
    }
}

/// Where one job's lines go.
#[derive(Debug)]
enum Sink {
    Console,
    File(File),
}

#[derive(Debug)]
struct Job {
    sink: Sink,
    /// Tasks that still send output, in tid order.
    live: BTreeSet<Tid>,
    /// Text received after the last newline, per task.
    partial: Lines,
}

/// The console's jobs.
#[derive(Debug)]
pub struct Jobs {
    next: u32,
    jobs: BTreeMap<u32, Job>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs {
            next: 1,
            jobs: BTreeMap::new(),
        }
    }
}

impl Jobs {
    /// Opens a job whose output goes to `target`; fails if its file cannot be opened.
    pub fn open(&mut self, target: &OutputTarget) -> io::Result<u32> {
        let sink = match target {
            OutputTarget::Console => Sink::Console,
            OutputTarget::File(path) => Sink::File(File::create(path)?),
            OutputTarget::Append(path) => {
                Sink::File(OpenOptions::new().append(true).create(true).open(path)?)
            }
        };
        let number = self.next;
        self.next += 1;
        self.jobs.insert(
            number,
            Job {
                sink,
                live: BTreeSet::new(),
                partial: Lines::default(),
            },
        );
        Ok(number)
    }

    /// Records the tasks a job's spawn started; a job that started none is dropped.
    pub fn started(&mut self, job: u32, tids: &[Tid]) {
        let Some(j) = self.jobs.get_mut(&job) else {
            return;
        };
        j.live.extend(tids.iter().copied());
        if tids.is_empty() && j.partial.is_empty() {
            self.jobs.remove(&job);
        }
    }

    /// Whether `job` is open.
    pub fn contains(&self, job: u32) -> bool {
        self.jobs.contains_key(&job)
    }

    /// Open jobs with their live tasks, in job order.
    pub fn list(&self) -> Vec<(u32, Vec<Tid>)> {
        self.jobs
            .iter()
            .map(|(n, j)| (*n, j.live.iter().copied().collect()))
            .collect()
    }

    /// Applies an output event of `job`; returns the lines to print on the console.
    /// Events for unknown jobs (a job already finished, a stray message) are ignored.
    pub fn event(&mut self, job: u32, event: OutputEvent) -> Vec<String> {
        let Some(j) = self.jobs.get_mut(&job) else {
            return Vec::new();
        };
        let mut lines = Vec::new();
        match event {
            OutputEvent::Begin { tid, .. } => {
                j.live.insert(tid);
            }
            OutputEvent::Data(tid, text) => {
                j.live.insert(tid);
                for line in j.partial.push(tid, &text) {
                    lines.push(format!("[{job}:{tid}] {}", String::from_utf8_lossy(&line)));
                }
            }
            OutputEvent::End(tid) => {
                if let Some(rest) = j.partial.end(tid) {
                    lines.push(format!("[{job}:{tid}] {}", String::from_utf8_lossy(&rest)));
                }
                lines.push(format!("[{job}:{tid}] EOF"));
                j.live.remove(&tid);
            }
        }
        let mut console = match &mut j.sink {
            Sink::Console => lines,
            Sink::File(f) => {
                // A full disk must not kill the console; say so once per event instead.
                let written = lines.iter().try_for_each(|l| writeln!(f, "{l}"));
                match written {
                    Ok(()) => Vec::new(),
                    Err(e) => vec![format!("[{job}] output file: {e}")],
                }
            }
        };
        if j.live.is_empty() {
            self.jobs.remove(&job);
            console.push(format!("[{job}] finished"));
        }
        console
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    const A: Tid = Tid(0x40010);
    const B: Tid = Tid(0x40011);

    fn data(tid: Tid, s: &'static str) -> OutputEvent {
        OutputEvent::Data(tid, Bytes::from_static(s.as_bytes()))
    }

    #[test]
    fn console_job_prints_lines_eof_and_finished() {
        let mut jobs = Jobs::default();
        let j = jobs.open(&OutputTarget::Console).expect("console job");
        assert_eq!(j, 1);
        jobs.started(j, &[A]);
        assert_eq!(
            jobs.event(j, data(A, "i'm t40010\nfrom ")),
            ["[1:t40010] i'm t40010"]
        );
        let begin = OutputEvent::Begin {
            tid: B,
            parent: None,
        };
        assert!(jobs.event(j, begin).is_empty());
        assert_eq!(
            jobs.event(j, data(A, "t40011\n")),
            ["[1:t40010] from t40011"]
        );
        assert_eq!(jobs.event(j, OutputEvent::End(A)), ["[1:t40010] EOF"]);
        assert_eq!(jobs.list(), [(1, vec![B])]);
        assert_eq!(
            jobs.event(j, OutputEvent::End(B)),
            ["[1:t40011] EOF", "[1] finished"]
        );
        assert!(!jobs.contains(j));
        assert!(jobs.event(j, data(A, "late\n")).is_empty());
    }

    #[test]
    fn unterminated_line_is_flushed_at_eof() {
        let mut jobs = Jobs::default();
        let j = jobs.open(&OutputTarget::Console).expect("console job");
        jobs.started(j, &[A]);
        assert!(jobs.event(j, data(A, "no newline")).is_empty());
        assert_eq!(
            jobs.event(j, OutputEvent::End(A)),
            ["[1:t40010] no newline", "[1:t40010] EOF", "[1] finished"]
        );
    }

    #[test]
    fn file_jobs_write_and_append() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out").to_string_lossy().into_owned();
        let mut jobs = Jobs::default();
        for target in [
            OutputTarget::File(path.clone()),
            OutputTarget::Append(path.clone()),
        ] {
            let j = jobs.open(&target).expect("file job");
            jobs.started(j, &[A]);
            assert!(jobs.event(j, data(A, "hi\n")).is_empty());
            assert_eq!(
                jobs.event(j, OutputEvent::End(A)),
                [format!("[{j}] finished")]
            );
        }
        let text = std::fs::read_to_string(&path).expect("output file");
        assert_eq!(
            text,
            "[1:t40010] hi\n[1:t40010] EOF\n[2:t40010] hi\n[2:t40010] EOF\n"
        );
        let j = jobs
            .open(&OutputTarget::File(path))
            .expect("truncating job");
        jobs.started(j, &[]);
        assert!(!jobs.contains(j));
        let text = std::fs::read_to_string(dir.path().join("out")).expect("output file");
        assert!(text.is_empty());
    }

    #[test]
    fn job_tags_are_negative_and_round_trip() {
        for job in [1, 2, 1000] {
            let tag = tag_of(job).expect("small job numbers have tags");
            assert!(tag < 0);
            assert_eq!(job_of(tag), Some(job));
        }
        assert_eq!(job_of(0), None);
        assert_eq!(job_of(5), None);
        assert_eq!(job_of(JOB_TAG_BASE), None);
        assert_eq!(job_of(i32::MIN), None);
    }

    #[test]
    fn unopenable_file_is_an_error() {
        let mut jobs = Jobs::default();
        let missing = OutputTarget::File("/nonexistent-dir/x/out".into());
        assert!(jobs.open(&missing).is_err());
        assert!(jobs.list().is_empty());
    }
}
