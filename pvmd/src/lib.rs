//! pvmd: the PVM daemon.
//!
//! One pvmd runs per user per host. It owns the host table ([`hosts`], read from a
//! [`hostfile`]), the task table ([`tasks`]), message routing ([`route`]), spawning
//! ([`spawn`]) and the collection of tasks' output ([`output`]), `pvm_notify`
//! subscriptions ([`notify`]), the message mailbox ([`mbox`]) and process groups
//! ([`groups`]). Its state belongs to a single actor ([`actor`]) fed by the connections
//! ([`connection`]) that [`server`] accepts on a socket in the user's private runtime
//! directory ([`rundir`]). Where each request is handled is decided by one function,
//! [`router::route`]; [`cluster`] carries requests to the other pvmds, and [`wiring`] is
//! what every request family shares (connections, links). The wire format
//! is libpvm's [`pvm::proto`].
//!
//! pvmd is a program; the library is only what its binary and its tests use: the
//! [`server`] to start, the [`remote`] start of slaves, the [`peer`] handshake and the
//! [`hostfile`], and the [`bootstrap`] of a slave. Everything else is private to the daemon.

// The map above names the private modules too, for `cargo doc --document-private-items`.
#![allow(rustdoc::private_intra_doc_links)]

mod actor;
pub mod bootstrap;
mod cluster;
mod connection;
mod conns;
mod contexts;
mod flow;
mod groups;
pub mod hostfile;
mod hosts;
mod mailbox;
mod mbox;
mod notify;
mod outbox;
mod output;
pub mod peer;
pub mod remote;
mod route;
mod router;
mod rundir;
pub mod server;
mod spawn;
mod tasks;
mod tickle;
mod wiring;
mod xdr;
