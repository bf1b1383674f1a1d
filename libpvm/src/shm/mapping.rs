//! Mapped segments: made for the sender's pool, or opened when a frame brings one.
//!
//! Received segments are kept mapped in a small cache, so a stream of large messages
//! from one sender, which cycles through a few segments, maps and faults each in once.
//! Every mapping of a received segment is also listed (weakly), so a body about to be
//! sent can be recognised as lying in one and sent on by reference.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};

use bytes::Bytes;
use nix::fcntl::{fcntl, FcntlArg, SealFlag};
use nix::sys::memfd::{memfd_create, MemFdCreateFlag};
use nix::sys::mman::{mmap, munmap, MapFlags, ProtFlags};
use nix::sys::stat::fstat;
use nix::unistd::ftruncate;

use super::ShmError;

/// Bytes at the start of a segment before any body: the reference count, padded to
/// a cache line.
pub const HEADER: usize = 64;
/// The largest segment a receiver maps.
const LARGEST: usize = 1 << 30;
/// How many received segments stay mapped once no body refers to them.
const CACHED: usize = 16;

/// One segment, mapped read-write and shared.
pub struct Mapping {
    base: NonNull<u8>,
    len: usize,
    fd: OwnedFd,
    /// (device, inode): the same segment arriving again through another descriptor.
    id: (u64, u64),
}

// SAFETY: a Mapping is shared memory that stays mapped for its whole life; its only
// mutable part, the reference count, is touched only through atomics, and bodies are
// written only by the segment's owner while it holds the sole claim (see `write`).
unsafe impl Send for Mapping {}
// SAFETY: as for Send: no method hands out unsynchronised mutable access.
unsafe impl Sync for Mapping {}

fn sys(call: &'static str) -> impl FnOnce(nix::Error) -> ShmError {
    move |errno| ShmError::Sys { call, errno }
}

impl Mapping {
    /// A new segment of `len` bytes, sealed so that nobody can shrink it.
    pub fn create(len: usize) -> Result<Mapping, ShmError> {
        let fd = memfd_create(
            c"pvm-message",
            MemFdCreateFlag::MFD_CLOEXEC | MemFdCreateFlag::MFD_ALLOW_SEALING,
        )
        .map_err(sys("memfd_create"))?;
        let size = libc::off_t::try_from(len).map_err(|_| ShmError::BadDescriptor("too large"))?;
        ftruncate(&fd, size).map_err(sys("ftruncate"))?;
        let seals = SealFlag::F_SEAL_SHRINK | SealFlag::F_SEAL_GROW | SealFlag::F_SEAL_SEAL;
        fcntl(fd.as_raw_fd(), FcntlArg::F_ADD_SEALS(seals)).map_err(sys("fcntl"))?;
        let st = fstat(fd.as_raw_fd()).map_err(sys("fstat"))?;
        Self::map(fd, len, (st.st_dev, st.st_ino))
    }

    fn map(fd: OwnedFd, len: usize, id: (u64, u64)) -> Result<Mapping, ShmError> {
        let size = NonZeroUsize::new(len).ok_or(ShmError::BadDescriptor("empty segment"))?;
        // SAFETY: a new shared mapping of a file at least `len` bytes long that cannot
        // shrink (sealed); it replaces no existing memory (no address is given).
        let base = unsafe {
            mmap(
                None,
                size,
                ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
                MapFlags::MAP_SHARED,
                &fd,
                0,
            )
        }
        .map_err(sys("mmap"))?;
        Ok(Mapping {
            base: base.cast(),
            len,
            fd,
            id,
        })
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// The segment's identity: its inode (the same on every side that maps it).
    pub fn inode(&self) -> u64 {
        self.id.1
    }

    /// A received memfd mapped for this caller alone (a ring, which is never a
    /// message body): checked as [`open`] checks, but neither cached nor listed.
    pub fn open_private(fd: OwnedFd) -> Result<Mapping, ShmError> {
        let (len, id) = checked(&fd)?;
        Self::map(fd, len, id)
    }

    /// The word at `offset`, shared with the other processes that map the segment.
    pub fn atomic_u64(&self, offset: usize) -> &AtomicU64 {
        assert!(
            offset.is_multiple_of(8) && offset + 8 <= self.len,
            "atomic outside the segment"
        );
        // SAFETY: in bounds and 8-aligned (asserted; the mapping is page-aligned), mapped
        // as long as `self` lives; every process touches such a word only atomically.
        unsafe { &*self.base.as_ptr().add(offset).cast::<AtomicU64>() }
    }

    /// The 32-bit word at `offset`, as [`Mapping::atomic_u64`].
    pub fn atomic_u32(&self, offset: usize) -> &AtomicU32 {
        assert!(
            offset.is_multiple_of(4) && offset + 4 <= self.len,
            "atomic outside the segment"
        );
        // SAFETY: as in `atomic_u64`, for a 4-aligned word.
        unsafe { &*self.base.as_ptr().add(offset).cast::<AtomicU32>() }
    }

    /// Copies `out.len()` bytes at `offset` out of the segment. Another process may be
    /// writing them meanwhile (a lying peer): the copy is then garbage, never a read
    /// outside the mapping, and callers validate what they copied, not the segment.
    pub fn read_into(&self, offset: usize, out: &mut [u8]) {
        assert!(
            offset
                .checked_add(out.len())
                .is_some_and(|end| end <= self.len),
            "read outside the segment"
        );
        // SAFETY: in bounds (asserted) of a mapping alive while `self` is; `out` is this
        // process's own memory, so the two do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                self.base.as_ptr().add(offset),
                out.as_mut_ptr(),
                out.len(),
            )
        }
    }

    /// Copies `data` to `offset`, anywhere in the segment (a ring's cells). The caller
    /// owns that part of the segment by the ring's protocol.
    pub fn write_at(&self, offset: usize, data: &[u8]) {
        assert!(
            offset
                .checked_add(data.len())
                .is_some_and(|end| end <= self.len),
            "write outside the segment"
        );
        // SAFETY: in bounds (asserted) of a writable mapping alive while `self` is;
        // `data` is this process's own memory, so the two do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.base.as_ptr().add(offset), data.len())
        }
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    fn refs(&self) -> &AtomicU32 {
        // SAFETY: the mapping is page-aligned, at least HEADER bytes long and mapped
        // as long as `self` lives; AtomicU32 has u32's size and alignment, and every
        // process touches this word only atomically.
        unsafe { &*self.base.as_ptr().cast::<AtomicU32>() }
    }

    /// One more message refers to the segment.
    pub fn acquire(&self) {
        self.refs().fetch_add(1, Ordering::AcqRel);
    }

    /// A message that referred to the segment is gone. Never below zero, whatever a
    /// confused peer did.
    pub fn release(&self) {
        let _ = self
            .refs()
            .fetch_update(Ordering::Release, Ordering::Relaxed, |r| r.checked_sub(1));
    }

    /// Takes a free segment for a new message: true when it was free and is now ours.
    pub fn try_claim(&self) -> bool {
        self.refs()
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    /// Whether no message refers to the segment.
    pub fn is_free(&self) -> bool {
        self.refs().load(Ordering::Acquire) == 0
    }

    /// Copies `data` to `offset`. The caller holds the claim on the segment (see
    /// [`Mapping::try_claim`]): nobody reads there until the frame is sent.
    pub fn write(&self, offset: usize, data: &[u8]) {
        assert!(
            offset >= HEADER && offset.saturating_add(data.len()) <= self.len,
            "write outside the segment's body area"
        );
        // SAFETY: in bounds (asserted) of a writable mapping alive while `self` is;
        // `data` is ordinary memory of this process, so the two do not overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(data.as_ptr(), self.base.as_ptr().add(offset), data.len())
        }
    }

    fn slice(&self, offset: usize, len: usize) -> &[u8] {
        debug_assert!(offset + len <= self.len);
        // SAFETY: in bounds (callers check against `len`) of memory mapped while
        // `self` lives; the sender does not write there while this body holds a
        // reference to the segment.
        unsafe { std::slice::from_raw_parts(self.base.as_ptr().add(offset), len) }
    }

    /// Where `len` bytes at `p` lie in this segment's body area, if they do.
    fn offset_of(&self, p: *const u8, len: usize) -> Option<usize> {
        let start = self.base.as_ptr() as usize;
        let at = (p as usize).checked_sub(start)?;
        (at >= HEADER && at.checked_add(len)? <= self.len).then_some(at)
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        // SAFETY: `base`/`len` are exactly what mmap returned; every reference into
        // the mapping (a body's view) holds an Arc of it, so none outlives it.
        if let Err(e) = unsafe { munmap(self.base.cast(), self.len) } {
            tracing::debug!("munmap of a shared segment failed: {e}");
        }
    }
}

/// A body in a segment, as the owner of a `Bytes`: gives its reference back when the
/// last `Bytes` of it is dropped.
struct View {
    map: Arc<Mapping>,
    offset: usize,
    len: usize,
}

impl AsRef<[u8]> for View {
    fn as_ref(&self) -> &[u8] {
        self.map.slice(self.offset, self.len)
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.map.release();
    }
}

/// The body at `offset..offset + len` of `map` (checked by the caller), holding the
/// reference its frame brought.
pub fn view(map: Arc<Mapping>, offset: usize, len: usize) -> Bytes {
    Bytes::from_owner(View { map, offset, len })
}

/// Received segments recently used, most recent last.
static CACHE: Mutex<VecDeque<Arc<Mapping>>> = Mutex::new(VecDeque::new());
/// Every live mapping of a received segment.
static MAPPED: Mutex<Vec<Weak<Mapping>>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Each update is one step: a panic elsewhere cannot leave the lists half-done.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The received segment `fd`, mapped: from the cache when it is mapped already (the
/// new descriptor is then closed), else checked and mapped.
pub fn open(fd: OwnedFd) -> Result<Arc<Mapping>, ShmError> {
    let (len, id) = checked(&fd)?;
    let mut cache = lock(&CACHE);
    if let Some(i) = cache.iter().position(|m| m.id == id && m.len == len) {
        let map = cache.remove(i).expect("index from position");
        cache.push_back(Arc::clone(&map));
        return Ok(map);
    }
    let map = Arc::new(Mapping::map(fd, len, id)?);
    cache.push_back(Arc::clone(&map));
    if cache.len() > CACHED {
        cache.pop_front();
    }
    drop(cache);
    let mut mapped = lock(&MAPPED);
    mapped.retain(|w| w.strong_count() > 0);
    mapped.push(Arc::downgrade(&map));
    Ok(map)
}

/// The size and identity of a received memfd, which must be sealed against shrinking
/// and of a size a receiver maps.
fn checked(fd: &OwnedFd) -> Result<(usize, (u64, u64)), ShmError> {
    let seals = fcntl(fd.as_raw_fd(), FcntlArg::F_GET_SEALS).map_err(|_| ShmError::NotSealed)?;
    if !SealFlag::from_bits_truncate(seals).contains(SealFlag::F_SEAL_SHRINK) {
        return Err(ShmError::NotSealed);
    }
    let st = fstat(fd.as_raw_fd()).map_err(sys("fstat"))?;
    let len = usize::try_from(st.st_size).unwrap_or(usize::MAX);
    if !(HEADER..=LARGEST).contains(&len) {
        return Err(ShmError::BadDescriptor("segment size out of range"));
    }
    Ok((len, (st.st_dev, st.st_ino)))
}

/// The received segment `body` lies in, and where, if it does.
pub fn find(body: &Bytes) -> Option<(Arc<Mapping>, usize)> {
    let p = body.as_ptr();
    lock(&MAPPED)
        .iter()
        .filter_map(Weak::upgrade)
        .find_map(|m| m.offset_of(p, body.len()).map(|at| (m, at)))
}
