//! pvmd: the PVM daemon (host table, task table, routing, spawning) and the console.

pub mod console;
