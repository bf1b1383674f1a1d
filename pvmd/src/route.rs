//! Message routing to the tasks of this host.
//!
//! A message for a task that was spawned but has not connected yet waits in its task
//! entry; one for a tid nobody has is dropped. Either way it is charged to the task's
//! queue ([`crate::flow`]).

use pvm::proto::Message;

use crate::conns::Conns;
use crate::flow::{self, Flow, Sink};
use crate::tasks::TaskTable;

/// Routes one message to a task of this host. Messages to unknown tids are dropped, as
/// PVM drops them (the sender learns of a dead peer through notify, not send).
/// `Some` names the task's queue when it is now over budget.
pub fn deliver(
    tasks: &mut TaskTable,
    conns: &Conns,
    flow: &mut Flow,
    msg: Message,
) -> Option<Sink> {
    let Some(task) = tasks.get_mut(msg.dst) else {
        tracing::debug!(dst = %msg.dst, src = %msg.src, tag = msg.tag, "message to no task dropped");
        return None;
    };
    let sink = Sink::Task(msg.dst);
    let (queued, over) = flow::charged(flow.budget(sink), msg, true);
    match task.conn {
        Some(c) => {
            conns.send_queued(c, queued);
        }
        None => task.pending.push(queued),
    }
    over.then_some(sink)
}
