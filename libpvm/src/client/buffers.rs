//! PVM's buffer-based calls on the task's buffer table, and typed messages.
//!
//! Two ways to use messages, one for each audience:
//!
//! - PVM's own: `initsend`, pack into the active send buffer ([`Pvm::pack`]), `send`;
//!   `recv` makes the message the active receive buffer, [`Pvm::unpack`] reads it.
//!   Buffer ids, `mkbuf`/`freebuf`/`setsbuf`/`setrbuf`/`getsbuf`/`getrbuf` and
//!   `bufinfo` behave as in PVM 3.4 (rules in [`crate::pack::BufferTable`]). This is
//!   what the C ABI maps onto.
//! - Rust's: build a [`Buffer`] yourself and [`Pvm::send_buf`] it; [`Pvm::recv_msg`]
//!   hands back the received message as a [`Buffer`] of your own, no table involved.

use std::time::Duration;

use super::inbox::Incoming;
use super::mailbox::MboxEntry;
use super::Pvm;
use crate::error::{PvmError, Result};
use crate::pack::{BufInfo, Buffer, BufferTable, Encoding, Pack, Scalar, Unpack};
use crate::tid::Tid;

impl Incoming {
    /// The message as a buffer ready to unpack, with its tag, source and context.
    pub fn into_buffer(self) -> Result<Buffer> {
        let mut b = Buffer::from_wire(self.encoding, self.body)?;
        b.set_tag(self.tag);
        b.set_src(self.src.raw());
        b.set_ctx(self.ctx);
        Ok(b)
    }
}

impl MboxEntry {
    /// The entry as a buffer ready to unpack (its source is the owner).
    pub fn into_buffer(self) -> Result<Buffer> {
        let mut b = Buffer::from_wire(self.encoding, self.body)?;
        b.set_src(self.owner.raw());
        Ok(b)
    }
}

impl Pvm {
    /// Runs `f` on the task's buffer table.
    pub fn with_buffers<R>(&self, f: impl FnOnce(&mut BufferTable) -> R) -> R {
        let mut table = self
            .shared
            .buffers
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        f(&mut table)
    }

    /// `pvm_initsend`: a fresh active send buffer in `encoding` (`PvmDataDefault`...).
    pub fn initsend(&self, encoding: i32) -> Result<i32> {
        self.with_buffers(|t| t.initsend(encoding))
    }

    /// `pvm_mkbuf`: a new buffer, not made active.
    pub fn mkbuf(&self, encoding: i32) -> Result<i32> {
        self.with_buffers(|t| t.mkbuf(encoding))
    }

    /// `pvm_freebuf`.
    pub fn freebuf(&self, id: i32) -> Result<()> {
        self.with_buffers(|t| t.freebuf(id))
    }

    /// `pvm_setsbuf`: returns the previous send buffer's id.
    pub fn setsbuf(&self, id: i32) -> Result<i32> {
        self.with_buffers(|t| t.setsbuf(id))
    }

    /// `pvm_setrbuf`: returns the previous receive buffer's id.
    pub fn setrbuf(&self, id: i32) -> Result<i32> {
        self.with_buffers(|t| t.setrbuf(id))
    }

    /// `pvm_getsbuf`.
    pub fn getsbuf(&self) -> i32 {
        self.with_buffers(|t| t.getsbuf())
    }

    /// `pvm_getrbuf`.
    pub fn getrbuf(&self) -> i32 {
        self.with_buffers(|t| t.getrbuf())
    }

    /// `pvm_bufinfo`: size, tag and source of a buffer.
    pub fn bufinfo(&self, id: i32) -> Result<BufInfo> {
        self.with_buffers(|t| t.bufinfo(id))
    }

    /// Packs a value (scalar, slice, array, `Vec` or string) into the active send
    /// buffer.
    pub fn pack<P: Pack + ?Sized>(&self, value: &P) -> Result<&Self> {
        self.with_buffers(|t| t.sbuf_mut()?.pack(value).map(drop))?;
        Ok(self)
    }

    /// Unpacks a value from the active receive buffer.
    pub fn unpack<U: Unpack>(&self) -> Result<U> {
        self.with_buffers(|t| t.rbuf_mut()?.unpack())
    }

    /// Unpacks `count` items from the active receive buffer.
    pub fn unpack_vec<T: Scalar>(&self, count: usize) -> Result<Vec<T>> {
        self.with_buffers(|t| t.rbuf_mut()?.unpack_vec(count))
    }

    /// The active send buffer's body and encoding, frozen for sending.
    fn active_body(&self) -> Result<(i32, bytes::Bytes)> {
        self.with_buffers(|t| {
            let b = t.sbuf_mut()?;
            Ok((b.encoding().code(), b.body()))
        })
    }

    /// `pvm_send`: sends the active send buffer to `dst` with `tag`.
    pub fn send(&self, dst: Tid, tag: i32) -> Result<()> {
        let (enc, body) = self.active_body()?;
        self.send_bytes(dst, tag, enc, body)
    }

    /// `pvm_mcast`: sends the active send buffer to every task in `dsts`.
    pub fn mcast(&self, dsts: &[Tid], tag: i32) -> Result<()> {
        let (enc, body) = self.active_body()?;
        self.mcast_bytes(dsts, tag, enc, body)
    }

    /// Sends a buffer of the caller's (the table is not involved).
    pub fn send_buf(&self, dst: Tid, tag: i32, buf: &mut Buffer) -> Result<()> {
        self.send_bytes(dst, tag, buf.encoding().code(), buf.body())
    }

    /// Makes an arrived message the active receive buffer; returns its id.
    fn activate(&self, m: Incoming) -> Result<i32> {
        let buf = m.into_buffer()?;
        self.with_buffers(|t| t.receive(buf))
    }

    /// `pvm_recv`: waits for a message from `src` with `tag` (`-1`: any) and makes it
    /// the active receive buffer; returns its id.
    pub fn recv(&self, src: i32, tag: i32) -> Result<i32> {
        let m = self.recv_bytes(src, tag)?;
        self.activate(m)
    }

    /// `pvm_nrecv`: like [`Pvm::recv`] but never waits (`None`: nothing yet).
    pub fn nrecv(&self, src: i32, tag: i32) -> Result<Option<i32>> {
        self.nrecv_bytes(src, tag)?
            .map(|m| self.activate(m))
            .transpose()
    }

    /// `pvm_trecv`: like [`Pvm::recv`] but waits at most `timeout` (`None`: none came).
    pub fn trecv(&self, src: i32, tag: i32, timeout: Duration) -> Result<Option<i32>> {
        self.trecv_bytes(src, tag, timeout)?
            .map(|m| self.activate(m))
            .transpose()
    }

    /// `pvm_probe`: whether a matching message has arrived, without receiving it. The
    /// id returned names a copy for `bufinfo`; the message stays queued for `recv`.
    /// Each probe frees the copy the previous probe made.
    pub fn probe(&self, src: i32, tag: i32) -> Result<Option<i32>> {
        let found = self.probe_bytes(src, tag)?;
        let mut last = self
            .shared
            .last_probe
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        self.with_buffers(|t| {
            if *last != 0 && t.getrbuf() != *last && t.getsbuf() != *last {
                let _ = t.freebuf(*last);
            }
            *last = 0;
            let Some(m) = found else { return Ok(None) };
            let id = t.insert(m.into_buffer()?)?;
            *last = id;
            Ok(Some(id))
        })
    }

    /// Waits for a message and returns it as a buffer of the caller's.
    pub fn recv_msg(&self, src: i32, tag: i32) -> Result<Buffer> {
        self.recv_bytes(src, tag)?.into_buffer()
    }

    /// [`Pvm::recv_msg`] waiting at most `timeout`.
    pub fn trecv_msg(&self, src: i32, tag: i32, timeout: Duration) -> Result<Option<Buffer>> {
        self.trecv_bytes(src, tag, timeout)?
            .map(Incoming::into_buffer)
            .transpose()
    }

    /// `pvm_psend`: packs `data` (PvmDataDefault) and sends it in one call, leaving the
    /// active send buffer alone.
    pub fn psend<T: Scalar>(&self, dst: Tid, tag: i32, data: &[T]) -> Result<()> {
        let mut b = Buffer::new(Encoding::Default);
        b.pack_slice(data, 1)?;
        self.send_buf(dst, tag, &mut b)
    }

    /// `pvm_precv`: receives a message and unpacks up to `out.len()` items of `T` into
    /// `out`. Returns the sender, the tag and how many items the message held (more
    /// than `out.len()` means it was cut short, as PVM's `rcnt`).
    pub fn precv<T: Scalar>(&self, src: i32, tag: i32, out: &mut [T]) -> Result<(Tid, i32, usize)> {
        let m = self.recv_bytes(src, tag)?;
        let (from, mtag) = (m.src, m.tag);
        let mut b = m.into_buffer()?;
        let size = if b.encoding() == Encoding::Default {
            T::XDR_SIZE
        } else {
            T::RAW_SIZE
        };
        let held = b.remaining() / size.max(1);
        let n = held.min(out.len());
        if n > 0 {
            b.unpack_into(&mut out[..n], 1)?;
        }
        Ok((from, mtag, held))
    }

    /// `pvm_pkmesg`: packs message `bufid` (its header: length, context, tag, wait id,
    /// encoding, checksum, source and destination, then its body) into the active send
    /// buffer, so a task can pass a message on inside another (`pvm_upkmesg`).
    pub fn pkmesg(&self, bufid: i32) -> Result<()> {
        self.with_buffers(|t| {
            if bufid == t.getsbuf() {
                return Err(PvmError::BadParam);
            }
            let me = t.mytid();
            let b = t.get_mut(bufid)?;
            let body = b.body();
            let len = i32::try_from(body.len()).map_err(|_| PvmError::NoMem)?;
            let dst = if b.is_local() { 0 } else { me };
            let header = [
                len,
                b.ctx(),
                b.tag(),
                0,
                b.encoding().code(),
                0,
                b.src(),
                dst,
            ];
            let out = t.sbuf_mut()?;
            out.pk(&header, 8, 1)?;
            out.pack_bytes(&body)
        })
    }

    /// `pvm_pkmesgbody`: appends message `bufid`'s body alone to the active send
    /// buffer; both must have the same encoding (`PvmMismatch`).
    pub fn pkmesgbody(&self, bufid: i32) -> Result<()> {
        self.with_buffers(|t| {
            if bufid == t.getsbuf() {
                return Err(PvmError::BadParam);
            }
            let b = t.get_mut(bufid)?;
            let (enc, body) = (b.encoding(), b.body());
            let out = t.sbuf_mut()?;
            if out.encoding() != enc {
                return Err(PvmError::Mismatch);
            }
            out.pack_bytes(&body)
        })
    }

    /// `pvm_upkmesg`: unpacks a message packed by [`Pvm::pkmesg`] from the active
    /// receive buffer into a new buffer (not made active); returns its id.
    pub fn upkmesg(&self) -> Result<i32> {
        self.with_buffers(|t| {
            let r = t.rbuf_mut()?;
            let h = r.unpack_vec::<i32>(8)?;
            let len = usize::try_from(h[0]).map_err(|_| PvmError::BadMsg)?;
            let body = r.unpack_bytes(len)?;
            let b = Buffer::from_wire(h[4], body)?.with_info(h[6], h[2], h[1]);
            t.insert(b)
        })
    }

    /// `pvm_putinfo`: stores buffer `bufid` in the mailbox under `name`; returns the
    /// index it got.
    pub fn putinfo(&self, name: &str, bufid: i32, flags: i32) -> Result<i32> {
        let (enc, body) = self.with_buffers(|t| {
            let b = t.get_mut(bufid)?;
            Ok::<_, PvmError>((b.encoding().code(), b.body()))
        })?;
        self.putinfo_bytes(name, enc, body, flags)
    }

    /// `pvm_recvinfo` (and `pvm_getinfo`): fetches a mailbox entry and makes it the
    /// active receive buffer; returns its id.
    pub fn recvinfo(&self, name: &str, index: i32, flags: i32) -> Result<i32> {
        let buf = self.recvinfo_bytes(name, index, flags)?.into_buffer()?;
        self.with_buffers(|t| t.receive(buf))
    }
}
