//! spmd: PVM's single-program-multiple-data example.
//!
//! Run several copies together (`spawn -4 -> spmd` at the console). Each finds its
//! place among its siblings; the first prints the ring of tids and sends a token around
//! it; when the token is back it prints "token ring done".

use pvm::constants::PvmDataDefault;
use pvm::{Pvm, Tid};

const TOKEN: i32 = 4;

fn main() -> anyhow::Result<()> {
    let pvm = Pvm::new();
    let mytid = pvm.mytid()?;
    let tids = pvm.siblings()?;
    let me = tids.iter().position(|&t| t == mytid).unwrap_or(0);
    if me == 0 {
        println!("Pass a token through the {:3} tid ring:", tids.len());
        let mut line = String::new();
        for (i, t) in tids.iter().enumerate() {
            line.push_str(&format!("{:6} -> ", t.raw()));
            if i % 6 == 0 && i > 0 {
                println!("{line}");
                line.clear();
            }
        }
        println!("{line}{:6} ", tids[0].raw());
    }
    dowork(&pvm, me, &tids)?;
    pvm.exit()?;
    Ok(())
}

/// Passes the token: the first task starts it and waits for it to come back.
fn dowork(pvm: &Pvm, me: usize, tids: &[Tid]) -> anyhow::Result<()> {
    let n = tids.len();
    let src = tids[(me + n - 1) % n];
    let dest = tids[(me + 1) % n];
    if me == 0 {
        pvm.initsend(PvmDataDefault)?;
        pvm.pack(&dest.raw())?;
        pvm.send(dest, TOKEN)?;
        pvm.recv(src.raw(), TOKEN)?;
        println!("token ring done");
    } else {
        pvm.recv(src.raw(), TOKEN)?;
        let token: i32 = pvm.unpack()?;
        pvm.initsend(PvmDataDefault)?;
        pvm.pack(&token)?;
        pvm.send(dest, TOKEN)?;
    }
    Ok(())
}
