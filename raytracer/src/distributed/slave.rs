//! A render slave: receives the job, parses the scene from the files the master sent,
//! renders the blocks it is given, sends their pixels back, and exits when told to or
//! when the master is gone.

use anyhow::{anyhow, Context, Result};
use pvm::constants::PvmTaskExit;
use pvm::pack::Buffer;
use pvm::{Pvm, Tid};

use crate::image_out::Encoder;
use crate::render::{render_block, Lighting, RenderOptions};
use crate::scene::Scene;
use crate::sdl;

use super::wire::{self, Done, Job, Work};

/// Runs this process as a slave of the task that spawned it.
pub fn run() -> Result<()> {
    let pvm =
        Pvm::connect().map_err(|e| anyhow!("a slave cannot join the virtual machine: {e}"))?;
    let master = pvm
        .parent()
        .map_err(|_| anyhow!("slave mode is for tasks a prender master spawns"))?;
    // Learn of the master's end, so no slave outlives an interrupted render.
    pvm.notify(PvmTaskExit, wire::TAG_MASTER_EXIT, &[master])
        .map_err(|e| anyhow!("notify: {e}"))?;
    let result = serve(&pvm, master);
    let _ = pvm.exit();
    result
}

fn serve(pvm: &Pvm, master: Tid) -> Result<()> {
    let Some(mut msg) = next(pvm)? else {
        return Ok(());
    };
    if msg.tag() != wire::TAG_JOB {
        return Ok(());
    }
    let job = Job::decode(&mut msg)?;
    let (scene, lighting) = match prepare(&job) {
        Ok(s) => s,
        Err(e) => {
            let mut b = wire::encode_failure(&format!("{e:#}"))?;
            let _ = pvm.send_buf(master, wire::TAG_FAILED, &mut b);
            return Err(e);
        }
    };
    let opts = RenderOptions {
        width: job.width,
        height: job.height,
        antialias: job.antialias,
    };
    let encoder = Encoder::for_gamma(scene.settings.working_gamma());
    while let Some(mut msg) = next(pvm)? {
        match msg.tag() {
            wire::TAG_WORK => {
                let work = Work::decode(&mut msg)?;
                let block = render_block(&scene, &lighting, &opts, work.rect);
                let rgb = block
                    .pixels
                    .iter()
                    .flat_map(|c| encoder.encode(*c))
                    .collect();
                let done = Done {
                    work: Work {
                        id: work.id,
                        rect: block.rect,
                    },
                    rgb,
                    stats: block.stats,
                };
                pvm.send_buf(master, wire::TAG_RESULT, &mut done.encode()?)
                    .map_err(|e| anyhow!("cannot send a block to the master: {e}"))?;
            }
            wire::TAG_DONE | wire::TAG_MASTER_EXIT => break,
            _ => {}
        }
    }
    Ok(())
}

/// The next message for this slave; None when the master or pvmd is gone.
fn next(pvm: &Pvm) -> Result<Option<Buffer>> {
    match pvm.recv_msg(-1, -1) {
        Ok(m) if m.tag() == wire::TAG_MASTER_EXIT => Ok(None),
        Ok(m) => Ok(Some(m)),
        Err(pvm::PvmError::SysErr) => Ok(None),
        Err(e) => Err(anyhow!("receiving work: {e}")),
    }
}

fn prepare(job: &Job) -> Result<(Scene, Lighting)> {
    set_nice(job.nice);
    let parsed = sdl::parse_files_with_data(&job.main, &job.files, &job.data, &job.parse)?;
    let scene = Scene::build(&parsed.scene).context("cannot render this scene")?;
    let lighting = Lighting::build(&scene).context("cannot render this scene")?;
    Ok((scene, lighting))
}

/// Lowers this slave's priority as PVMPOV's nice level asks (0 leaves it).
fn set_nice(level: i32) {
    if level == 0 {
        return;
    }
    // SAFETY: setpriority only reads its integer arguments; PRIO_PROCESS with who = 0
    // means this process. A failure (e.g. raising priority unprivileged) is ignored.
    let rc = unsafe { libc::setpriority(libc::PRIO_PROCESS, 0, level) };
    if rc != 0 {
        tracing::warn!("cannot set nice level {level}");
    }
}
