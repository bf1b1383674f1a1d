//! hello_other: the partner `hello` spawns; greets its parent with this host's name.

use pvm::constants::PvmDataDefault;
use pvm::Pvm;

fn main() -> anyhow::Result<()> {
    let pvm = Pvm::new();
    let parent = pvm.parent()?;
    let host = nix::unistd::gethostname()?;
    pvm.initsend(PvmDataDefault)?;
    pvm.pack(&format!("hello, world from {}", host.to_string_lossy()))?;
    pvm.send(parent, 1)?;
    pvm.exit()?;
    Ok(())
}
