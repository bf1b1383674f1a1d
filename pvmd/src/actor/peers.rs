//! What the links to other pvmds bring: messages for tasks, calls and their answers,
//! exit watches, sibling lists, host tables, halts and lost links.

use pvm::proto::peer::PeerMsg;
use pvm::proto::Frame;
use pvm::tid::Tid;

use super::Daemon;

impl Daemon {
    /// A frame from the pvmd of host `host`. The master relays what is for another
    /// host.
    pub(super) fn link_frame(&mut self, host: u32, frame: Frame) {
        match frame {
            Frame::Data(msg) => self.deliver(msg),
            Frame::Peer(msg) => match msg.destination() {
                Some(to) if to.host() != self.hosts.me() => {
                    if self.hosts.is_master() {
                        self.cluster.send_peer(to, msg);
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
                if let Some(then) = self.cluster.answered(id) {
                    self.complete(then, reply);
                }
            }
            PeerMsg::Watch { from, tid, .. } => {
                if self.tasks.get(tid).is_some() {
                    self.cluster.add_watcher(tid, from);
                } else {
                    let me = self.me;
                    let gone = PeerMsg::Exited {
                        from: me,
                        to: from,
                        tid,
                    };
                    self.cluster.send_peer(from, gone);
                }
            }
            PeerMsg::Exited { tid, .. } => {
                self.cluster.unwatch(tid);
                self.forget_task(tid);
            }
            PeerMsg::Siblings { tids, .. } => self.siblings(tids),
            PeerMsg::Halt {} if self.hosts.is_master() => {
                self.host_gone(host, "its pvmd halted");
            }
            PeerMsg::Halt {} => {
                self.outputs.log.line("halted by the master");
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
        self.cluster.abort_link(host);
        if self.hosts.is_master() {
            self.host_gone(host, why);
        } else {
            self.outputs
                .log
                .line(&format!("lost the master ({why}), halting"));
            self.halting = true;
        }
    }

    /// Asks the pvmd of remote task `tid` to say when it exits.
    pub(super) fn watch_remote(&mut self, tid: Tid) {
        if tid.host() == self.hosts.me() || !self.cluster.watch(tid) {
            return;
        }
        let msg = PeerMsg::Watch {
            from: self.me,
            to: tid.host_daemon(),
            tid,
        };
        self.cluster.send_peer(tid.host_daemon(), msg);
    }

    /// A task of this host exited: tell the pvmds that watch it.
    pub(super) fn tell_watchers(&mut self, tid: Tid) {
        let me = self.me;
        for to in self.cluster.take_watchers(tid) {
            self.cluster
                .send_peer(to, PeerMsg::Exited { from: me, to, tid });
        }
    }
}
