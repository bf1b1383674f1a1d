//! hello: the classic first PVM program.
//!
//! Prints its tid, spawns `hello_other` (found through the spawn path, like any PVM
//! program), waits for its greeting and prints it with the sender's tid:
//!
//! ```text
//! i'm t40001
//! from t40002: hello, world from myhost
//! ```

use pvm::constants::PvmTaskDefault;
use pvm::Pvm;

fn main() -> anyhow::Result<()> {
    let pvm = Pvm::new();
    println!("i'm {}", pvm.mytid()?);
    let spawned = pvm.spawn("hello_other", &[], PvmTaskDefault, "", 1)?;
    if spawned.started() == 1 {
        pvm.recv(-1, -1)?;
        let from = pvm.bufinfo(pvm.getrbuf())?.src;
        let text: String = pvm.unpack()?;
        println!("from t{from:x}: {text}");
    } else {
        println!("can't start hello_other");
    }
    pvm.exit()?;
    Ok(())
}
