//! The mailbox request family (`pvm_putinfo`, `pvm_recvinfo`, `pvm_delinfo`,
//! `pvm_getmboxinfo`), kept by the master: the table ([`crate::mbox`]) and the
//! `recvinfo`s waiting (PvmMboxWaitForInfo) for an entry that does not exist yet.

use bytes::Bytes;
use pvm::error::PvmError;
use pvm::proto::consts::PVM_MBOX_WAIT_FOR_INFO;
use pvm::proto::{MboxClass, Reply};
use pvm::tid::Tid;

use crate::mbox::{Entry, Mailbox, Put};
use crate::outbox::{done, Outbox};
use crate::router::ReplyTo;

/// The mailbox and its waiters.
#[derive(Debug, Default)]
pub struct Mail {
    table: Mailbox,
    waiters: Vec<InfoWaiter>,
}

/// A `recvinfo` with PvmMboxWaitForInfo waiting for its entry.
#[derive(Debug)]
struct InfoWaiter {
    to: ReplyTo,
    tid: Tid,
    name: String,
    index: i32,
    flags: i32,
}

/// A mailbox request, as the dispatcher hands it over.
#[derive(Debug)]
pub enum MailOp {
    /// `pvm_putinfo`: `body` packed with `encoding`.
    Put {
        name: String,
        flags: i32,
        encoding: i32,
        body: Bytes,
    },
    /// `pvm_recvinfo`; with PvmMboxWaitForInfo it waits for the entry.
    Get {
        name: String,
        index: i32,
        flags: i32,
    },
    /// `pvm_delinfo`.
    Delete { name: String, index: i32 },
    /// `pvm_getmboxinfo(pattern)`.
    Classes { pattern: String },
}

impl Mail {
    /// Carries out `op` of task `caller`, answered to `to`: the answer, or `None`
    /// while a `recvinfo` waits. The waits a put satisfies are answered through
    /// `out`.
    pub fn apply(&mut self, out: &Outbox, to: ReplyTo, caller: Tid, op: MailOp) -> Option<Reply> {
        match op {
            MailOp::Put {
                name,
                flags,
                encoding,
                body,
            } => {
                let put = Put {
                    owner: caller,
                    flags,
                    encoding,
                    body,
                };
                Some(self.put(out, &name, put))
            }
            MailOp::Get { name, index, flags } => self.get(to, caller, name, index, flags),
            MailOp::Delete { name, index } => Some(done(self.table.delete(&name, index, caller))),
            MailOp::Classes { pattern } => Some(Reply::Mbox {
                classes: self.classes(&pattern),
            }),
        }
    }

    /// Stores `put` and answers the waiting `recvinfo`s it satisfies.
    fn put(&mut self, out: &Outbox, name: &str, put: Put) -> Reply {
        let reply = match self.table.put(name, put) {
            Ok(index) => Reply::Value { value: index },
            Err(e) => return Reply::error(e),
        };
        let waiters = std::mem::take(&mut self.waiters);
        for w in waiters {
            if w.name != name {
                self.waiters.push(w);
                continue;
            }
            match self.table.get(&w.name, w.index, w.flags, w.tid) {
                Ok(e) => out.answer(w.to, info_reply(e)),
                Err(PvmError::NotFound) => self.waiters.push(w),
                Err(e) => out.answer(w.to, Reply::error(e)),
            }
        }
        reply
    }

    /// `pvm_recvinfo` by `tid`; `None` when it waits for the entry (answered to `to`
    /// by a later put).
    fn get(
        &mut self,
        to: ReplyTo,
        tid: Tid,
        name: String,
        index: i32,
        flags: i32,
    ) -> Option<Reply> {
        match self.table.get(&name, index, flags, tid) {
            Ok(e) => Some(info_reply(e)),
            Err(PvmError::NotFound) if flags & PVM_MBOX_WAIT_FOR_INFO != 0 => {
                let w = InfoWaiter {
                    to,
                    tid,
                    name,
                    index,
                    flags,
                };
                self.waiters.push(w);
                None
            }
            Err(e) => Some(Reply::error(e)),
        }
    }

    /// Task `tid` exited: its entries go (persistent ones stay, ownerless), and so do
    /// its waits.
    pub fn owner_exited(&mut self, tid: Tid) {
        self.table.owner_exited(tid);
        self.waiters.retain(|w| w.tid != tid);
    }

    /// The classes whose names match `pattern`, with their entries.
    pub fn classes(&self, pattern: &str) -> Vec<MboxClass> {
        self.table.classes(pattern)
    }

    /// The `recvinfo`s waiting for an entry: who waits, for which name.
    pub fn waiting(&self) -> Vec<(Tid, &str)> {
        self.waiters
            .iter()
            .map(|w| (w.tid, w.name.as_str()))
            .collect()
    }

    /// The owners of entries that are tasks of host `host`.
    pub fn owners_on(&self, host: u32) -> Vec<Tid> {
        self.table.owners_on(host)
    }

    /// A reset: entries of owners that do not `survive` go.
    pub fn reset(&mut self, survives: impl Fn(Tid) -> bool) {
        self.table.reset(survives);
    }
}

fn info_reply(e: Entry) -> Reply {
    Reply::Info {
        owner: e.owner,
        flags: e.flags,
        encoding: e.encoding,
        body: e.body,
    }
}

#[cfg(test)]
mod tests {
    use pvm::proto::Frame;

    use super::*;
    use crate::wiring::testing::{wires, CONN};

    /// Where the test's requests are answered.
    const TO: ReplyTo = ReplyTo::Conn { conn: CONN, id: 7 };

    fn put(mail: &mut Mail, out: &Outbox, name: &str, owner: Tid) -> Option<Reply> {
        let op = MailOp::Put {
            name: name.into(),
            flags: 0,
            encoding: 0,
            body: Bytes::from_static(b"x"),
        };
        mail.apply(out, TO, owner, op)
    }

    fn get(mail: &mut Mail, out: &Outbox, tid: Tid, name: &str, flags: i32) -> Option<Reply> {
        let op = MailOp::Get {
            name: name.into(),
            index: 0,
            flags,
        };
        mail.apply(out, TO, tid, op)
    }

    #[tokio::test]
    async fn a_waiting_recvinfo_is_answered_by_the_put_it_waits_for() {
        let (wiring, mut sent) = wires();
        let out = wiring.outbox();
        let mut mail = Mail::default();
        let (reader, writer) = (Tid::new(1, 2), Tid::new(1, 3));
        let stored = Some(Reply::Value { value: 0 });
        assert_eq!(
            get(&mut mail, &out, reader, "n", PVM_MBOX_WAIT_FOR_INFO),
            None
        );
        assert_eq!(put(&mut mail, &out, "other", writer), stored);
        assert!(sent.try_recv().is_err(), "another name answers nobody");
        assert_eq!(put(&mut mail, &out, "n", writer), stored);
        match sent.try_recv() {
            Ok(Frame::Reply {
                id: 7,
                reply: Reply::Info { owner, .. },
            }) => assert_eq!(owner, writer),
            other => panic!("the waiter got {other:?}"),
        }
        // Without the wait flag a missing entry is an error at once.
        let at_once = get(&mut mail, &out, reader, "none", 0);
        assert_eq!(at_once, Some(Reply::error(PvmError::NotFound)));
    }

    #[tokio::test]
    async fn the_wait_of_a_task_that_exits_is_dropped() {
        let (wiring, mut sent) = wires();
        let out = wiring.outbox();
        let mut mail = Mail::default();
        let reader = Tid::new(1, 2);
        assert_eq!(
            get(&mut mail, &out, reader, "n", PVM_MBOX_WAIT_FOR_INFO),
            None
        );
        mail.owner_exited(reader);
        put(&mut mail, &out, "n", Tid::new(1, 3));
        assert!(sent.try_recv().is_err(), "nobody waits any more");
    }
}
