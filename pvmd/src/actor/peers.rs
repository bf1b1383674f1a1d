//! What the links to other pvmds bring: messages for tasks, calls and their answers,
//! exit watches, sibling lists, host tables, halts and lost links.

use pvm::proto::peer::{PeerHost, PeerMsg};
use pvm::proto::Frame;

use super::Daemon;
use crate::flow::Source;

impl Daemon {
    /// A frame from the pvmd of host `host`. The master relays what is for another
    /// host.
    pub(super) fn link_frame(&mut self, host: u32, frame: Frame) {
        match frame {
            Frame::Data(msg) => {
                // Held, if its queue is full, at the pvmd of its sender.
                let from = Source::Host(msg.src.host());
                self.deliver(msg, from);
            }
            Frame::Peer(msg) => match msg.destination() {
                Some(to) if to.host() != self.hosts.me() => {
                    if self.hosts.is_master() {
                        self.wiring.cluster().send_peer(to, msg);
                    }
                }
                _ => self.peer_message(host, msg),
            },
            other => {
                tracing::warn!(host, "unexpected frame on a pvmd link: {other:?}");
                self.link_down(host, "protocol error");
            }
        }
    }

    fn peer_message(&mut self, host: u32, msg: PeerMsg) {
        match msg {
            PeerMsg::Hosts { hosts } if !self.hosts.is_master() => self.new_table(hosts),
            PeerMsg::Call {
                id,
                from,
                caller,
                req,
                ..
            } => self.peer_call(from, id, caller, req),
            PeerMsg::Answer { id, reply, .. } => {
                if let Some(then) = self.wiring.cluster_mut().answered(id) {
                    self.complete(then, reply);
                }
            }
            PeerMsg::Watch { from, tid, .. } => {
                if self.tasks.get(tid).is_some() {
                    self.wiring.cluster_mut().add_watcher(tid, from);
                } else {
                    let gone = PeerMsg::Exited {
                        from: self.wiring.me(),
                        to: from,
                        tid,
                    };
                    self.wiring.cluster().send_peer(from, gone);
                }
            }
            PeerMsg::Exited { tid, .. } => {
                self.wiring.cluster_mut().unwatch(tid);
                self.forget_task(tid);
            }
            PeerMsg::Siblings { tids, .. } => {
                for tid in self.spawn_cx().siblings(tids) {
                    self.release_welcome(tid);
                }
            }
            PeerMsg::Full { tid, .. } => self.wiring.flow_mut().remote_full(tid),
            PeerMsg::Drained { tid, .. } => self.wiring.flow_mut().remote_drained(tid),
            PeerMsg::Halt {} if self.hosts.is_master() => {
                self.host_gone(host, "its pvmd halted");
            }
            PeerMsg::Halt {} => {
                self.outputs.log("halted by the master");
                self.halting = true;
            }
            // Only a slave takes the master's table; the handshake and pings belong to
            // the link itself.
            msg @ (PeerMsg::Hosts { .. }
            | PeerMsg::Challenge { .. }
            | PeerMsg::Response { .. }
            | PeerMsg::Confirm { .. }
            | PeerMsg::Ping {}) => tracing::debug!(host, "ignored on a link: {msg:?}"),
        }
    }

    /// A link went down: on a slave it is the master's, and the slave goes; on the
    /// master the host is deleted.
    pub(super) fn link_down(&mut self, host: u32, why: &str) {
        self.wiring.cluster_mut().abort_link(host);
        if self.hosts.is_master() {
            self.host_gone(host, why);
        } else {
            self.outputs
                .log(&format!("lost the master ({why}), halting"));
            self.halting = true;
        }
    }

    /// A slave received the master's table: hosts gone are forgotten, hosts added
    /// notified.
    fn new_table(&mut self, hosts: Vec<PeerHost>) {
        let (added, gone) = self.host_cx().new_table(hosts);
        for dtid in gone {
            self.forget_host(dtid.host());
        }
        self.notify_cx().hosts_added(&added);
    }
}
