//! Message routing to the tasks of this host.
//!
//! A message for a task that was spawned but has not connected yet waits in its task
//! entry; one for a tid nobody has is dropped.

use pvm::proto::{Frame, Message};

use crate::conns::Conns;
use crate::tasks::TaskTable;

/// Routes one message to a task of this host. Messages to unknown tids are dropped, as
/// PVM drops them (the sender learns of a dead peer through notify, not send).
pub fn deliver(tasks: &mut TaskTable, conns: &Conns, msg: Message) {
    let Some(task) = tasks.get_mut(msg.dst) else {
        tracing::debug!(dst = %msg.dst, src = %msg.src, tag = msg.tag, "message to no task dropped");
        return;
    };
    match task.conn {
        Some(c) => {
            conns.send(c, Frame::Data(msg));
        }
        None => task.pending.push(msg),
    }
}
