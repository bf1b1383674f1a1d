//! The message mailbox: putinfo, recvinfo/getinfo, delinfo, getmboxinfo.
//!
//! pvmd keeps named entries, each a packed message, visible to every task of the
//! virtual machine. An entry belongs to the task that put it and goes away when that
//! task exits, unless it was put with `PvmMboxPersistent`. Names may hold several
//! entries (`PvmMboxMultiInstance`), told apart by index.

use bytes::Bytes;

use super::tasks::unexpected;
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::proto::{MboxClass, Reply, Request};
use crate::tid::Tid;

/// A mailbox entry as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxEntry {
    /// The task that put it.
    pub owner: Tid,
    /// The flags it was put with.
    pub flags: i32,
    /// Its body's encoding.
    pub encoding: i32,
    /// The packed body.
    pub body: Bytes,
}

impl Pvm {
    /// `pvm_putinfo`: stores a packed body under `name`; returns its index.
    pub fn putinfo_bytes(&self, name: &str, encoding: i32, body: Bytes, flags: i32) -> Result<i32> {
        check(name, flags)?;
        let req = Request::PutInfo {
            name: name.to_string(),
            flags,
            encoding,
            body,
        };
        match self.session()?.conn.request(req)? {
            Reply::Value { value } => Ok(value),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_recvinfo`: the entry `index` of `name` (`PvmNotFound` if there is none;
    /// with `PvmMboxWaitForInfo`, waits until it exists).
    pub fn recvinfo_bytes(&self, name: &str, index: i32, flags: i32) -> Result<MboxEntry> {
        check(name, flags)?;
        let req = Request::GetInfo {
            name: name.to_string(),
            index,
            flags,
        };
        match self.session()?.conn.request(req)? {
            Reply::Info {
                owner,
                flags,
                encoding,
                body,
            } => Ok(MboxEntry {
                owner,
                flags,
                encoding,
                body,
            }),
            other => Err(unexpected(&other)),
        }
    }

    /// `pvm_delinfo`: removes entry `index` of `name`.
    pub fn delinfo(&self, name: &str, index: i32, flags: i32) -> Result<()> {
        check(name, flags)?;
        let req = Request::DelInfo {
            name: name.to_string(),
            index,
            flags,
        };
        self.session()?.conn.request(req)?;
        Ok(())
    }

    /// `pvm_getmboxinfo`: the names matching a glob `pattern` (`*` for all) and their
    /// entries.
    pub fn getmboxinfo(&self, pattern: &str) -> Result<Vec<MboxClass>> {
        let req = Request::MboxInfo {
            pattern: pattern.to_string(),
        };
        match self.session()?.conn.request(req)? {
            Reply::Mbox { classes } => Ok(classes),
            other => Err(unexpected(&other)),
        }
    }
}

fn check(name: &str, flags: i32) -> Result<()> {
    if name.is_empty() || flags < 0 {
        return Err(PvmError::BadParam);
    }
    Ok(())
}
