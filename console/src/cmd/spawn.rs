//! `spawn`: starting tasks, with their output sent to the console or a file.

use pvm::constants::{
    PvmOutputCode, PvmOutputTid, PvmTaskArch, PvmTaskDebug, PvmTaskDefault, PvmTaskHost,
};
use pvm::error::PvmError;
use pvm::tid::Tid;

use crate::command::{OutputTarget, Placement, SpawnArgs};
use crate::format;
use crate::jobs;
use crate::print;
use crate::session::Session;

/// `spawn [-count] [-host|-ARCH] [->|->file|->>file] file args...`.
pub fn spawn(s: &mut Session, args: &SpawnArgs) {
    let job = match &args.output {
        None => None,
        Some(target) => match s.jobs.open(target) {
            Ok(n) => Some(n),
            Err(e) => {
                print::line(format!("{}: {e}", target_name(target)));
                return;
            }
        },
    };
    if let Some(n) = job {
        print::line(format!("[{n}]"));
    }
    let result = match job {
        Some(n) => spawn_redirected(s, args, n),
        None => call_spawn(s, args),
    };
    match result {
        Ok(results) => {
            if let Some(n) = job {
                let tids: Vec<Tid> = results
                    .iter()
                    .filter_map(|r| r.as_ref().ok())
                    .copied()
                    .collect();
                s.jobs.started(n, &tids);
            }
            let shown: Vec<Result<Tid, String>> = results
                .into_iter()
                .map(|r| r.map_err(|e| e.to_string()))
                .collect();
            print::out(format::spawn_result(&shown));
        }
        Err(e) => {
            if let Some(n) = job {
                s.jobs.started(n, &[]);
            }
            s.lib_error("pvm_spawn", e);
        }
    }
}

/// How a job's output target is named in an error message.
fn target_name(target: &OutputTarget) -> &str {
    match target {
        OutputTarget::Console => "console",
        OutputTarget::File(p) | OutputTarget::Append(p) => p,
    }
}

/// Spawns with the children's output addressed to the console under the job's tag,
/// then puts the console's own output options back.
fn spawn_redirected(
    s: &Session,
    args: &SpawnArgs,
    job: u32,
) -> Result<Vec<Result<Tid, PvmError>>, PvmError> {
    let code = jobs::tag_of(job).ok_or(PvmError::OutOfRes)?;
    let old_tid = s.pvm.setopt(PvmOutputTid, s.me.raw())?;
    let old_code = s.pvm.setopt(PvmOutputCode, code);
    let result = old_code.and_then(|_| call_spawn(s, args));
    // Restoring can only fail if pvmd is gone, which the next command reports.
    let _ = s.pvm.setopt(PvmOutputTid, old_tid);
    if let Ok(c) = old_code {
        let _ = s.pvm.setopt(PvmOutputCode, c);
    }
    result
}

/// `pvm_spawn` with the placement and flags the options asked for.
fn call_spawn(s: &Session, args: &SpawnArgs) -> Result<Vec<Result<Tid, PvmError>>, PvmError> {
    let (mut flags, where_) = match &args.placement {
        Placement::Anywhere => (PvmTaskDefault, ""),
        Placement::Host(h) => (PvmTaskHost, h.as_str()),
        Placement::Arch(a) => (PvmTaskArch, a.as_str()),
    };
    if args.debug {
        flags |= PvmTaskDebug;
    }
    let argv: Vec<&str> = args.args.iter().map(String::as_str).collect();
    let spawned = s
        .pvm
        .spawn(&args.file, &argv, flags, where_, args.count as usize)?;
    Ok(spawned.0)
}
