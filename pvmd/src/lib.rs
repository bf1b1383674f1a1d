//! pvmd: the PVM daemon, and the `pvm` console.
//!
//! One pvmd runs per user per host. It owns the host table ([`hosts`], read from a
//! [`hostfile`]), the task table ([`tasks`]), message routing ([`route`]), spawning
//! ([`spawn`]) and the collection of tasks' output ([`output`]), `pvm_notify`
//! subscriptions ([`notify`]), the message mailbox ([`mbox`]) and process groups
//! ([`groups`]). Its state belongs to a single actor ([`actor`]) fed by the connections
//! ([`connection`]) that [`server`] accepts on a socket in the user's private runtime
//! directory ([`rundir`]). Where each request is handled is decided by one function,
//! [`router::route`]; [`cluster`] carries requests to the other pvmds. The wire format
//! is libpvm's [`pvm::proto`].

pub mod actor;
pub mod bootstrap;
pub mod cluster;
pub mod connection;
pub mod conns;
pub mod console;
pub mod contexts;
pub mod groups;
pub mod hostfile;
pub mod hosts;
pub mod mailbox;
pub mod mbox;
pub mod notify;
pub mod outbox;
pub mod output;
pub mod peer;
pub mod remote;
pub mod route;
pub mod router;
pub mod rundir;
pub mod server;
pub mod spawn;
pub mod tasks;
pub mod xdr;
