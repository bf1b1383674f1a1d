//! PVMPOV-style distributed rendering over a PVM virtual machine.
//!
//! `prender +N...` is the master: it parses the scene (so errors are reported once,
//! before any slave starts), joins the user's virtual machine or starts a private
//! one-host machine ([`vm`]), spawns `+NT` copies of itself in slave mode, and sends
//! each the scene and every file it includes in one message ([`wire`]) — nothing has
//! to be copied to other hosts. Blocks of `+NW`×`+NH` pixels ([`schedule`]) are handed
//! out dynamically, a small queue per slave; finished rows stream to the output file in
//! order ([`assemble`]). A slave that dies (PvmTaskExit notify) has its blocks requeued;
//! slaves exit by themselves when the master is gone. Every pixel's colour depends only
//! on the scene and its position, so the image is bit-identical to a local render.

pub mod assemble;
pub mod master;
pub mod schedule;
pub mod slave;
pub mod vm;
pub mod wire;

use crate::cli::Options;
use crate::image_out::Output;
use crate::sdl::{ParseOptions, Parsed};

/// The argument a master gives the slaves it spawns.
pub const SLAVE_FLAG: &str = "--pvm-slave";

/// PVMPOV's default block size.
pub const DEFAULT_BLOCK: u32 = 32;

/// Whether this process was started by a master as a render slave.
pub fn is_slave_invocation() -> bool {
    std::env::args().nth(1).as_deref() == Some(SLAVE_FLAG)
}

/// Runs this process as a render slave until the master is done or gone.
pub fn slave_main() -> anyhow::Result<()> {
    slave::run()
}

/// How the render is spread: from the `+N` options.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// `+NTn`: slave tasks (default: this host's cores).
    pub tasks: usize,
    /// `+NWn` × `+NHn`: block size (default 32×32, as PVMPOV).
    pub block_width: u32,
    pub block_height: u32,
    /// `pvm_hosts=a,b,c`: hosts the slaves go to, round-robin.
    pub hosts: Vec<String>,
    /// Slaves' nice level.
    pub nice: i32,
    /// How the slaves parse the scene: exactly as the master did.
    pub parse: ParseOptions,
}

impl Settings {
    pub fn from_options(opts: &Options, parse: ParseOptions) -> Settings {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Settings {
            tasks: opts.pvm.tasks.map_or(cores, |n| n.max(1) as usize),
            block_width: opts.pvm.block_width.unwrap_or(DEFAULT_BLOCK).max(1),
            block_height: opts.pvm.block_height.unwrap_or(DEFAULT_BLOCK).max(1),
            hosts: opts.pvm.hosts.clone(),
            nice: opts.pvm.nice.unwrap_or(0),
            parse,
        }
    }
}

/// Renders `parsed` over the virtual machine as `opts` says (+N options) into
/// `output`; `parse` are the options the scene was parsed with (one frame's clock).
pub fn render(
    opts: &Options,
    parsed: &Parsed,
    parse: &ParseOptions,
    output: Output,
) -> anyhow::Result<master::Rendered> {
    master::render(
        opts,
        parsed,
        &Settings::from_options(opts, parse.clone()),
        output,
    )
}
