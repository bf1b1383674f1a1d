//! slave1: a worker of PVM's master/slave example.
//!
//! Receives the task list and data from `master1`, adds up its share, swaps partial
//! sums with its neighbour in the ring of slaves, and sends the result to the master.

use pvm::constants::PvmDataDefault;
use pvm::Pvm;

const WORK: i32 = 0;
const RESULT: i32 = 5;
const NEIGHBOUR: i32 = 22;

fn main() -> anyhow::Result<()> {
    let pvm = Pvm::new();
    let me_tid = pvm.mytid()?;
    pvm.recv(-1, WORK)?;
    let nproc: i32 = pvm.unpack()?;
    let tids: Vec<i32> = pvm.unpack_vec(usize::try_from(nproc)?)?;
    let n: i32 = pvm.unpack()?;
    let data: Vec<f32> = pvm.unpack_vec(usize::try_from(n)?)?;
    let me = tids
        .iter()
        .position(|&t| t == me_tid.raw())
        .ok_or_else(|| anyhow::anyhow!("{me_tid} is not in the master's task list"))?;

    let result = work(&pvm, me, &data, &tids)?;

    pvm.initsend(PvmDataDefault)?;
    pvm.pack(&(me as i32))?.pack(&result)?;
    pvm.send(pvm.parent()?, RESULT)?;
    pvm.exit()?;
    Ok(())
}

/// Sums `me * data`, then exchanges sums with the left neighbour (wrapping around).
fn work(pvm: &Pvm, me: usize, data: &[f32], tids: &[i32]) -> anyhow::Result<f32> {
    let sum: f32 = data.iter().map(|d| me as f32 * d).sum();
    pvm.initsend(PvmDataDefault)?;
    pvm.pack(&sum)?;
    let dest = tids[(me + 1) % tids.len()];
    pvm.send(pvm::Tid(dest as u32), NEIGHBOUR)?;
    pvm.recv(-1, NEIGHBOUR)?;
    let psum: f32 = pvm.unpack()?;
    Ok(sum + psum)
}
