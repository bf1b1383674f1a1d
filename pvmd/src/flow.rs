//! Flow control: what pvmd holds for one destination is bounded, and a sender whose
//! destination is full stops being read, so its socket fills and its `pvm_send` waits
//! in the kernel, as a full socket makes PVM's wait. Nothing is ever dropped.
//!
//! Every queue frames wait in has a [`Budget`]: a task of this host (its connection's
//! queue, or its entry while it has not joined yet) and each link to another pvmd. A
//! data frame is charged to its queue when queued and the [`Charge`] travels with it
//! ([`Queued`]); the writer releases it once the frame is written (a body in shared
//! memory costs a task's queue only its frame: pvmd passes it on by descriptor without
//! touching it, and its sender's pool bounds how many are out). A frame is always
//! queued, whatever the budget says; a queue over budget only makes its *next* frames'
//! senders stop:
//!
//! - A source of frames on this host (a task's socket, a task's output pipe) has a
//!   [`Gate`] its reader looks at before each read. The actor holds the gate of a
//!   sender whose frame went to a queue over budget, and lets it go when that queue is
//!   down to its low mark ([`Flow`] keeps who waits for what). The gate also bounds
//!   what a reader may hand the actor before the actor has handled it
//!   ([`READ_AHEAD`]), so the actor's own queue is bounded too.
//! - A frame that came over a link is never held there: the link also carries other
//!   senders' traffic, which must go on. Instead the pvmd whose queue is over budget
//!   tells the pvmd of the frame's sender (`PeerMsg::Full`, relayed by the master like
//!   any peer message), which holds its senders to that destination until
//!   `PeerMsg::Drained`. A queue of the master's link to a slave works the same way,
//!   for the whole host: a slow slave never stalls traffic between the others.
//!
//! Control frames (replies, closes, peer messages) are never charged and never wait:
//! they are queued behind what is already queued for the same connection, so order is
//! kept, but a held sender's replies still flow, since only its socket's reading side
//! stops. Its requests wait behind its data in its own socket, exactly as PVM's
//! single stream to its pvmd makes them wait. A task's receiving side is independent
//! of its sending side: a task blocked in `pvm_send` still receives.
//!
//! A queue may exceed its budget by what was in flight when it filled: the frames a
//! held reader had already handed the actor (at most [`READ_AHEAD`] plus one frame per
//! sender), and on links what was on the way before the sender's pvmd heard.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use bytes::Bytes;
use pvm::proto::{Frame, Message};
use pvm::tid::Tid;
use tokio::sync::Notify;

/// Bytes queued for one task of this host above which its senders are held.
pub const TASK_BUDGET: usize = 4 << 20;
/// Bytes queued on one link above which the senders feeding it are held.
pub const LINK_BUDGET: usize = 8 << 20;
/// A held sender goes on once its queue is down to its budget divided by this.
const LOW_MARK: usize = 4;
/// What one reader may have handed the actor that the actor has not handled yet.
pub const READ_AHEAD: usize = 1 << 20;
/// What a frame costs beyond its body: header, envelope and queue entry.
pub const FRAME_COST: usize = 128;

/// What a frame that took `wire` bytes on its stream costs on its way to the actor:
/// those bytes (a body in shared memory is not pvmd's) plus [`FRAME_COST`].
pub fn cost(wire: usize) -> usize {
    FRAME_COST + wire
}

/// Bodies up to this size queued behind this much are copied out of the read chunk
/// they share with other frames, so a slow receiver's queue pins no memory of frames
/// long gone elsewhere (bodies in shared memory are far larger, and larger bodies have
/// a buffer of their own).
const COMPACT_BODY: usize = 16 * 1024;
const COMPACT_BEHIND: usize = 16 * 1024;

/// Makes `msg` a data frame charged to `budget`: the frame, and whether its queue is
/// now over budget. With `by_descriptor` (a task's queue) a body in shared memory costs
/// only its frame: it goes on by descriptor, pvmd never touching it, and its sender's
/// pool bounds how many such bodies are out.
pub fn charged(budget: &Budget, mut msg: Message, by_descriptor: bool) -> (Queued, bool) {
    if msg.body.len() <= COMPACT_BODY && budget.queued() > COMPACT_BEHIND {
        msg.body = Bytes::copy_from_slice(&msg.body);
    }
    let body = if by_descriptor && pvm::shm::is_shared(&msg.body) {
        0
    } else {
        msg.body.len()
    };
    let (charge, over) = budget.charge(FRAME_COST + body);
    let queued = Queued {
        frame: Frame::Data(msg),
        charge: Some(charge),
    };
    (queued, over)
}

/// A queue frames wait in, as flow control names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sink {
    /// A task of this host.
    Task(Tid),
    /// The link to another host's pvmd.
    Link(u32),
    /// A task of another host, or with a pvmd's tid every task of that host, whose
    /// pvmd said it is full.
    Remote(Tid),
}

impl Sink {
    /// The tid a `Full`/`Drained` notice names for this queue: the task, or the pvmd
    /// of a link's host (everything for that host).
    pub fn tid(self) -> Tid {
        match self {
            Sink::Task(t) | Sink::Remote(t) => t,
            Sink::Link(host) => Tid::pvmd(host),
        }
    }
}

/// Told when a watched queue is down to its low mark (called from the writer that
/// drained it, so it only passes the news on).
pub type Drains = Arc<dyn Fn(Sink) + Send + Sync>;

/// The account of one queue.
#[derive(Clone)]
pub struct Budget(Arc<Account>);

struct Account {
    sink: Sink,
    queued: AtomicUsize,
    high: usize,
    low: usize,
    /// Someone waits for the queue to drain: the next release at or below the low
    /// mark calls `drains`.
    watched: AtomicBool,
    drains: Drains,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("sink", &self.0.sink)
            .field("queued", &self.queued())
            .field("high", &self.0.high)
            .finish()
    }
}

impl Budget {
    /// A queue of `sink` that holds its senders above `high` bytes.
    pub fn new(sink: Sink, high: usize, drains: Drains) -> Budget {
        Budget(Arc::new(Account {
            sink,
            queued: AtomicUsize::new(0),
            high,
            low: high / LOW_MARK,
            watched: AtomicBool::new(false),
            drains,
        }))
    }

    /// Charges `bytes` for a frame about to be queued; the flag says the queue is now
    /// over budget.
    pub fn charge(&self, bytes: usize) -> (Charge, bool) {
        let now = self.0.queued.fetch_add(bytes, Ordering::SeqCst) + bytes;
        let charge = Charge {
            account: Arc::clone(&self.0),
            bytes,
        };
        (charge, now > self.0.high)
    }

    /// Asks for `drains` to be called once the queue is down to its low mark; false
    /// when it already is (nothing to wait for).
    pub fn watch(&self) -> bool {
        self.0.watched.store(true, Ordering::SeqCst);
        self.0.queued.load(Ordering::SeqCst) > self.0.low
    }

    /// Bytes queued now.
    pub fn queued(&self) -> usize {
        self.0.queued.load(Ordering::SeqCst)
    }
}

/// What one queued frame costs its queue, released when the frame is dropped (written,
/// or dropped with its connection).
pub struct Charge {
    account: Arc<Account>,
    bytes: usize,
}

impl Drop for Charge {
    fn drop(&mut self) {
        let a = &self.account;
        let left = a.queued.fetch_sub(self.bytes, Ordering::SeqCst) - self.bytes;
        if left <= a.low
            && a.watched.load(Ordering::Relaxed)
            && a.watched.swap(false, Ordering::SeqCst)
        {
            (a.drains)(a.sink);
        }
    }
}

impl std::fmt::Debug for Charge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Charge({:?}, {})", self.account.sink, self.bytes)
    }
}

/// A frame on its way out, with what it costs its queue (control frames cost nothing).
#[derive(Debug)]
pub struct Queued {
    pub frame: Frame,
    pub charge: Option<Charge>,
}

impl From<Frame> for Queued {
    fn from(frame: Frame) -> Queued {
        Queued {
            frame,
            charge: None,
        }
    }
}

/// What stops a source of frames from being read: held by the actor while one of the
/// queues its frames went to is over budget, and closed while the reader is more than
/// its read-ahead in front of the actor.
#[derive(Debug)]
pub struct Gate {
    /// Bytes handed to the actor and not handled yet.
    ahead: AtomicUsize,
    limit: usize,
    /// Queues this source waits for.
    holds: AtomicUsize,
    wake: Notify,
}

impl Gate {
    /// A gate letting its reader be `limit` bytes ahead of the actor.
    pub fn new(limit: usize) -> Arc<Gate> {
        Arc::new(Gate {
            ahead: AtomicUsize::new(0),
            limit,
            holds: AtomicUsize::new(0),
            wake: Notify::new(),
        })
    }

    fn open(&self) -> bool {
        self.holds.load(Ordering::SeqCst) == 0 && self.ahead.load(Ordering::SeqCst) <= self.limit
    }

    /// Waits until the source may be read.
    pub async fn ready(&self) {
        loop {
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            if self.open() {
                return;
            }
            woken.await;
        }
    }

    /// The reader hands the actor a frame costing `bytes`: counted until the returned
    /// token, which travels with the frame, is dropped (the actor handled it).
    pub fn sent(self: &Arc<Gate>, bytes: usize) -> Ahead {
        self.ahead.fetch_add(bytes, Ordering::SeqCst);
        Ahead {
            gate: Arc::clone(self),
            bytes,
        }
    }

    fn handled(&self, bytes: usize) {
        let before = self.ahead.fetch_sub(bytes, Ordering::SeqCst);
        if before > self.limit && before - bytes <= self.limit {
            self.wake.notify_one();
        }
    }

    /// Stops the source until a matching [`Gate::release`].
    fn hold(&self) {
        self.holds.fetch_add(1, Ordering::SeqCst);
    }

    fn release(&self) {
        if self.holds.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.wake.notify_one();
        }
    }

    /// Whether the actor holds this source now.
    pub fn is_held(&self) -> bool {
        self.holds.load(Ordering::SeqCst) > 0
    }
}

/// A frame on its way from a reader to the actor, counted at the reader's gate until
/// dropped.
#[derive(Debug)]
pub struct Ahead {
    gate: Arc<Gate>,
    bytes: usize,
}

impl Ahead {
    /// The gate of the source the frame came from.
    pub fn gate(&self) -> &Arc<Gate> {
        &self.gate
    }
}

impl Drop for Ahead {
    fn drop(&mut self) {
        self.gate.handled(self.bytes);
    }
}

/// Who sent a frame being routed, as flow control sees it.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// A task's socket or output pipe of this host.
    Gate(&'a Arc<Gate>),
    /// A frame that came over a link from host `.0` (where its sender lives).
    Host(u32),
    /// pvmd itself (notifications): never held.
    Pvmd,
}

/// Who waits for one queue to drain.
#[derive(Debug, Default)]
struct Waiters {
    gates: Vec<Arc<Gate>>,
    /// Hosts told this queue is full, to be told when it drains.
    hosts: BTreeSet<u32>,
}

/// What becomes of a queue that drained (or is gone): the sources to let go, and the
/// hosts to tell.
#[derive(Debug, Default)]
pub struct Released {
    pub hosts: Vec<u32>,
}

/// The actor's side of flow control: the budget of every queue, who waits for which,
/// and which destinations of other hosts said they are full.
pub struct Flow {
    drains: Drains,
    budgets: HashMap<Sink, Budget>,
    waiting: HashMap<Sink, Waiters>,
    /// Tasks of other hosts (or with a pvmd's tid whole hosts) reported full.
    full: HashSet<Tid>,
}

impl std::fmt::Debug for Flow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flow")
            .field("budgets", &self.budgets.len())
            .field("waiting", &self.waiting)
            .field("full", &self.full)
            .finish()
    }
}

impl Flow {
    /// Flow control whose drained queues are announced through `drains`.
    pub fn new(drains: Drains) -> Flow {
        Flow {
            drains,
            budgets: HashMap::new(),
            waiting: HashMap::new(),
            full: HashSet::new(),
        }
    }

    /// The budget of a task's queue or a link's (made on first use).
    pub fn budget(&mut self, sink: Sink) -> &Budget {
        let drains = &self.drains;
        self.budgets.entry(sink).or_insert_with(|| {
            let high = match sink {
                Sink::Link(_) => LINK_BUDGET,
                Sink::Task(_) | Sink::Remote(_) => TASK_BUDGET,
            };
            Budget::new(sink, high, Arc::clone(drains))
        })
    }

    /// A frame from `from` went to `sink`, which is now over budget: a gate is held
    /// until it drains. For a frame from another host, returns the host to tell (once
    /// per host while the queue stays full).
    pub fn over(&mut self, sink: Sink, from: Source<'_>) -> Option<u32> {
        if matches!(from, Source::Pvmd) {
            return None;
        }
        let watching = self.budgets.get(&sink).is_some_and(Budget::watch);
        if !watching {
            return None;
        }
        match from {
            Source::Gate(gate) => {
                self.hold(sink, gate);
                None
            }
            Source::Host(host) => {
                let w = self.waiting.entry(sink).or_default();
                w.hosts.insert(host).then_some(host)
            }
            Source::Pvmd => None,
        }
    }

    /// Holds `gate` until `sink` drains; once per gate and queue.
    fn hold(&mut self, sink: Sink, gate: &Arc<Gate>) {
        let w = self.waiting.entry(sink).or_default();
        if !w.gates.iter().any(|g| Arc::ptr_eq(g, gate)) {
            gate.hold();
            w.gates.push(Arc::clone(gate));
        }
    }

    /// Before a frame from `from` goes towards task `dst` of another host: if its pvmd
    /// said `dst` (or its whole host) is full, a gate is held until it says otherwise.
    pub fn towards_remote(&mut self, dst: Tid, from: Source<'_>) {
        let Source::Gate(gate) = from else {
            return;
        };
        let host = dst.host_daemon();
        for key in [dst, host] {
            if self.full.contains(&key) {
                self.hold(Sink::Remote(key), gate);
            }
        }
    }

    /// Another pvmd says `tid` (a task, or a pvmd for its whole host) is full.
    pub fn remote_full(&mut self, tid: Tid) {
        self.full.insert(tid);
    }

    /// Another pvmd says `tid` drained: its waiting sources go on.
    pub fn remote_drained(&mut self, tid: Tid) {
        self.full.remove(&tid);
        self.release(Sink::Remote(tid));
    }

    /// A queue drained to its low mark (or is gone): its waiting sources go on, and the
    /// hosts told it was full are returned, to be told it is not.
    pub fn release(&mut self, sink: Sink) -> Released {
        let Some(w) = self.waiting.remove(&sink) else {
            return Released::default();
        };
        for g in w.gates {
            g.release();
        }
        Released {
            hosts: w.hosts.into_iter().collect(),
        }
    }

    /// A queue is gone for good (its task left, its link went down): as if drained,
    /// and its budget is forgotten.
    pub fn forget(&mut self, sink: Sink) -> Released {
        self.budgets.remove(&sink);
        self.release(sink)
    }

    /// Host `host` left the machine: what waited for its tasks goes on, and it is no
    /// longer told anything.
    pub fn host_gone(&mut self, host: u32) {
        let gone: Vec<Tid> = self
            .full
            .iter()
            .filter(|t| t.host() == host)
            .copied()
            .collect();
        for tid in gone {
            self.remote_drained(tid);
        }
        for w in self.waiting.values_mut() {
            w.hosts.remove(&host);
        }
        self.forget(Sink::Link(host));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use std::time::Duration;

    fn recorder() -> (Drains, Arc<Mutex<Vec<Sink>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        let drains: Drains = Arc::new(move |sink| s.lock().expect("lock").push(sink));
        (drains, seen)
    }

    const T: Sink = Sink::Task(Tid(0x40002));

    #[test]
    fn a_watched_queue_says_when_it_is_down_to_its_low_mark_once() {
        let (drains, seen) = recorder();
        let b = Budget::new(T, 1000, drains);
        let (c1, over) = b.charge(600);
        assert!(!over);
        let (c2, over) = b.charge(600);
        assert!(over, "1200 > 1000");
        assert!(b.watch());
        drop(c1);
        assert!(seen.lock().expect("lock").is_empty(), "600 left, above 250");
        drop(c2);
        assert_eq!(*seen.lock().expect("lock"), [T]);
        let (c3, _) = b.charge(10);
        drop(c3);
        assert_eq!(seen.lock().expect("lock").len(), 1, "no longer watched");
        assert_eq!(b.queued(), 0);
    }

    #[test]
    fn watching_a_queue_that_already_drained_asks_for_nothing() {
        let (drains, _) = recorder();
        let b = Budget::new(T, 1000, drains);
        let (c, _) = b.charge(100);
        assert!(!b.watch());
        drop(c);
    }

    #[test]
    fn a_sender_to_a_full_queue_is_held_once_and_let_go_when_it_drains() {
        let (drains, _) = recorder();
        let mut flow = Flow::new(drains);
        let gate = Gate::new(READ_AHEAD);
        let (c, over) = flow.budget(T).charge(TASK_BUDGET + 1);
        assert!(over);
        assert_eq!(flow.over(T, Source::Gate(&gate)), None);
        assert_eq!(flow.over(T, Source::Gate(&gate)), None);
        assert!(gate.is_held());
        drop(c);
        assert!(flow.release(T).hosts.is_empty());
        assert!(!gate.is_held(), "held once, released once");
    }

    #[test]
    fn a_remote_sender_is_told_once_per_fill() {
        let (drains, _) = recorder();
        let mut flow = Flow::new(drains);
        let (_c, _) = flow.budget(T).charge(TASK_BUDGET + 1);
        assert_eq!(flow.over(T, Source::Host(3)), Some(3));
        assert_eq!(flow.over(T, Source::Host(3)), None, "already told");
        assert_eq!(flow.over(T, Source::Host(2)), Some(2));
        assert_eq!(flow.over(T, Source::Pvmd), None);
        assert_eq!(flow.release(T).hosts, [2, 3]);
        assert_eq!(flow.over(T, Source::Host(3)), Some(3), "full again");
    }

    #[test]
    fn senders_to_a_full_remote_task_or_host_wait_for_its_pvmd() {
        let (drains, _) = recorder();
        let mut flow = Flow::new(drains);
        let gate = Gate::new(READ_AHEAD);
        let far = Tid::new(3, 5);
        flow.towards_remote(far, Source::Gate(&gate));
        assert!(!gate.is_held(), "nobody said it is full");
        flow.remote_full(far);
        flow.towards_remote(far, Source::Gate(&gate));
        assert!(gate.is_held());
        flow.remote_drained(far);
        assert!(!gate.is_held());
        flow.remote_full(Tid::pvmd(3));
        flow.towards_remote(Tid::new(3, 9), Source::Gate(&gate));
        assert!(gate.is_held(), "the whole host is full");
        flow.host_gone(3);
        assert!(!gate.is_held(), "a host that left holds nobody");
    }

    #[tokio::test]
    async fn a_gate_opens_when_released_and_when_the_actor_catches_up() {
        let gate = Gate::new(100);
        gate.ready().await;
        let ahead = gate.sent(150);
        let waiting = {
            let g = Arc::clone(&gate);
            tokio::spawn(async move { g.ready().await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "150 ahead of a 100 limit");
        drop(ahead);
        tokio::time::timeout(Duration::from_secs(10), waiting)
            .await
            .expect("opened")
            .expect("task");
        gate.hold();
        let waiting = {
            let g = Arc::clone(&gate);
            tokio::spawn(async move { g.ready().await })
        };
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!waiting.is_finished(), "held");
        gate.release();
        tokio::time::timeout(Duration::from_secs(10), waiting)
            .await
            .expect("opened")
            .expect("task");
    }
}
