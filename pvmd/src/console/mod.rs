//! The `pvm` console: an ordinary PVM task with a prompt.
//!
//! A line goes through [`lexer`] (words), [`alias`] (expansion of the first word) and
//! [`command`] (a typed command or PVM's usage message); the session runs it against
//! pvmd through the client library and prints with the layouts of [`format`]. Output of
//! tasks spawned with `spawn ->` arrives as messages ([`output`]) and is routed per job
//! ([`jobs`]). [`table`] holds the help texts and [`options`] the option names.

pub mod alias;
pub mod command;
pub mod format;
pub mod jobs;
pub mod lexer;
pub mod options;
pub mod output;
pub mod table;
