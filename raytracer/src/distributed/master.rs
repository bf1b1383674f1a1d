//! The master: spawns the slaves, sends them the job, hands out blocks, writes finished
//! rows as they complete, survives slaves that die, and reports.
//!
//! The master renders nothing itself (as in PVMPOV). It keeps every slave `DEPTH`
//! blocks deep so a slave never waits for the master between blocks.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pvm::constants::{PvmTaskDefault, PvmTaskExit, PvmTaskHost};
use pvm::pack::{Buffer, Encoding};
use pvm::{Pvm, Tid};

use crate::cli::Options;
use crate::image_out::{ImageWriter, Output};
use crate::sdl::Parsed;
use crate::stats::Stats;

use super::assemble::RowAssembler;
use super::schedule::{tile, Schedule};
use super::vm::Vm;
use super::wire::{self, Done, Job};
use super::{Settings, SLAVE_FLAG};

/// Blocks each slave holds at once: one rendering, one waiting.
const DEPTH: usize = 2;

/// What one slave did, for the progress line and the `+v` table.
#[derive(Default)]
struct SlaveReport {
    host: String,
    blocks: u64,
    pixels: u64,
    lost: bool,
}

/// What a distributed render did: the slaves' statistics summed, and how many slaves.
pub struct Rendered {
    pub stats: Stats,
    pub slaves: usize,
}

/// Renders the scene over the virtual machine and writes the image to `output`.
pub fn render(
    opts: &Options,
    parsed: &Parsed,
    settings: &Settings,
    output: Output,
) -> Result<Rendered> {
    let vm = Vm::join()?;
    let pvm = &vm.pvm;
    let slaves = spawn_slaves(pvm, settings)?;
    pvm.notify(PvmTaskExit, wire::TAG_SLAVE_EXIT, &slaves)
        .map_err(|e| anyhow!("notify: {e}"))?;

    let job = Job {
        main: parsed
            .files
            .first()
            .map(|f| f.name.clone())
            .unwrap_or_default(),
        files: parsed.files.clone(),
        data: parsed.data.clone(),
        parse: settings.parse.clone(),
        width: opts.width,
        height: opts.height,
        antialias: opts.antialias(),
        nice: settings.nice,
    };
    let mut body = job.encode()?;
    for s in &slaves {
        // Each slave gets the same body; Bytes makes the copies free.
        let _ = pvm.send_buf(*s, wire::TAG_JOB, &mut body);
    }

    let mut run = Run::new(pvm, opts, settings, &slaves, output);
    let started = Instant::now();
    let outcome = run.drive();
    run.progress.finish_and_clear();
    let live: Vec<Tid> = run.schedule.slaves().map(tid).collect();
    tell_all(pvm, &live, wire::TAG_DONE);
    outcome?;
    if let Some(w) = run.writer.take() {
        w.finish()?;
    }
    if opts.verbose {
        eprint!("{}", run.report(started.elapsed()));
    }
    let rendered = Rendered {
        stats: std::mem::take(&mut run.stats),
        slaves: slaves.len(),
    };
    drop(run);
    drop(vm);
    Ok(rendered)
}

fn tid(raw: i32) -> Tid {
    Tid(raw as u32)
}

/// Starts the slaves: round-robin over `pvm_hosts` when given, else wherever PVM puts
/// them (PvmTaskDefault).
fn spawn_slaves(pvm: &Pvm, settings: &Settings) -> Result<Vec<Tid>> {
    let exe = std::env::current_exe().context("cannot find this executable to spawn slaves")?;
    let exe = exe.to_string_lossy();
    let mut tids = Vec::new();
    let mut first_error = None;
    if settings.hosts.is_empty() {
        let spawned = pvm
            .spawn(&exe, &[SLAVE_FLAG], PvmTaskDefault, "", settings.tasks)
            .map_err(|e| anyhow!("cannot spawn slaves: {e}"))?;
        first_error = spawned.first_error();
        tids.extend(spawned.tids());
    } else {
        for i in 0..settings.tasks {
            let host = &settings.hosts[i % settings.hosts.len()];
            match pvm.spawn(&exe, &[SLAVE_FLAG], PvmTaskHost, host, 1) {
                Ok(s) => {
                    first_error = first_error.or(s.first_error());
                    tids.extend(s.tids());
                }
                Err(e) => first_error = first_error.or(Some(e)),
            }
        }
    }
    if tids.is_empty() {
        bail!(
            "no slave could be started: {}",
            first_error.map_or("unknown reason".to_string(), |e| e.to_string())
        );
    }
    if let Some(e) = first_error {
        eprintln!(
            "prender: warning: only {} of {} slaves started ({e})",
            tids.len(),
            settings.tasks
        );
    }
    Ok(tids)
}

/// The state of a render in progress.
struct Run<'a> {
    pvm: &'a Pvm,
    schedule: Schedule,
    rows: RowAssembler,
    writer: Option<ImageWriter>,
    stats: Stats,
    slaves: BTreeMap<i32, SlaveReport>,
    progress: ProgressBar,
    started: Instant,
}

impl<'a> Run<'a> {
    fn new(
        pvm: &'a Pvm,
        opts: &Options,
        settings: &Settings,
        slaves: &[Tid],
        output: Output,
    ) -> Run<'a> {
        let (cols, rows) = (opts.columns(), (output.first_row, opts.rows().1));
        let blocks = tile(cols, rows, settings.block_width, settings.block_height);
        let writer = output.writer;
        let hosts = host_names(pvm);
        let reports = slaves
            .iter()
            .map(|t| {
                let host = hosts
                    .get(&t.host_daemon())
                    .cloned()
                    .unwrap_or_else(|| format!("{}", t.host_daemon()));
                (
                    t.raw(),
                    SlaveReport {
                        host,
                        ..SlaveReport::default()
                    },
                )
            })
            .collect();
        let area = (cols.1 - cols.0) as u64 * (rows.1 - rows.0) as u64;
        let mut run = Run {
            pvm,
            schedule: Schedule::new(blocks),
            rows: RowAssembler::new(opts.width, cols, rows),
            writer,
            stats: Stats::default(),
            slaves: reports,
            progress: progress_bar(area),
            started: Instant::now(),
        };
        for s in slaves {
            run.feed(s.raw());
        }
        run
    }

    /// Receives results and notifications until every block is done.
    fn drive(&mut self) -> Result<()> {
        while self.schedule.remaining() > 0 {
            if self.schedule.slaves().next().is_none() {
                bail!(
                    "every slave is gone with {} blocks left; the finished rows (0 to {}) are in \
                     the output file",
                    self.schedule.remaining(),
                    self.rows.next_row()
                );
            }
            let mut msg = self
                .pvm
                .recv_msg(-1, -1)
                .map_err(|e| anyhow!("lost the virtual machine mid-render: {e}"))?;
            match msg.tag() {
                wire::TAG_RESULT => self.result(&mut msg)?,
                wire::TAG_SLAVE_EXIT => {
                    let t = wire::decode_exit(&mut msg)?;
                    self.lose(t, "exited");
                }
                wire::TAG_FAILED => {
                    let why = wire::decode_failure(&mut msg);
                    let t = msg.src();
                    let _ = self.pvm.kill(tid(t));
                    self.lose(t, &format!("cannot render: {why}"));
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn result(&mut self, msg: &mut Buffer) -> Result<()> {
        let slave = msg.src();
        let done = Done::decode(msg)?;
        if self.schedule.complete(slave, &done.work) {
            self.stats.merge(&done.stats);
            if let Some(r) = self.slaves.get_mut(&slave) {
                r.blocks += 1;
                r.pixels += done.work.rect.area() as u64;
            }
            self.progress.inc(done.work.rect.area() as u64);
            self.progress.set_message(self.throughput());
            for row in self.rows.add(done.work.rect, &done.rgb) {
                if let Some(w) = self.writer.as_mut() {
                    w.write_row(&row)?;
                }
            }
        }
        self.feed(slave);
        Ok(())
    }

    /// Tops `slave` up to `DEPTH` blocks.
    fn feed(&mut self, slave: i32) {
        for work in self.schedule.fill(slave, DEPTH) {
            let sent = work
                .encode()
                .and_then(|mut b| self.pvm.send_buf(tid(slave), wire::TAG_WORK, &mut b));
            if let Err(e) = sent {
                self.lose(slave, &format!("unreachable ({e})"));
                return;
            }
        }
    }

    /// Takes a slave out; its blocks go to the others.
    fn lose(&mut self, slave: i32, why: &str) {
        if !self.schedule.slaves().any(|s| s == slave) {
            return;
        }
        let n = self.schedule.lose(slave);
        if let Some(r) = self.slaves.get_mut(&slave) {
            r.lost = true;
        }
        self.progress.suspend(|| {
            eprintln!(
                "prender: slave {} {why}; {n} of its blocks go to the others",
                tid(slave)
            )
        });
        let others: Vec<i32> = self.schedule.slaves().collect();
        for s in others {
            self.feed(s);
        }
    }

    /// Pixels per second of each slave, for the progress line.
    fn throughput(&self) -> String {
        let secs = self.started.elapsed().as_secs_f64().max(1e-3);
        self.slaves
            .iter()
            .filter(|(_, r)| !r.lost)
            .map(|(t, r)| format!("{} {:.0} px/s", tid(*t), r.pixels as f64 / secs))
            .collect::<Vec<_>>()
            .join("  ")
    }

    /// PVMPOV's per-slave table.
    fn report(&self, elapsed: Duration) -> String {
        let total: u64 = self.slaves.values().map(|r| r.pixels).sum::<u64>().max(1);
        let mut s = String::from(
            "PVM Statistics\n  task       host              blocks     pixels   share\n",
        );
        for (t, r) in &self.slaves {
            s.push_str(&format!(
                "  {:<10} {:<16} {:>7} {:>10} {:>6.1}%{}\n",
                tid(*t).to_string(),
                r.host,
                r.blocks,
                r.pixels,
                100.0 * r.pixels as f64 / total as f64,
                if r.lost { "  (lost)" } else { "" }
            ));
        }
        s.push_str(&format!(
            "  {} slaves, {} blocks, {:.2} s\n",
            self.slaves.len(),
            self.slaves.values().map(|r| r.blocks).sum::<u64>(),
            elapsed.as_secs_f64()
        ));
        s
    }
}

/// Host names by pvmd tid, for the report.
fn host_names(pvm: &Pvm) -> BTreeMap<Tid, String> {
    pvm.config()
        .map(|hosts| hosts.into_iter().map(|h| (h.dtid, h.name)).collect())
        .unwrap_or_default()
}

/// A progress bar with per-slave throughput on a terminal, nothing otherwise.
fn progress_bar(pixels: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(pixels), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {percent:>3}% {elapsed_precise} {msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// Sends an empty message with `tag` to each task, ignoring those already gone.
fn tell_all(pvm: &Pvm, tids: &[Tid], tag: i32) {
    for t in tids {
        let _ = pvm.send_buf(*t, tag, &mut Buffer::new(Encoding::Default));
    }
}
