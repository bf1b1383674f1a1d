//! The commands that talk to pvmd or change session state, one module per family.

pub mod debug;
pub mod environ;
pub mod hosts;
pub mod mailbox;
pub mod opts;
pub mod spawn;
pub mod tasks;
pub mod trace;

use super::print;
use super::table;

/// `help [command]`.
pub fn help(topic: Option<&str>) {
    match topic {
        None => print::out(table::help_overview()),
        Some(name) => match table::lookup(name) {
            Some(spec) => print::out(table::help_for(spec)),
            None => print::line(format!("help: no command {name}")),
        },
    }
}
