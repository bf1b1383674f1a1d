//! master1: the master of PVM's master/slave example.
//!
//! Spawns three `slave1` tasks per host, sends them all the same data by multicast,
//! and prints what each one computes together with the value expected:
//!
//! ```text
//! Spawning 3 worker tasks ... SUCCESSFUL
//! I got 100.000000 from 1; (expecting 100.000000)
//! ```

use std::io::Write;

use pvm::constants::{PvmDataDefault, PvmTaskDefault};
use pvm::Pvm;

const SLAVE: &str = "slave1";
const MAX_SLAVES: usize = 32;
/// Tag of the work message (master to slaves).
const WORK: i32 = 0;
/// Tag of the results (slaves to master).
const RESULT: i32 = 5;

fn main() -> anyhow::Result<()> {
    let pvm = Pvm::new();
    pvm.mytid()?;
    let nhost = pvm.config()?.len();
    let nproc = (nhost * 3).min(MAX_SLAVES);
    print!("Spawning {nproc} worker tasks ... ");
    std::io::stdout().flush()?;
    let spawned = pvm.spawn(SLAVE, &[], PvmTaskDefault, "", nproc)?;
    if spawned.started() < nproc {
        println!("\n Trouble spawning slaves. Aborting. Error codes are:");
        for (i, code) in spawned.codes().iter().enumerate().skip(spawned.started()) {
            println!("TID {i} {code}");
        }
        for tid in spawned.tids() {
            let _ = pvm.kill(tid);
        }
        pvm.exit()?;
        std::process::exit(1);
    }
    println!("SUCCESSFUL");

    let tids: Vec<i32> = spawned.tids().map(|t| t.raw()).collect();
    let data = [1.0f32; 100];
    pvm.initsend(PvmDataDefault)?;
    pvm.pack(&(nproc as i32))?
        .pack(&tids[..])?
        .pack(&(data.len() as i32))?
        .pack(&data[..])?;
    let slaves: Vec<pvm::Tid> = spawned.tids().collect();
    pvm.mcast(&slaves, WORK)?;

    for _ in 0..nproc {
        pvm.recv(-1, RESULT)?;
        let who: i32 = pvm.unpack()?;
        let result: f32 = pvm.unpack()?;
        let expected = if who == 0 {
            (nproc as f32 - 1.0) * 100.0
        } else {
            (2.0 * who as f32 - 1.0) * 100.0
        };
        println!("I got {result:.6} from {who}; (expecting {expected:.6})");
    }
    pvm.exit()?;
    Ok(())
}
