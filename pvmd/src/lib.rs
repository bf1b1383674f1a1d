//! pvmd: the PVM daemon.
//!
//! One pvmd runs per user per host. It owns the host table ([`hosts`], read from a
//! [`hostfile`]), the task table ([`tasks`]), message routing ([`route`]), spawning
//! ([`spawn`]) and the collection of tasks' output ([`output`]), `pvm_notify`
//! subscriptions ([`notify`]), the message mailbox ([`mbox`]) and process groups
//! ([`groups`]). Its state belongs to a single actor ([`daemon`], requests answered in
//! [`requests`]) fed by the connections ([`connection`]) that [`server`] accepts on a
//! socket in the user's private runtime directory ([`rundir`]). The wire format is libpvm's [`pvm::proto`].

pub mod cluster;
pub mod connection;
pub mod daemon;
pub mod groups;
pub mod hostfile;
pub mod hosts;
pub mod mbox;
pub mod notify;
pub mod output;
pub mod peer;
pub mod remote;
pub mod requests;
pub mod route;
pub mod rundir;
pub mod server;
pub mod spawn;
pub mod tasks;
pub mod xdr;
