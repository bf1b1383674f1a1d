//! One message buffer: the bytes of a message, packed or about to be unpacked.
//!
//! A buffer is written at its end by the `pack` calls and read from a cursor by the
//! `unpack` calls; the two are independent, so a task can pack a buffer, make it its
//! receive buffer and read it back, as PVM allows. Packing appends to a growing
//! vector; [`Buffer::body`] freezes it into [`Bytes`] without copying, so the
//! message is routed as is. A received [`Bytes`] is read in place: scalars are decoded
//! straight from it and byte runs and strings come back as slices of it.
//!
//! Every call either does all its work or none: a failed pack leaves the body as it
//! was, a failed unpack leaves the cursor where it was.

use bytes::Bytes;

use super::encoding::Encoding;
use super::scalar::Scalar;
use super::stride::Strided;
use crate::error::{PvmError, Result};

/// XDR pads every group to a multiple of this many bytes.
const XDR_UNIT: usize = 4;

/// `n` rounded up to the next XDR unit, or `None` if that overflows.
fn xdr_round(n: usize) -> Option<usize> {
    n.checked_add(XDR_UNIT - 1).map(|m| m & !(XDR_UNIT - 1))
}

/// Makes room for `extra` more bytes, failing with [`PvmError::NoMem`] instead of
/// aborting when the allocator refuses (a C caller can ask for a count times a zero
/// stride of gigabytes). Growth is amortised: capacity at most doubles past the need.
fn reserve(out: &mut Vec<u8>, extra: usize) -> Result<()> {
    out.try_reserve(extra).map_err(|_| PvmError::NoMem)
}

/// A PVM message buffer (what `pvm_mkbuf` creates and a `pvm_recv` fills).
#[derive(Debug)]
pub struct Buffer {
    encoding: Encoding,
    /// The body while it is being written; empty whenever `frozen` holds it.
    open: Vec<u8>,
    /// The body once frozen for sending, or as received.
    frozen: Option<Bytes>,
    read_pos: usize,
    /// True when this task packed the buffer, false when it came from the network.
    local: bool,
    tag: i32,
    src: i32,
    ctx: i32,
}

impl Buffer {
    /// An empty send buffer in `encoding`.
    pub fn new(encoding: Encoding) -> Self {
        Self::with_capacity(encoding, 0)
    }

    /// An empty send buffer with room for `capacity` bytes before it has to grow.
    pub fn with_capacity(encoding: Encoding, capacity: usize) -> Self {
        Self {
            encoding,
            open: Vec::with_capacity(capacity),
            frozen: None,
            read_pos: 0,
            local: true,
            tag: 0,
            src: 0,
            ctx: 0,
        }
    }

    /// A buffer holding a message that arrived packed in `encoding`, ready to unpack.
    pub fn received(encoding: Encoding, body: Bytes) -> Self {
        Self {
            encoding,
            open: Vec::new(),
            frozen: Some(body),
            read_pos: 0,
            local: false,
            tag: 0,
            src: 0,
            ctx: 0,
        }
    }

    /// [`Buffer::received`] for the `PvmData*` code carried in a message header.
    pub fn from_wire(encoding: i32, body: Bytes) -> Result<Self> {
        Ok(Self::received(Encoding::from_code(encoding)?, body))
    }

    /// Records the header of a received message in one go:
    /// `Buffer::from_wire(enc, body)?.with_info(src, tag, ctx)`.
    pub fn with_info(mut self, src: i32, tag: i32, ctx: i32) -> Self {
        self.src = src;
        self.tag = tag;
        self.ctx = ctx;
        self
    }

    /// The buffer's encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// The message tag (`bufinfo`'s `msgtag`): 0 for a buffer packed here.
    pub fn tag(&self) -> i32 {
        self.tag
    }

    /// Records the message tag, for the receive path.
    pub fn set_tag(&mut self, tag: i32) {
        self.tag = tag;
    }

    /// The sender's tid (`bufinfo`'s `tid`): the owning task for a buffer packed here.
    pub fn src(&self) -> i32 {
        self.src
    }

    /// Records the sender's tid.
    pub fn set_src(&mut self, src: i32) {
        self.src = src;
    }

    /// The message context (`pvm_getminfo`'s `ctx`).
    pub fn ctx(&self) -> i32 {
        self.ctx
    }

    /// Records the message context.
    pub fn set_ctx(&mut self, ctx: i32) {
        self.ctx = ctx;
    }

    /// Whether this buffer was packed by this task (as opposed to received).
    pub fn is_local(&self) -> bool {
        self.local
    }

    /// The body's length in bytes (`bufinfo`'s `bytes`).
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Bytes the body holds room for: what it costs in memory. At most about twice
    /// [`Buffer::len`], as the body grows by doubling.
    pub fn capacity(&self) -> usize {
        match &self.frozen {
            Some(b) => b.len(),
            None => self.open.capacity(),
        }
    }

    /// Whether nothing has been packed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where the next unpack reads, in bytes from the start.
    pub fn position(&self) -> usize {
        self.read_pos
    }

    /// Bytes left to unpack.
    pub fn remaining(&self) -> usize {
        self.len().saturating_sub(self.read_pos)
    }

    /// Starts unpacking again from the first byte.
    pub fn rewind(&mut self) {
        self.read_pos = 0;
    }

    /// The body as bytes.
    pub fn as_slice(&self) -> &[u8] {
        match &self.frozen {
            Some(b) => b,
            None => &self.open,
        }
    }

    /// The body, ready to send. Freezing shares the bytes instead of copying them, and
    /// the buffer keeps them, so it can be sent again (as `pvm_mcast` and repeated
    /// `pvm_send` of one buffer do).
    pub fn body(&mut self) -> Bytes {
        self.frozen
            .get_or_insert_with(|| Bytes::from(std::mem::take(&mut self.open)))
            .clone()
    }

    /// The body for appending. A frozen body is reopened without a copy when no sent
    /// message still shares it.
    fn writer(&mut self) -> &mut Vec<u8> {
        if let Some(frozen) = self.frozen.take() {
            self.open = match frozen.try_into_mut() {
                Ok(unique) => Vec::from(unique),
                Err(shared) => shared.to_vec(),
            };
        }
        &mut self.open
    }

    /// Bytes one item of `T` takes in this buffer's encoding.
    fn item_size<T: Scalar>(&self) -> usize {
        if self.encoding.is_xdr() {
            T::XDR_SIZE
        } else {
            T::RAW_SIZE
        }
    }

    /// Appends a zeroed region of `bytes` bytes (plus XDR padding) and lets `fill` write
    /// it; on failure the body is cut back, so nothing half-packed remains.
    fn append(
        &mut self,
        bytes: usize,
        fill: impl FnOnce(&mut [u8], bool) -> Result<()>,
    ) -> Result<()> {
        let xdr = self.encoding.is_xdr();
        let padded = if xdr { xdr_round(bytes) } else { Some(bytes) };
        let padded = padded.ok_or(PvmError::NoMem)?;
        let out = self.writer();
        let start = out.len();
        let end = start.checked_add(padded).ok_or(PvmError::NoMem)?;
        reserve(out, padded)?;
        out.resize(end, 0);
        let result = fill(&mut out[start..start + bytes], xdr);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    /// Packs the items `strided` selects from `items`.
    pub(crate) fn pack_strided<T: Scalar>(&mut self, items: &[T], st: Strided) -> Result<()> {
        if self.encoding == Encoding::InPlace && !st.is_contiguous() {
            return Err(PvmError::NotImpl);
        }
        let bytes = st
            .count()
            .checked_mul(self.item_size::<T>())
            .ok_or(PvmError::NoMem)?;
        if st.is_contiguous() {
            let run = &items[..st.count()];
            return self.append(bytes, |dst, xdr| T::put_all(run, dst, xdr));
        }
        let size = self.item_size::<T>();
        self.append(bytes, |dst, xdr| {
            if xdr && !T::XDR_LOSSLESS && !st.indices().all(|i| items[i].fits_xdr()) {
                return Err(PvmError::Overflow);
            }
            for (i, chunk) in st.indices().zip(dst.chunks_exact_mut(size)) {
                if xdr {
                    items[i].put_xdr(chunk);
                } else {
                    items[i].put_raw(chunk);
                }
            }
            Ok(())
        })
    }

    /// `pvm_pk*(items, nitem, stride)`: packs `nitem` items of `items`, every `stride`-th
    /// one (see [`Strided`] for zero and negative strides).
    ///
    /// Errors: [`PvmError::BadParam`] for a negative count or a slice too short for the
    /// request; [`PvmError::Overflow`] for a `long` that XDR cannot carry;
    /// [`PvmError::NotImpl`] for a stride other than 1 in [`Encoding::InPlace`].
    pub fn pk<T: Scalar>(&mut self, items: &[T], nitem: i32, stride: i32) -> Result<()> {
        let st = Strided::new(nitem, stride, items.len())?;
        self.pack_strided(items, st)
    }

    /// Packs every `stride`-th item of `items`, starting with the first. A stride of 0 is
    /// [`PvmError::BadParam`].
    pub fn pack_slice<T: Scalar>(&mut self, items: &[T], stride: usize) -> Result<&mut Self> {
        if stride == 0 {
            return Err(PvmError::BadParam);
        }
        let count = items.len().div_ceil(stride);
        let st = Strided::with_count(count, stride as isize, items.len())?;
        self.pack_strided(items, st)?;
        Ok(self)
    }

    /// Appends `bytes` as they are (padded to XDR's 4-byte units in XDR), for
    /// `pvm_pkmesg`/`pvm_pkmesgbody`, which carry a packed body inside another.
    ///
    /// [`PvmError::NotImpl`] in [`Encoding::InPlace`].
    pub fn pack_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        if self.encoding == Encoding::InPlace {
            return Err(PvmError::NotImpl);
        }
        self.append(bytes.len(), |dst, _| {
            dst[..bytes.len()].copy_from_slice(bytes);
            Ok(())
        })
    }

    /// `pvm_pkstr`: packs a C string given without its NUL, as PVM does: the length
    /// including the NUL as an int, then the bytes and the NUL.
    ///
    /// [`PvmError::NotImpl`] in [`Encoding::InPlace`], as in PVM.
    pub fn pkstr(&mut self, s: &[u8]) -> Result<()> {
        if self.encoding == Encoding::InPlace {
            return Err(PvmError::NotImpl);
        }
        let with_nul = s.len().checked_add(1).ok_or(PvmError::BadParam)?;
        let len = i32::try_from(with_nul).map_err(|_| PvmError::BadParam)?;
        let start = self.len();
        self.pk(&[len], 1, 1)?;
        let packed = self.append(with_nul, |dst, _| {
            dst[..s.len()].copy_from_slice(s);
            Ok(())
        });
        if packed.is_err() {
            self.writer().truncate(start);
        }
        packed
    }

    /// Fails with [`PvmError::BadMsg`] when the buffer cannot be read: an in-place buffer
    /// this task packed holds no data of its own in PVM.
    fn check_readable(&self) -> Result<()> {
        if self.local && self.encoding == Encoding::InPlace {
            return Err(PvmError::BadMsg);
        }
        Ok(())
    }

    /// Claims the next `bytes` bytes for reading: their range and the cursor after them
    /// (past the XDR padding, which a truncated message may lack).
    fn claim(&self, bytes: usize) -> Result<(std::ops::Range<usize>, usize)> {
        self.check_readable()?;
        let len = self.len();
        let end = self
            .read_pos
            .checked_add(bytes)
            .filter(|&end| end <= len)
            .ok_or(PvmError::NoData)?;
        let next = if self.encoding.is_xdr() {
            xdr_round(end).map_or(len, |n| n.min(len))
        } else {
            end
        };
        Ok((self.read_pos..end, next))
    }

    /// Unpacks into the slots of `out` that `strided` selects.
    pub(crate) fn unpack_strided<T: Scalar>(&mut self, out: &mut [T], st: Strided) -> Result<()> {
        let size = self.item_size::<T>();
        let bytes = st.count().checked_mul(size).ok_or(PvmError::NoData)?;
        let (range, next) = self.claim(bytes)?;
        let xdr = self.encoding.is_xdr();
        let src = &self.as_slice()[range];
        if st.is_contiguous() {
            T::get_all(src, &mut out[..st.count()], xdr);
        } else {
            for (i, chunk) in st.indices().zip(src.chunks_exact(size)) {
                out[i] = if xdr {
                    T::get_xdr(chunk)
                } else {
                    T::get_raw(chunk)
                };
            }
        }
        self.read_pos = next;
        Ok(())
    }

    /// `pvm_upk*(out, nitem, stride)`: unpacks `nitem` items into every `stride`-th slot
    /// of `out`.
    ///
    /// Errors: [`PvmError::BadParam`] for a negative count or a slice too short;
    /// [`PvmError::NoData`] when the message holds fewer items (nothing is written then).
    pub fn upk<T: Scalar>(&mut self, out: &mut [T], nitem: i32, stride: i32) -> Result<()> {
        let st = Strided::new(nitem, stride, out.len())?;
        self.unpack_strided(out, st)
    }

    /// Fills every `stride`-th slot of `out`, starting with the first, from the message.
    pub fn unpack_into<T: Scalar>(&mut self, out: &mut [T], stride: usize) -> Result<()> {
        if stride == 0 {
            return Err(PvmError::BadParam);
        }
        let count = out.len().div_ceil(stride);
        let st = Strided::with_count(count, stride as isize, out.len())?;
        self.unpack_strided(out, st)
    }

    /// Unpacks `count` items into a new vector. The message must hold them all
    /// ([`PvmError::NoData`] otherwise), so a hostile count allocates nothing.
    pub fn unpack_vec<T: Scalar>(&mut self, count: usize) -> Result<Vec<T>> {
        let bytes = count
            .checked_mul(self.item_size::<T>())
            .ok_or(PvmError::NoData)?;
        let (range, next) = self.claim(bytes)?;
        let mut out = vec![T::default(); count];
        T::get_all(&self.as_slice()[range], &mut out, self.encoding.is_xdr());
        self.read_pos = next;
        Ok(out)
    }

    /// Unpacks `count` bytes as a slice of the received message, without copying.
    pub fn unpack_bytes(&mut self, count: usize) -> Result<Bytes> {
        let (range, next) = self.claim(count)?;
        let out = self.share(range);
        self.read_pos = next;
        Ok(out)
    }

    /// The bytes in `range` of the body: shared when frozen, copied while still open.
    fn share(&self, range: std::ops::Range<usize>) -> Bytes {
        match &self.frozen {
            Some(b) => b.slice(range),
            None => Bytes::copy_from_slice(&self.open[range]),
        }
    }

    /// `pvm_upkstr`: the string's bytes exactly as sent, normally ending in the NUL
    /// the sender packed (PVM copies exactly these bytes, so a sender that packed no
    /// NUL leaves C's string unterminated; a C layer should add one). A negative length
    /// is [`PvmError::BadMsg`]; a length past the end of the message
    /// [`PvmError::NoData`]. The bytes are a slice of the received body, not a copy.
    pub fn upkstr(&mut self) -> Result<Bytes> {
        let (range, next) = self.claim_str()?;
        let out = self.share(range);
        self.read_pos = next;
        Ok(out)
    }

    /// Unpacks a string packed by `pvm_pkstr` (or [`Buffer::pkstr`]): the text without
    /// its terminating NUL. Bytes that are not UTF-8 are [`PvmError::BadMsg`].
    pub fn unpack_string(&mut self) -> Result<String> {
        let (range, next) = self.claim_str()?;
        let raw = &self.as_slice()[range];
        let text = raw.strip_suffix(&[0]).unwrap_or(raw);
        let text = std::str::from_utf8(text).map_err(|_| PvmError::BadMsg)?;
        let out = text.to_owned();
        self.read_pos = next;
        Ok(out)
    }

    /// Claims a string's bytes: the length word, then that many bytes. The cursor does
    /// not move; callers commit the returned position once they have what they need.
    fn claim_str(&mut self) -> Result<(std::ops::Range<usize>, usize)> {
        let start = self.read_pos;
        let mut len = [0i32];
        self.upk(&mut len, 1, 1)?;
        let claimed = usize::try_from(len[0])
            .map_err(|_| PvmError::BadMsg)
            .and_then(|n| self.claim(n));
        self.read_pos = start;
        claimed
    }
}

impl Default for Buffer {
    fn default() -> Self {
        Self::new(Encoding::Default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_padded_per_group_in_xdr() {
        let mut b = Buffer::new(Encoding::Default);
        b.pk(&[1u8, 2, 3], 3, 1).unwrap();
        b.pk(&[9u8], 1, 1).unwrap();
        assert_eq!(b.as_slice(), &[1, 2, 3, 0, 9, 0, 0, 0]);
        assert_eq!(b.unpack_vec::<u8>(1).unwrap(), vec![1]);
        assert_eq!(b.position(), 4);
    }

    #[test]
    fn freezing_then_packing_keeps_the_sent_copy() {
        let mut b = Buffer::new(Encoding::Raw);
        b.pk(&[7i32], 1, 1).unwrap();
        let sent = b.body();
        b.pk(&[8i32], 1, 1).unwrap();
        assert_eq!(sent.len(), 4);
        assert_eq!(b.len(), 8);
        drop(sent);
        let again = b.body();
        assert_eq!(&again[..4], &7i32.to_ne_bytes());
    }

    #[test]
    fn failed_pack_leaves_nothing() {
        let mut b = Buffer::new(Encoding::Default);
        assert_eq!(b.pk(&[1i64, 1 << 40], 2, 1), Err(PvmError::Overflow));
        assert!(b.is_empty());
    }
}
