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

/// What `pvm_putinfo` sends.
#[derive(Debug)]
pub struct PutInfo {
    pub name: String,
    pub flags: i32,
    pub encoding: i32,
    pub body: Bytes,
}

impl Mail {
    /// `pvm_putinfo` by `owner`; answers the waiting `recvinfo`s it satisfies.
    pub fn put(&mut self, out: &Outbox, owner: Tid, p: PutInfo) -> Reply {
        let put = Put {
            owner,
            flags: p.flags,
            encoding: p.encoding,
            body: p.body,
        };
        let reply = match self.table.put(&p.name, put) {
            Ok(index) => Reply::Value { value: index },
            Err(e) => return Reply::error(e),
        };
        let waiters = std::mem::take(&mut self.waiters);
        for w in waiters {
            if w.name != p.name {
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
    pub fn get(
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

    /// `pvm_delinfo` by `tid`.
    pub fn delete(&mut self, tid: Tid, name: &str, index: i32) -> Reply {
        done(self.table.delete(name, index, tid))
    }

    /// `pvm_getmboxinfo(pattern)`.
    pub fn classes(&self, pattern: &str) -> Vec<MboxClass> {
        self.table.classes(pattern)
    }

    /// Task `tid` exited: its entries go (persistent ones stay, ownerless), and so do
    /// its waits.
    pub fn owner_exited(&mut self, tid: Tid) {
        self.table.owner_exited(tid);
        self.waiters.retain(|w| w.tid != tid);
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
    use crate::outbox::testing::{Wires, CONN};

    fn put(mail: &mut Mail, out: &Outbox, name: &str, owner: Tid) -> Reply {
        let p = PutInfo {
            name: name.into(),
            flags: 0,
            encoding: 0,
            body: Bytes::from_static(b"x"),
        };
        mail.put(out, owner, p)
    }

    #[tokio::test]
    async fn a_waiting_recvinfo_is_answered_by_the_put_it_waits_for() {
        let (wires, mut sent) = Wires::new();
        let out = wires.outbox();
        let mut mail = Mail::default();
        let (reader, writer) = (Tid::new(1, 2), Tid::new(1, 3));
        let waiting = ReplyTo::Conn { conn: CONN, id: 7 };
        let flags = PVM_MBOX_WAIT_FOR_INFO;
        assert_eq!(mail.get(waiting, reader, "n".into(), 0, flags), None);
        assert_eq!(
            put(&mut mail, &out, "other", writer),
            Reply::Value { value: 0 }
        );
        assert!(sent.try_recv().is_err(), "another name answers nobody");
        assert_eq!(put(&mut mail, &out, "n", writer), Reply::Value { value: 0 });
        match sent.try_recv() {
            Ok(Frame::Reply {
                id: 7,
                reply: Reply::Info { owner, .. },
            }) => assert_eq!(owner, writer),
            other => panic!("the waiter got {other:?}"),
        }
        // Without the wait flag a missing entry is an error at once.
        let at_once = mail.get(waiting, reader, "none".into(), 0, 0);
        assert_eq!(at_once, Some(Reply::error(PvmError::NotFound)));
    }

    #[tokio::test]
    async fn the_wait_of_a_task_that_exits_is_dropped() {
        let (wires, mut sent) = Wires::new();
        let out = wires.outbox();
        let mut mail = Mail::default();
        let reader = Tid::new(1, 2);
        let waiting = ReplyTo::Conn { conn: CONN, id: 7 };
        assert_eq!(
            mail.get(waiting, reader, "n".into(), 0, PVM_MBOX_WAIT_FOR_INFO),
            None
        );
        mail.owner_exited(reader);
        put(&mut mail, &out, "n", Tid::new(1, 3));
        assert!(sent.try_recv().is_err(), "nobody waits any more");
    }
}
