//! Where every thread that waits for something from pvmd or a peer meets.
//!
//! A task receives on several sockets: its pvmd connection (messages, replies to its
//! requests, notifications, caught output) and one socket per peer that routes to it
//! directly. There is no reader thread per socket: the thread that waits (in `recv`,
//! `trecv`, a request waiting for its reply...) reads the sockets itself, as PVM's
//! library does, so a message reaches the caller without waking another thread first.
//!
//! Only one thread reads at a time: the holder of the *reader token*. It polls every
//! socket, reads what is ready, sorts the frames into the [`Inbox`] and the reply slots
//! and gives the token back; threads that found the token taken sleep on a condition
//! variable and are woken when something arrived or the token is free again, each then
//! checking whether what it waits for has come. A waiter with a deadline keeps it
//! whoever reads, and the holder reads with its own deadline.
//!
//! A waiter first polls without sleeping for a short while ([`SPIN`]), yielding the
//! CPU between looks: an answer that comes within it is taken without the sleep and
//! wake-up that dominate a round trip. Only then does it sleep in `ppoll`. A task whose
//! answers keep coming later than that stops polling (see `SpinHistory`).
//!
//! When no thread has been inside the library for a while, a background thread takes
//! the token, so caught output is printed and notifications are read while the
//! program computes; it also takes it at once while a thread is inside a large send,
//! which may wait for the peer to read. A caller that wants to read meanwhile wakes
//! it through the wake socket and it hands the token over. The accept thread of the direct-route listener
//! ([`super::direct`]) hands new links over through the same hub.
//!
//! The background thread stops reading once the inbox holds [`INBOX_BUDGET`] bytes,
//! unless a thread is sending: a task that does not receive then leaves what is sent to
//! it in its sockets, so its pvmd's flow control makes the senders wait, as PVM's
//! library, which reads only inside a call, does. It reads again once the inbox is
//! down to half of that, or as soon as a thread sends (a task blocked in `pvm_send`
//! must go on receiving, or two tasks sending to each other, or a task sending to
//! itself, would wait for each other forever). A caller waiting for something reads
//! whatever the inbox holds, as PVM's does.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use bytes::BytesMut;
use tracing::{debug, warn};

use super::frames::{is_ready, poll_readable, pollfd, Fill, FrameReader};
use super::inbox::{Filter, Inbox, Incoming, LinkKey};
use super::output::OutputCollector;
use crate::error::{PvmError, Result};
use crate::proto::{Frame, Reply, FLAG_ROUTE_MARKER};
use crate::shm::channel::{self, RingReceiver};
use crate::tid::Tid;

/// How long the library must be untouched before the background thread reads for it:
/// long enough that a program calling `recv` in a loop never meets it, short enough
/// that caught output of a computing parent still appears promptly.
const IDLE: Duration = Duration::from_millis(10);

/// How long a waiter polls before it sleeps, unless `PVM_SPIN_US` says otherwise: a
/// reply that comes within it is taken without a sleep and wake-up (tens of µs each on
/// a virtual machine's idle CPU). The poll yields the CPU between looks, so on a busy
/// machine others run. Never on a single CPU, where the sender could not run meanwhile.
const SPIN: Duration = Duration::from_micros(100);

/// Above this many bytes in the inbox ([`Inbox::bytes`]) the background thread stops
/// reading while no thread sends; below half of it, it reads again.
const INBOX_BUDGET: usize = 16 << 20;

/// While polling, how many looks at the rings alone (no system call) come between two
/// looks at every socket.
const RING_LOOKS: u32 = 16;

/// The most messages one read round takes from one ring, so one busy link cannot keep
/// the others waiting.
const RING_BATCH: usize = 64;

/// The spin time for this process: `PVM_SPIN_US` (µs, 0 = never spin) or [`SPIN`].
fn spin_time() -> Duration {
    if let Some(us) = std::env::var("PVM_SPIN_US")
        .ok()
        .and_then(|v| v.trim().parse().ok())
    {
        return Duration::from_micros(us);
    }
    match thread::available_parallelism() {
        Ok(n) if n.get() > 1 => SPIN,
        _ => Duration::ZERO,
    }
}

/// Who reads the sockets now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Free,
    /// A caller of the API, inside a wait.
    Caller,
    /// The background thread, while nobody is inside the library.
    Background,
}

/// What waiters look at, under one lock.
struct State {
    inbox: Inbox,
    /// Requests waiting for their reply, by id; `Some` once it came.
    replies: HashMap<u32, Option<Reply>>,
    token: Token,
    /// Counts every take and return of the token, so the background thread can tell
    /// that the library was left alone for a whole [`IDLE`] period.
    turns: u64,
    /// Callers sleeping until something changes.
    sleepers: usize,
    /// Threads inside a write that may block until the peer reads (see
    /// [`Hub::writing`]).
    writers: usize,
    /// A wake-up byte is on its way to the reader; no need to send another.
    wake_sent: bool,
    /// Links accepted since the reader last looked.
    new_links: Vec<(LinkKey, LinkIn)>,
    /// Links that arrive through a shared ring (polled without a system call).
    rings: usize,
    stop: bool,
    /// Whether polling before sleeping has been paying off.
    spin: SpinHistory,
}

/// Whether recent waits were answered while polling ([`SPIN`]). A task whose answers
/// take longer (a master waiting for results computed elsewhere) stops polling, as it
/// would only take CPU from the tasks computing them; it tries again now and then.
#[derive(Debug, Default)]
struct SpinHistory {
    /// Consecutive waits that polled in vain and slept anyway.
    misses: u32,
    /// Waits since polling was given up.
    skipped: u32,
}

impl SpinHistory {
    /// After this many vain polls in a row, waits sleep at once...
    const GIVE_UP: u32 = 4;
    /// ...except every this many, which polls again to see whether things changed.
    const RETRY_EVERY: u32 = 32;

    fn worth_trying(&mut self) -> bool {
        if self.misses < Self::GIVE_UP {
            return true;
        }
        self.skipped += 1;
        if self.skipped >= Self::RETRY_EVERY {
            self.skipped = 0;
            return true;
        }
        false
    }

    /// A wait that polled ended: `answered` while polling, or only after sleeping.
    fn record(&mut self, answered: bool) {
        self.misses = if answered {
            0
        } else {
            (self.misses + 1).min(Self::GIVE_UP)
        };
    }
}

/// How a direct link's messages arrive.
enum LinkIn {
    /// Frames on its socket.
    Stream(FrameReader),
    /// Records in a shared ring (a peer of this host, see [`crate::shm::channel`]).
    Ring(RingReceiver),
}

impl LinkIn {
    fn fd(&self) -> std::os::fd::RawFd {
        match self {
            LinkIn::Stream(r) => r.fd(),
            LinkIn::Ring(r) => r.fd(),
        }
    }
}

/// The sockets, owned by whoever holds the token.
struct Io {
    /// None once pvmd hung up.
    pvmd: Option<FrameReader>,
    links: Vec<(LinkKey, LinkIn)>,
    wake_rx: UnixStream,
    /// The eventfd that ring senders signal when we sleep.
    ring_wake: OwnedFd,
    fds: Vec<libc::pollfd>,
}

/// What a read round brought, sorted out under the lock.
enum Event {
    /// A message through pvmd.
    Message(Incoming),
    /// A peer's route marker: its direct link is now in order.
    Marker(Tid),
    Reply(u32, Reply),
    PvmdGone,
    /// A message over a direct link.
    Direct(LinkKey, Incoming),
    LinkGone(LinkKey),
}

impl Event {
    /// What a frame from pvmd means to us; nothing for frames we ignore.
    fn from_pvmd(frame: Frame) -> Option<Event> {
        match frame {
            Frame::Data(m) if m.flags & FLAG_ROUTE_MARKER != 0 => Some(Event::Marker(m.src)),
            Frame::Data(m) => Some(Event::Message(incoming(m.src, m))),
            Frame::Reply { id, reply } => Some(Event::Reply(id, reply)),
            Frame::Close { code, reason } => {
                debug!("pvmd closes ({code}): {reason}");
                None
            }
            other => {
                debug!("unexpected frame from pvmd ignored: {other:?}");
                None
            }
        }
    }

    /// What a frame on the direct link from `key` means: only data is expected.
    fn from_link(key: LinkKey, frame: Frame) -> Option<Event> {
        match frame {
            // The link's sender is the message's source, whatever the frame claims.
            Frame::Data(m) => Some(Event::Direct(key, incoming(key, m))),
            other => {
                debug!("unexpected frame on direct link from {key} ignored: {other:?}");
                None
            }
        }
    }
}

/// The shared receive side of one joined task.
pub(super) struct Hub {
    state: Mutex<State>,
    /// Callers wait here for news: a message, a reply, a free token, a closed pvmd.
    changed: Condvar,
    /// The background thread waits here between its idle checks.
    idle: Condvar,
    io: Mutex<Io>,
    wake_tx: UnixStream,
    /// The same eventfd as `Io::ring_wake`, to hand to ring senders.
    ring_wake: OwnedFd,
    output: Arc<OutputCollector>,
    /// How long a waiter polls before sleeping (see [`SPIN`]).
    spin: Duration,
    /// Threads inside a send (see [`Hub::sending`]).
    sending: AtomicUsize,
}

impl Hub {
    /// A hub reading `pvmd` (with `pending`, bytes already read past the welcome), with
    /// its background thread started.
    pub fn start(
        pvmd: UnixStream,
        pending: BytesMut,
        output: Arc<OutputCollector>,
    ) -> std::io::Result<Arc<Hub>> {
        let (wake_tx, wake_rx) = UnixStream::pair()?;
        wake_tx.set_nonblocking(true)?;
        wake_rx.set_nonblocking(true)?;
        let ring_wake = channel::wake_fd().map_err(std::io::Error::other)?;
        let hub = Arc::new(Hub {
            state: Mutex::new(State {
                inbox: Inbox::new(),
                replies: HashMap::new(),
                token: Token::Free,
                turns: 0,
                sleepers: 0,
                writers: 0,
                wake_sent: false,
                new_links: Vec::new(),
                rings: 0,
                stop: false,
                spin: SpinHistory::default(),
            }),
            changed: Condvar::new(),
            idle: Condvar::new(),
            io: Mutex::new(Io {
                pvmd: Some(FrameReader::new(pvmd, pending)),
                links: Vec::new(),
                wake_rx,
                ring_wake: ring_wake.try_clone()?,
                fds: Vec::new(),
            }),
            wake_tx,
            ring_wake,
            output,
            spin: spin_time(),
            sending: AtomicUsize::new(0),
        });
        let bg = Arc::clone(&hub);
        thread::Builder::new()
            .name("pvm-idle-reader".into())
            .spawn(move || bg.background())?;
        Ok(hub)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // Every update under this lock is a single step, so a panic elsewhere while
        // holding it cannot leave it half-done: a poisoned lock is still usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until `pred` finds what it wants in the state, reading the sockets when
    /// the token is free. `Ok(None)` when `deadline` passed first (never when `None`);
    /// `Err` when pvmd is gone and `pred` found nothing, as waiting could not succeed.
    fn wait<T>(
        &self,
        mut pred: impl FnMut(&mut State) -> Option<T>,
        deadline: Option<Instant>,
    ) -> Result<Option<T>> {
        let mut st = self.lock();
        let spinning = self.spin > Duration::ZERO && st.spin.worth_trying();
        let spin_until = Instant::now() + if spinning { self.spin } else { Duration::ZERO };
        let mut slept = false;
        let mut looks = 0u32;
        loop {
            if let Some(v) = pred(&mut st) {
                if spinning {
                    st.spin.record(!slept);
                }
                return Ok(Some(v));
            }
            if let Some(why) = st.inbox.closed() {
                return Err(why);
            }
            let left = match deadline {
                None => None,
                Some(d) => match d.checked_duration_since(Instant::now()) {
                    Some(left) if !left.is_zero() => Some(left),
                    _ => return Ok(None),
                },
            };
            let spin_now = st.token == Token::Free && Instant::now() < spin_until;
            slept |= !spin_now;
            st = match st.token {
                Token::Free if spin_now => {
                    looks = looks.wrapping_add(1);
                    if st.rings > 0 && !looks.is_multiple_of(RING_LOOKS) {
                        // The rings are memory: a look costs no system call.
                        drop(self.read_round_with(st, Some(Duration::ZERO), true));
                        std::hint::spin_loop();
                    } else {
                        // Look without waiting, then let others run before looking again.
                        drop(self.read_round(st, Some(Duration::ZERO)));
                        thread::yield_now();
                    }
                    self.lock()
                }
                Token::Free => self.read_round(st, left),
                Token::Background => {
                    if !st.wake_sent {
                        st.wake_sent = true;
                        self.wake();
                    }
                    self.sleep(st, left)
                }
                Token::Caller => self.sleep(st, left),
            };
        }
    }

    /// Sleeps until woken or `left` passed.
    fn sleep<'a>(
        &'a self,
        mut st: MutexGuard<'a, State>,
        left: Option<Duration>,
    ) -> MutexGuard<'a, State> {
        st.sleepers += 1;
        let mut st = match left {
            None => self.changed.wait(st).unwrap_or_else(|p| p.into_inner()),
            Some(left) => {
                self.changed
                    .wait_timeout(st, left)
                    .unwrap_or_else(|p| p.into_inner())
                    .0
            }
        };
        st.sleepers -= 1;
        st
    }

    /// Takes the token, reads one round (waiting at most `left`), gives it back.
    fn read_round<'a>(
        &'a self,
        st: MutexGuard<'a, State>,
        left: Option<Duration>,
    ) -> MutexGuard<'a, State> {
        self.read_round_with(st, left, false)
    }

    /// [`Hub::read_round`], looking at the rings only when `rings_only`.
    fn read_round_with<'a>(
        &'a self,
        mut st: MutexGuard<'a, State>,
        left: Option<Duration>,
        rings_only: bool,
    ) -> MutexGuard<'a, State> {
        st.token = Token::Caller;
        st.turns += 1;
        drop(st);
        if rings_only {
            self.pump_rings();
        } else {
            self.pump(left);
        }
        let mut st = self.lock();
        st.token = Token::Free;
        st.turns += 1;
        if st.sleepers > 0 {
            self.changed.notify_all();
        }
        st
    }

    /// One read round, by the token's holder: polls every socket (at most `left`),
    /// reads the ready ones, and files what came.
    fn pump(&self, left: Option<Duration>) {
        let mut io = self.io.lock().unwrap_or_else(|p| p.into_inner());
        let io = &mut *io;
        self.take_new_links(io);
        io.fds.clear();
        io.fds.push(pollfd(io.wake_rx.as_raw_fd()));
        io.fds.push(pollfd(io.ring_wake.as_raw_fd()));
        if let Some(p) = &io.pvmd {
            io.fds.push(pollfd(p.fd()));
        }
        io.fds.extend(io.links.iter().map(|(_, r)| pollfd(r.fd())));
        // Before sleeping, tell the rings' senders to wake us; a record that came
        // meanwhile means no sleep at all.
        let mut left = left;
        let sleeping = left != Some(Duration::ZERO);
        if sleeping {
            for (_, l) in &io.links {
                if let LinkIn::Ring(r) = l {
                    if !r.prepare_sleep() {
                        left = Some(Duration::ZERO);
                    }
                }
            }
        }
        let polled = poll_readable(&mut io.fds, left);
        if sleeping {
            for (_, l) in &io.links {
                if let LinkIn::Ring(r) = l {
                    r.awake();
                }
            }
        }
        if let Err(e) = polled {
            warn!("poll failed: {e}");
            thread::sleep(Duration::from_millis(1));
            return;
        }
        let woken = is_ready(&io.fds[0]);
        if woken {
            drain(&mut io.wake_rx);
        }
        if is_ready(&io.fds[1]) {
            channel::drain_wake(io.ring_wake.as_fd());
        }
        let mut events = Vec::new();
        let mut at = 2;
        if let Some(p) = io.pvmd.as_mut() {
            if is_ready(&io.fds[at]) && !read_frames(p, &mut events, Event::from_pvmd) {
                events.push(Event::PvmdGone);
                io.pvmd = None;
            }
            at += 1;
        }
        let mut i = 0;
        let mut rings_gone = 0;
        for fd in &io.fds[at..] {
            let (key, link) = &mut io.links[i];
            let key = *key;
            let open = match link {
                LinkIn::Stream(reader) => {
                    !is_ready(fd) || read_frames(reader, &mut events, |f| Event::from_link(key, f))
                }
                LinkIn::Ring(r) => read_ring(key, r, is_ready(fd), &mut events),
            };
            if !open {
                rings_gone += usize::from(matches!(link, LinkIn::Ring(_)));
                events.push(Event::LinkGone(key));
                io.links.remove(i);
                continue;
            }
            i += 1;
        }
        if rings_gone > 0 {
            self.lock().rings -= rings_gone;
        }
        self.file(events, woken);
    }

    /// A read round of the rings alone: no system call unless something came.
    fn pump_rings(&self) {
        let mut io = self.io.lock().unwrap_or_else(|p| p.into_inner());
        let io = &mut *io;
        self.take_new_links(io);
        if !io
            .links
            .iter()
            .any(|(_, l)| matches!(l, LinkIn::Ring(r) if r.has_data()))
        {
            return;
        }
        let mut events = Vec::new();
        let mut rings_gone = 0;
        io.links.retain_mut(|(key, link)| match link {
            LinkIn::Ring(r) if r.has_data() => {
                let open = read_ring(*key, r, false, &mut events);
                if !open {
                    rings_gone += 1;
                    events.push(Event::LinkGone(*key));
                }
                open
            }
            _ => true,
        });
        if rings_gone > 0 {
            self.lock().rings -= rings_gone;
        }
        self.file(events, false);
    }

    /// Starts reading the links accepted since the last round.
    fn take_new_links(&self, io: &mut Io) {
        let fresh = {
            let mut st = self.lock();
            if st.new_links.is_empty() {
                return;
            }
            std::mem::take(&mut st.new_links)
        };
        io.links.extend(fresh);
    }

    /// Sorts what a read round brought: caught output to the collector (outside the
    /// lock: it writes to the sink), the rest into the inbox and reply slots.
    fn file(&self, events: Vec<Event>, woken: bool) {
        let events: Vec<Event> = events
            .into_iter()
            .filter_map(|e| match e {
                Event::Message(m) => self.output.offer(m).map(Event::Message),
                Event::PvmdGone => {
                    self.output.pvmd_gone();
                    Some(Event::PvmdGone)
                }
                other => Some(other),
            })
            .collect();
        let mut st = self.lock();
        if woken {
            st.wake_sent = false;
        }
        for e in events {
            match e {
                Event::Message(m) => st.inbox.push(m),
                Event::Marker(src) => st.inbox.marker_arrived(src),
                Event::Reply(id, reply) => match st.replies.get_mut(&id) {
                    Some(slot) => *slot = Some(reply),
                    None => debug!("reply to unknown request {id} ignored"),
                },
                Event::PvmdGone => {
                    debug!("pvmd closed the connection");
                    st.inbox.close(PvmError::SysErr);
                }
                Event::Direct(key, m) => st.inbox.push_direct(key, m),
                Event::LinkGone(key) => st.inbox.close_link(key),
            }
        }
        if st.sleepers > 0 {
            self.changed.notify_all();
        }
    }

    /// Sends the reader a wake-up byte (its poll returns). A full socket already holds
    /// one, which is as good.
    fn wake(&self) {
        let _ = (&self.wake_tx).write(&[1]);
    }

    /// Whether the background thread should leave the sockets alone: the inbox is
    /// full and nobody sends (see the module doc).
    fn inbox_full(&self, st: &State, limit: usize) -> bool {
        st.inbox.bytes() > limit && st.writers == 0 && self.sending.load(Ordering::SeqCst) == 0
    }

    /// The background reader: takes the token once the library was untouched for a
    /// whole [`IDLE`] period, reads until a caller wants it back (or the inbox is full),
    /// and repeats.
    fn background(self: Arc<Self>) {
        let mut st = self.lock();
        let mut seen = None;
        loop {
            if st.stop || st.inbox.closed().is_some() {
                return;
            }
            let untouched = seen == Some(st.turns) || st.writers > 0;
            let room = !self.inbox_full(&st, INBOX_BUDGET / 2);
            if st.token == Token::Free && st.sleepers == 0 && untouched && room {
                st.token = Token::Background;
                drop(st);
                loop {
                    self.pump(None);
                    let st = self.lock();
                    if st.stop || st.sleepers > 0 || st.inbox.closed().is_some() {
                        break;
                    }
                    if self.inbox_full(&st, INBOX_BUDGET) {
                        debug!("inbox full ({} bytes): reading stops", st.inbox.bytes());
                        break;
                    }
                }
                st = self.lock();
                st.token = Token::Free;
                st.turns += 1;
                self.changed.notify_all();
                seen = None;
                continue;
            }
            seen = Some(st.turns);
            st = self
                .idle
                .wait_timeout(st, IDLE)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Marks a send in progress (any size): while one lasts, the background thread
    /// reads even a full inbox's sockets, looking within [`IDLE`]. Costs no lock, so
    /// it wakes nobody; [`Hub::writing`] is for writes that are expected to wait.
    pub fn sending(&self) -> SendGuard<'_> {
        self.sending.fetch_add(1, Ordering::SeqCst);
        SendGuard(self)
    }

    /// Marks a write that may block until its peer reads (a large message): while it
    /// lasts the background thread reads for us at once, so two tasks sending each
    /// other large messages at the same time drain each other's sockets instead of
    /// both waiting forever for the other to read.
    pub fn writing(&self) -> WriteGuard<'_> {
        let mut st = self.lock();
        st.writers += 1;
        if st.token == Token::Free {
            self.idle.notify_all();
        }
        WriteGuard(self)
    }

    /// Stops the background thread (the sockets close with the last handle).
    pub fn stop(&self) {
        self.lock().stop = true;
        self.idle.notify_all();
        self.wake();
    }

    /// Announces a direct link from `key`: its messages are held until its marker
    /// comes through pvmd. Call before answering the link's hello, so the marker, which
    /// the sender sends once it hears back from us, can never come first.
    pub fn open_link(&self, key: LinkKey) {
        self.lock().inbox.open_link(key);
    }

    /// A link announced with [`Hub::open_link`] will not be adopted after all.
    pub fn close_link(&self, key: LinkKey) {
        self.lock().inbox.close_link(key);
    }

    /// Reads the accepted link from `key` from now on, starting with `pending` (bytes
    /// that came with its handshake). Wakes the reader so it polls the link at once.
    pub fn adopt_link(&self, key: LinkKey, stream: UnixStream, pending: BytesMut) {
        self.adopt(key, LinkIn::Stream(FrameReader::new(stream, pending)));
    }

    /// [`Hub::adopt_link`] for a sealed link from another host ([`super::tcp_link`]):
    /// `inbound` opens what it reads, `pending` holds frames already opened.
    pub fn adopt_sealed_link(
        &self,
        key: LinkKey,
        stream: UnixStream,
        inbound: crate::proto::seal::Inbound,
        pending: BytesMut,
    ) {
        self.adopt(
            key,
            LinkIn::Stream(FrameReader::sealed(stream, inbound, pending)),
        );
    }

    /// Reads the accepted link from `key` through its shared ring from now on.
    pub fn adopt_ring(&self, key: LinkKey, ring: RingReceiver) {
        self.adopt(key, LinkIn::Ring(ring));
    }

    fn adopt(&self, key: LinkKey, link: LinkIn) {
        let mut st = self.lock();
        st.rings += usize::from(matches!(link, LinkIn::Ring(_)));
        st.new_links.push((key, link));
        if st.token != Token::Free && !st.wake_sent {
            st.wake_sent = true;
            self.wake();
        }
    }

    /// The eventfd ring senders signal to wake this task's reader.
    pub fn ring_wake_fd(&self) -> BorrowedFd<'_> {
        self.ring_wake.as_fd()
    }

    /// Waits for a matching message until `deadline` (forever when `None`).
    pub fn wait_take(
        &self,
        filter: &Filter,
        deadline: Option<Instant>,
    ) -> Result<Option<Incoming>> {
        self.wait(|st| st.inbox.take(filter), deadline)
    }

    /// Takes a matching message that has arrived (reading what the sockets hold when
    /// nobody else is reading), without waiting. `Err` when pvmd is gone and none is
    /// queued.
    pub fn take_now(&self, filter: &Filter) -> Result<Option<Incoming>> {
        self.now(|st| st.inbox.take(filter))
    }

    /// The oldest matching message, left queued; otherwise like [`Hub::take_now`].
    pub fn peek_now(&self, filter: &Filter) -> Result<Option<Incoming>> {
        self.now(|st| st.inbox.peek(filter))
    }

    /// [`Hub::wait_take`] for any rule of the caller's (message handlers widen a
    /// receive's filter with theirs).
    pub fn wait_take_where(
        &self,
        pred: impl Fn(&Incoming) -> bool,
        deadline: Option<Instant>,
    ) -> Result<Option<Incoming>> {
        self.wait(|st| st.inbox.take_where(&pred), deadline)
    }

    /// [`Hub::take_now`] for any rule of the caller's.
    pub fn take_now_where(&self, pred: impl Fn(&Incoming) -> bool) -> Result<Option<Incoming>> {
        self.now(|st| st.inbox.take_where(&pred))
    }

    /// [`Hub::peek_now`] for any rule of the caller's.
    pub fn peek_now_where(&self, pred: impl Fn(&Incoming) -> bool) -> Result<Option<Incoming>> {
        self.now(|st| st.inbox.peek_where(&pred))
    }

    /// Every queued message (after reading what the sockets hold, when nobody else
    /// is reading) and the inbox's arrival count, for a caller that judges messages
    /// outside the lock (`pvm_recvf`'s matching functions).
    pub fn queued_now(&self) -> Result<(u64, Vec<Incoming>)> {
        let got = self.now(|st| {
            Some((
                st.inbox.arrivals(),
                st.inbox.queued_messages().cloned().collect::<Vec<_>>(),
            ))
        })?;
        Ok(got.unwrap_or_default())
    }

    /// Waits until a message newer than arrival count `seen` is queued; false when
    /// `deadline` passed first.
    pub fn wait_arrival(&self, seen: u64, deadline: Option<Instant>) -> Result<bool> {
        let got = self.wait(|st| (st.inbox.arrivals() > seen).then_some(()), deadline)?;
        Ok(got.is_some())
    }

    /// Puts back, first in line, a message taken out for a handler deleted meanwhile.
    pub fn requeue(&self, m: Incoming) {
        self.lock().inbox.push_front(m);
    }

    /// The descriptor that is readable while a message is queued (`pvm_getfds`).
    pub fn readiness_fd(&self) -> std::io::Result<std::os::fd::RawFd> {
        self.lock().inbox.readiness_fd()
    }

    fn now<T>(&self, mut pred: impl FnMut(&mut State) -> Option<T>) -> Result<Option<T>> {
        let mut st = self.lock();
        if let Some(v) = pred(&mut st) {
            return Ok(Some(v));
        }
        if st.token == Token::Free && st.inbox.closed().is_none() {
            st = self.read_round(st, Some(Duration::ZERO));
            if let Some(v) = pred(&mut st) {
                return Ok(Some(v));
            }
        }
        match st.inbox.closed() {
            Some(why) => Err(why),
            None => Ok(None),
        }
    }

    /// Waits (reading) until pvmd closes the connection or `deadline` passes.
    pub fn wait_closed(&self, deadline: Instant) -> bool {
        self.wait(|_| None::<()>, Some(deadline)).is_err()
    }

    /// Makes room for the reply to request `id`; call before sending the request.
    pub fn expect_reply(&self, id: u32) {
        self.lock().replies.insert(id, None);
    }

    /// Forgets request `id` (it could not be sent).
    pub fn forget_reply(&self, id: u32) {
        self.lock().replies.remove(&id);
    }

    /// Waits for the reply to request `id`. `Err(PvmSysErr)` when pvmd is gone first.
    pub fn wait_reply(&self, id: u32) -> Result<Reply> {
        let reply = self.wait(
            |st| match st.replies.get(&id) {
                Some(Some(_)) => st.replies.remove(&id).flatten(),
                _ => None,
            },
            None,
        );
        match reply {
            Ok(Some(r)) => Ok(r),
            Ok(None) | Err(_) => {
                self.forget_reply(id);
                Err(PvmError::SysErr)
            }
        }
    }
}

/// A write in progress, from [`Hub::writing`] until dropped.
pub(super) struct WriteGuard<'a>(&'a Hub);

/// A send in progress (see [`Hub::sending`]).
pub(super) struct SendGuard<'a>(&'a Hub);

impl Drop for SendGuard<'_> {
    fn drop(&mut self) {
        self.0.sending.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        self.0.lock().writers -= 1;
    }
}

/// Reads once from a ready socket and collects the complete frames; false when the
/// stream ended or broke (what it delivered before still counts).
fn read_frames(
    reader: &mut FrameReader,
    events: &mut Vec<Event>,
    sort: impl Fn(Frame) -> Option<Event>,
) -> bool {
    let fill = reader.fill();
    loop {
        match reader.next_frame() {
            Ok(Some(frame)) => events.extend(sort(frame)),
            Ok(None) => break,
            Err(e) => {
                warn!("bad frame, dropping the connection: {e}");
                return false;
            }
        }
    }
    match fill {
        Ok(Fill::More) => true,
        Ok(Fill::Eof) => false,
        Err(e) => {
            debug!("connection lost: {e}");
            false
        }
    }
}

/// Reads a ring link: its socket when `ready` (descriptors, or the sender's exit),
/// then what its ring holds. False when the link is over: the sender left and the
/// ring is empty, or the ring broke (its messages up to the break were delivered).
fn read_ring(key: LinkKey, r: &mut RingReceiver, ready: bool, events: &mut Vec<Event>) -> bool {
    let mut open = true;
    if ready {
        match r.read_socket() {
            Ok(o) => open = o,
            Err(e) => {
                warn!("direct link from {key} closed: {e}");
                return false;
            }
        }
    }
    let mut got = Vec::new();
    let drained = loop {
        match r.drain(&mut got, RING_BATCH) {
            Ok(()) if open || !r.has_data() => break Ok(()),
            // The sender left: take everything it published before it did.
            Ok(()) => continue,
            Err(e) => break Err(e),
        }
    };
    events.extend(got.into_iter().map(|m| {
        Event::Direct(
            key,
            Incoming {
                src: key,
                tag: m.env.tag,
                ctx: m.env.ctx,
                encoding: m.env.encoding,
                body: m.body,
            },
        )
    }));
    if let Err(e) = drained {
        warn!("direct link from {key} closed: {e}");
        return false;
    }
    open
}

fn incoming(src: Tid, m: crate::proto::Message) -> Incoming {
    Incoming {
        src,
        tag: m.tag,
        ctx: m.ctx,
        encoding: m.encoding,
        body: m.body,
    }
}

/// Empties the wake socket (non-blocking).
fn drain(s: &mut UnixStream) {
    let mut sink = [0u8; 64];
    while matches!(s.read(&mut sink), Ok(n) if n > 0) {}
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::proto::{write_frame, Message};
    use bytes::Bytes;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// A hub whose "pvmd" is the returned end of a socket pair.
    pub(in crate::client) fn fake_pvmd() -> (Arc<Hub>, UnixStream) {
        fake_pvmd_with(Arc::new(OutputCollector::default()))
    }

    fn fake_pvmd_with(output: Arc<OutputCollector>) -> (Arc<Hub>, UnixStream) {
        let (ours, theirs) = UnixStream::pair().expect("socket pair");
        let hub = Hub::start(ours, BytesMut::new(), output).expect("hub");
        (hub, theirs)
    }

    fn send(pvmd: &mut UnixStream, src: u32, tag: i32, body: &[u8]) {
        let m = Message {
            src: Tid(src),
            dst: Tid(0x40002),
            tag,
            body: Bytes::copy_from_slice(body),
            ..Message::default()
        };
        write_frame(pvmd, &Frame::Data(m)).expect("write");
    }

    fn tag(t: i32) -> Filter {
        Filter::from_pvm(-1, t, 0)
    }

    fn within(secs: u64) -> Option<Instant> {
        Some(Instant::now() + Duration::from_secs(secs))
    }

    #[test]
    fn polling_stops_when_it_keeps_failing_and_is_tried_again() {
        let mut h = SpinHistory::default();
        for _ in 0..SpinHistory::GIVE_UP {
            assert!(h.worth_trying());
            h.record(false);
        }
        let tries = (0..SpinHistory::RETRY_EVERY * 3)
            .filter(|_| h.worth_trying())
            .count();
        assert_eq!(tries, 3, "one retry per period while answers stay slow");
        // A retry that pays off brings polling back for every wait.
        while !h.worth_trying() {}
        h.record(true);
        assert!((0..10).all(|_| h.worth_trying()));
    }

    #[test]
    fn threads_receive_at_once_each_its_own() {
        let (hub, mut pvmd) = fake_pvmd();
        let waiters: Vec<_> = (1..=4)
            .map(|t| {
                let hub = Arc::clone(&hub);
                thread::spawn(move || hub.wait_take(&tag(t), within(20)))
            })
            .collect();
        thread::sleep(Duration::from_millis(50));
        for t in (1..=4).rev() {
            send(&mut pvmd, 0x40005, t, &[t as u8; 3]);
        }
        for (w, t) in waiters.into_iter().zip(1..) {
            let m = w.join().expect("thread").expect("open").expect("message");
            assert_eq!((m.tag, &m.body[..]), (t, &[t as u8; 3][..]));
        }
        let left = hub.take_now(&Filter::from_pvm(-1, -1, 0)).expect("open");
        assert!(left.is_none(), "each message went to exactly one waiter");
    }

    #[test]
    fn trecv_times_out_while_another_thread_reads() {
        let (hub, mut pvmd) = fake_pvmd();
        let got_one = Arc::new(AtomicBool::new(false));
        let reader = {
            let (hub, got_one) = (Arc::clone(&hub), Arc::clone(&got_one));
            thread::spawn(move || {
                let r = hub.wait_take(&tag(1), None);
                got_one.store(true, Ordering::SeqCst);
                r
            })
        };
        thread::sleep(Duration::from_millis(20));
        let soon = Some(Instant::now() + Duration::from_millis(100));
        assert!(hub.wait_take(&tag(2), soon).expect("open").is_none());
        assert!(
            !got_one.load(Ordering::SeqCst),
            "the timeout came while the other thread still waited"
        );
        send(&mut pvmd, 0x40005, 1, b"one");
        let m = reader
            .join()
            .expect("thread")
            .expect("open")
            .expect("message");
        assert_eq!(&m.body[..], b"one");
    }

    #[test]
    fn pvmd_gone_wakes_receivers_and_requests_with_syserr() {
        let (hub, pvmd) = fake_pvmd();
        hub.expect_reply(7);
        let receiver = {
            let hub = Arc::clone(&hub);
            thread::spawn(move || hub.wait_take(&tag(1), None))
        };
        let requester = {
            let hub = Arc::clone(&hub);
            thread::spawn(move || hub.wait_reply(7))
        };
        thread::sleep(Duration::from_millis(50));
        drop(pvmd);
        let r = receiver.join().expect("thread");
        assert_eq!(r.map(|m| m.map(|m| m.tag)), Err(PvmError::SysErr));
        assert_eq!(
            requester.join().expect("thread").map(|_| ()),
            Err(PvmError::SysErr)
        );
        assert_eq!(hub.take_now(&tag(1)).map(|_| ()), Err(PvmError::SysErr));
        assert!(hub.wait_closed(Instant::now()), "closed is closed at once");
    }

    #[test]
    fn replies_find_their_request_among_messages() {
        let (hub, mut pvmd) = fake_pvmd();
        hub.expect_reply(3);
        hub.expect_reply(4);
        let receiver = {
            let hub = Arc::clone(&hub);
            thread::spawn(move || hub.wait_take(&tag(9), within(20)))
        };
        let reply = |id, code| Frame::Reply {
            id,
            reply: Reply::Error {
                code,
                detail: String::new(),
            },
        };
        write_frame(&mut pvmd, &reply(4, -4)).expect("write");
        send(&mut pvmd, 0x40005, 9, b"msg");
        write_frame(&mut pvmd, &reply(3, -3)).expect("write");
        write_frame(&mut pvmd, &reply(99, -99)).expect("unknown id is ignored");
        let code = |r: Result<Reply>| match r {
            Ok(Reply::Error { code, .. }) => code,
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(code(hub.wait_reply(3)), -3);
        assert_eq!(code(hub.wait_reply(4)), -4);
        let m = receiver
            .join()
            .expect("thread")
            .expect("open")
            .expect("msg");
        assert_eq!(&m.body[..], b"msg");
    }

    #[test]
    fn nrecv_reads_what_the_socket_holds() {
        let (hub, mut pvmd) = fake_pvmd();
        assert!(hub.take_now(&tag(5)).expect("open").is_none());
        send(&mut pvmd, 0x40005, 5, b"x");
        // Poll a bounded number of times: the byte is in flight only for a moment.
        let found = (0..1000).find_map(|_| {
            let m = hub.take_now(&tag(5)).expect("open");
            if m.is_none() {
                thread::sleep(Duration::from_millis(1));
            }
            m
        });
        assert_eq!(found.map(|m| m.tag), Some(5));
        send(&mut pvmd, 0x40005, 6, b"y");
        let seen = (0..1000).find_map(|_| {
            let m = hub.peek_now(&tag(6)).expect("open");
            if m.is_none() {
                thread::sleep(Duration::from_millis(1));
            }
            m
        });
        assert!(seen.is_some());
        assert!(
            hub.take_now(&tag(6)).expect("open").is_some(),
            "probe left it"
        );
    }

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);

    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn output_is_read_while_nobody_is_in_the_library() {
        use crate::client::output::{CATCHOUT_CTX, CATCHOUT_TAG};
        use crate::proto::consts::OUTPUT_BEGIN;
        let output = Arc::new(OutputCollector::default());
        let sink = Sink::default();
        output.set_sink(Some(Box::new(sink.clone())));
        let (_hub, mut pvmd) = fake_pvmd_with(Arc::clone(&output));
        let out = |count: i32, text: &[u8]| {
            let mut body = 0x40003i32.to_be_bytes().to_vec();
            body.extend_from_slice(&count.to_be_bytes());
            body.extend_from_slice(text);
            Frame::Data(Message {
                src: Tid::pvmd(1),
                dst: Tid(0x40002),
                tag: CATCHOUT_TAG,
                ctx: CATCHOUT_CTX,
                body: Bytes::from(body),
                ..Message::default()
            })
        };
        write_frame(&mut pvmd, &out(OUTPUT_BEGIN, b"")).expect("write");
        write_frame(&mut pvmd, &out(6, b"hello\n")).expect("write");
        let printed = (0..500).any(|_| {
            thread::sleep(Duration::from_millis(10));
            String::from_utf8_lossy(&sink.0.lock().expect("lock")).contains("hello")
        });
        assert!(printed, "the background reader printed the child's line");
    }

    /// Waits (with a generous limit, never a fixed pause) until `who` holds the token.
    fn wait_for_token(hub: &Hub, who: Token) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while hub.lock().token != who {
            assert!(Instant::now() < deadline, "the token never went to {who:?}");
            thread::sleep(Duration::from_millis(1));
        }
    }

    #[test]
    fn caller_takes_over_from_the_background_reader() {
        let (hub, mut pvmd) = fake_pvmd();
        // Untouched for IDLE, the background thread takes the token.
        wait_for_token(&hub, Token::Background);
        let waiter = {
            let hub = Arc::clone(&hub);
            thread::spawn(move || hub.wait_take(&tag(2), within(20)))
        };
        // The message is sent once the waiter holds the token, so it is the one to
        // read it.
        wait_for_token(&hub, Token::Caller);
        send(&mut pvmd, 0x40005, 2, b"z");
        let m = waiter.join().expect("thread").expect("open").expect("msg");
        assert_eq!(&m.body[..], b"z");
    }

    #[test]
    fn two_tasks_sending_each_other_large_messages_both_finish() {
        // Each side's "pvmd" socket is the other side's sending end.
        let (a_in, b_out) = UnixStream::pair().expect("pair");
        let (b_in, a_out) = UnixStream::pair().expect("pair");
        let out = || Arc::new(OutputCollector::default());
        let a = Hub::start(a_in, BytesMut::new(), out()).expect("hub");
        let b = Hub::start(b_in, BytesMut::new(), out()).expect("hub");
        // Far more than any socket buffer holds: neither write can finish unless the
        // other side reads while its own write is still blocked.
        let big = vec![7u8; 16 << 20];
        let exchange = |hub: Arc<Hub>, mut to_peer: UnixStream, big: Vec<u8>| {
            thread::spawn(move || {
                {
                    let _w = hub.writing();
                    send(&mut to_peer, 0x40005, 1, &big);
                }
                hub.wait_take(&tag(1), within(60))
            })
        };
        let ta = exchange(Arc::clone(&a), a_out, big.clone());
        let tb = exchange(Arc::clone(&b), b_out, big);
        for t in [ta, tb] {
            let m = t.join().expect("thread").expect("open").expect("message");
            assert_eq!(m.body.len(), 16 << 20);
        }
    }

    #[test]
    fn a_full_inbox_is_left_alone_until_the_task_receives_or_sends() {
        let (hub, pvmd) = fake_pvmd();
        pvmd.set_nonblocking(true).expect("nonblocking");
        let body = [5u8; 60 * 1024];
        let frame = |seq: u32| {
            let mut b = body.to_vec();
            b[..4].copy_from_slice(&seq.to_be_bytes());
            let m = Message {
                src: Tid(0x40005),
                dst: Tid(0x40002),
                tag: 1,
                body: Bytes::from(b),
                ..Message::default()
            };
            let mut wire = BytesMut::new();
            crate::proto::encode(&Frame::Data(m), &mut wire).expect("encode");
            wire
        };
        // Writes (never blocking) until nothing more goes in for a while: the
        // background reader has stopped, or `total` went in.
        let total = 64 << 20;
        let mut written = 0usize;
        let mut seq = 0u32;
        let mut wire = frame(seq);
        let mut fill = |pvmd: &UnixStream| {
            let mut quiet = 0;
            while written < total && quiet < 50 {
                match (&*pvmd).write(&wire) {
                    Ok(n) => {
                        written += n;
                        let _ = wire.split_to(n);
                        if wire.is_empty() {
                            seq += 1;
                            wire = frame(seq);
                        }
                        quiet = 0;
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        quiet += 1;
                        thread::sleep(Duration::from_millis(10));
                    }
                    Err(e) => panic!("write: {e}"),
                }
            }
            written
        };
        let first = fill(&pvmd);
        let held = hub.lock().inbox.bytes();
        assert!(first < total, "the reader took all {first} bytes");
        assert!(
            held <= INBOX_BUDGET + 256 * 1024,
            "{held} bytes in the inbox, budget {INBOX_BUDGET}"
        );
        // A thread that sends is inside the library: it must go on receiving.
        {
            let _sending = hub.sending();
            let deadline = Instant::now() + Duration::from_secs(20);
            while hub.lock().inbox.bytes() <= held + 1024 * 1024 {
                fill(&pvmd);
                assert!(Instant::now() < deadline, "no reading while sending");
            }
        }
        // Receiving drains everything, in order.
        let mut next = 0u32;
        let taker = {
            let hub = Arc::clone(&hub);
            thread::spawn(move || {
                let mut got = Vec::new();
                while let Some(m) = hub.wait_take(&tag(1), within(5)).expect("open") {
                    got.push(u32::from_be_bytes([
                        m.body[0], m.body[1], m.body[2], m.body[3],
                    ]));
                }
                got
            })
        };
        let all = fill(&pvmd);
        let got = taker.join().expect("taker");
        for s in &got {
            assert_eq!(*s, next, "in order");
            next += 1;
        }
        assert!(
            all > first && got.len() > 100,
            "{all} bytes, {} messages",
            got.len()
        );
    }
}
