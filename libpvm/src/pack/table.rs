//! The task's table of message buffers: PVM's buffer ids and its active send and
//! receive buffers.
//!
//! The rules are PVM 3.4's:
//! - ids are positive; 0 means "no buffer" and a negative id is [`PvmError::BadParam`];
//!   an id not in the table is [`PvmError::NoSuchBuf`];
//! - `setsbuf`/`setrbuf` return the previous active id (0 if none); a buffer cannot be
//!   both at once, so making the send buffer the receive buffer (or the reverse) leaves
//!   the other role empty; the send buffer made the receive buffer is read from its
//!   start, a receive buffer set again keeps its read position;
//! - `freebuf(0)` succeeds and does nothing; freeing an active buffer empties that role;
//! - `initsend` frees the current send buffer and makes a new empty one active;
//! - a new message (`recv`) frees the previous receive buffer and becomes the new one;
//! - packing with no send buffer, or unpacking with no receive buffer, is
//!   [`PvmError::NoBuf`].

use super::buffer::Buffer;
use super::encoding::Encoding;
use crate::error::{PvmError, Result};

/// What `pvm_bufinfo` reports about a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufInfo {
    /// Length of the body in bytes.
    pub bytes: usize,
    /// The message tag (0 for a buffer packed here).
    pub tag: i32,
    /// The sender's tid (this task's for a buffer packed here).
    pub src: i32,
}

/// A task's message buffers by id, with the active send and receive buffer.
///
/// Plain data (`Send`): the client keeps it behind its own lock.
#[derive(Debug, Default)]
pub struct BufferTable {
    /// Slot `i` holds buffer id `i + 1`.
    slots: Vec<Option<Buffer>>,
    sbuf: i32,
    rbuf: i32,
    /// Written as the source of buffers made here, so `bufinfo` shows this task.
    mytid: i32,
}

impl BufferTable {
    /// An empty table: no buffers, no active send or receive buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the tid recorded as the source of buffers created from now on.
    pub fn set_mytid(&mut self, tid: i32) {
        self.mytid = tid;
    }

    /// The tid recorded as the source of buffers made here (0 before joining).
    pub fn mytid(&self) -> i32 {
        self.mytid
    }

    /// The slot index for a positive id; 0 and negative ids are [`PvmError::BadParam`].
    fn slot(id: i32) -> Result<usize> {
        usize::try_from(id)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .ok_or(PvmError::BadParam)
    }

    /// Stores a buffer under the lowest free id.
    pub fn insert(&mut self, buf: Buffer) -> Result<i32> {
        let index = match self.slots.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        let id = i32::try_from(index + 1).map_err(|_| PvmError::NoMem)?;
        self.slots[index] = Some(buf);
        Ok(id)
    }

    /// `pvm_mkbuf`: a new empty buffer in the encoding with this `PvmData*` code.
    pub fn mkbuf(&mut self, encoding: i32) -> Result<i32> {
        self.mkbuf_with(Encoding::from_code(encoding)?)
    }

    /// [`BufferTable::mkbuf`] with a typed encoding.
    pub fn mkbuf_with(&mut self, encoding: Encoding) -> Result<i32> {
        let mut buf = Buffer::new(encoding);
        buf.set_src(self.mytid);
        self.insert(buf)
    }

    /// `pvm_freebuf`: drops a buffer; 0 is accepted and does nothing.
    pub fn freebuf(&mut self, id: i32) -> Result<()> {
        if id == 0 {
            return Ok(());
        }
        self.take(id).map(drop)
    }

    /// Removes a buffer from the table and hands it over (emptying its active role).
    pub fn take(&mut self, id: i32) -> Result<Buffer> {
        let slot = self
            .slots
            .get_mut(Self::slot(id)?)
            .and_then(Option::take)
            .ok_or(PvmError::NoSuchBuf)?;
        if self.sbuf == id {
            self.sbuf = 0;
        }
        if self.rbuf == id {
            self.rbuf = 0;
        }
        Ok(slot)
    }

    /// Whether `id` names a buffer in the table.
    pub fn contains(&self, id: i32) -> bool {
        self.get(id).is_ok()
    }

    /// The buffer with this id.
    pub fn get(&self, id: i32) -> Result<&Buffer> {
        self.slots
            .get(Self::slot(id)?)
            .and_then(Option::as_ref)
            .ok_or(PvmError::NoSuchBuf)
    }

    /// The buffer with this id, for packing or unpacking.
    pub fn get_mut(&mut self, id: i32) -> Result<&mut Buffer> {
        self.slots
            .get_mut(Self::slot(id)?)
            .and_then(Option::as_mut)
            .ok_or(PvmError::NoSuchBuf)
    }

    /// `pvm_initsend`: frees the send buffer and makes a new empty one active.
    pub fn initsend(&mut self, encoding: i32) -> Result<i32> {
        self.initsend_with(Encoding::from_code(encoding)?)
    }

    /// [`BufferTable::initsend`] with a typed encoding.
    pub fn initsend_with(&mut self, encoding: Encoding) -> Result<i32> {
        self.freebuf(self.sbuf)?;
        let id = self.mkbuf_with(encoding)?;
        self.sbuf = id;
        Ok(id)
    }

    /// Checks an id for `setsbuf`/`setrbuf`: 0 or an existing buffer.
    fn check_settable(&self, id: i32) -> Result<()> {
        match id {
            0 => Ok(()),
            _ => self.get(id).map(drop),
        }
    }

    /// `pvm_setsbuf`: makes `id` (0 for none) the send buffer; returns the previous one.
    pub fn setsbuf(&mut self, id: i32) -> Result<i32> {
        self.check_settable(id)?;
        if id != 0 && self.rbuf == id {
            self.rbuf = 0;
        }
        Ok(std::mem::replace(&mut self.sbuf, id))
    }

    /// `pvm_setrbuf`: makes `id` (0 for none) the receive buffer; returns the previous one.
    pub fn setrbuf(&mut self, id: i32) -> Result<i32> {
        self.check_settable(id)?;
        if id != 0 && self.sbuf == id {
            // Switching a buffer from packing to reading starts at its first item, as
            // in PVM; a receive buffer set again keeps its place.
            self.sbuf = 0;
            self.get_mut(id)?.rewind();
        }
        Ok(std::mem::replace(&mut self.rbuf, id))
    }

    /// `pvm_getsbuf`: the send buffer's id, 0 if none.
    pub fn getsbuf(&self) -> i32 {
        self.sbuf
    }

    /// `pvm_getrbuf`: the receive buffer's id, 0 if none.
    pub fn getrbuf(&self) -> i32 {
        self.rbuf
    }

    /// The active send buffer, for the `pvm_pk*` calls; [`PvmError::NoBuf`] if none.
    pub fn sbuf_mut(&mut self) -> Result<&mut Buffer> {
        match self.sbuf {
            0 => Err(PvmError::NoBuf),
            id => self.get_mut(id),
        }
    }

    /// The active receive buffer, for the `pvm_upk*` calls; [`PvmError::NoBuf`] if none.
    pub fn rbuf_mut(&mut self) -> Result<&mut Buffer> {
        match self.rbuf {
            0 => Err(PvmError::NoBuf),
            id => self.get_mut(id),
        }
    }

    /// A message arrived (`pvm_recv` and friends): frees the old receive buffer and
    /// makes this one the receive buffer. Returns its id.
    pub fn receive(&mut self, msg: Buffer) -> Result<i32> {
        self.freebuf(self.rbuf)?;
        let id = self.insert(msg)?;
        self.rbuf = id;
        Ok(id)
    }

    /// `pvm_bufinfo`: length, tag and source of a buffer.
    pub fn bufinfo(&self, id: i32) -> Result<BufInfo> {
        let buf = self.get(id)?;
        Ok(BufInfo {
            bytes: buf.len(),
            tag: buf.tag(),
            src: buf.src(),
        })
    }

    /// How many buffers the table holds.
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }

    /// Whether the table holds no buffer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The client keeps the table inside its handle, shared across threads.
    #[test]
    fn table_and_buffers_are_send_and_sync() {
        fn shareable<T: Send + Sync>() {}
        shareable::<BufferTable>();
        shareable::<Buffer>();
    }

    #[test]
    fn received_header_shows_in_bufinfo() {
        let mut t = BufferTable::new();
        let msg = Buffer::from_wire(1, bytes::Bytes::from_static(&[1, 2, 3]))
            .map(|b| b.with_info(0x40002, 9, 5));
        let id = t.receive(msg.unwrap()).unwrap();
        assert_eq!(
            t.bufinfo(id),
            Ok(BufInfo {
                bytes: 3,
                tag: 9,
                src: 0x40002
            })
        );
        assert_eq!(t.get(id).map(Buffer::ctx), Ok(5));
    }
}
