//! One console session: the connection to pvmd, aliases, jobs, and the loop that reads
//! commands and job output.
//!
//! The loop waits on a single channel fed by the input thread (lines) and by a receiver
//! thread (messages from pvmd), so job output appears while the prompt waits, and
//! commands and output never interleave mid-line.

use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Duration;

use pvm::client::Pvm;
use pvm::constants::{PvmAutoErr, PvmNoReset};
use pvm::error::PvmError;
use pvm::proto::output::OutputEvent;
use pvm::tid::Tid;
use tracing::debug;

use super::alias::Aliases;
use super::command::{self, Command};
use super::input::Input;
use super::jobs::{self, Jobs};
use super::lexer;
use super::print;
use super::{cmd, Event};

/// How often the receiver thread looks up from waiting to notice the session ended.
const RECV_SLICE: Duration = Duration::from_millis(200);

/// What the loop does after a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    /// Leave the console, pvmd keeps running.
    Quit,
    /// pvmd was halted; leave.
    Halted,
    /// pvmd went away without being asked to.
    Lost,
}

/// The state a console keeps between commands.
pub struct Session {
    pub pvm: Pvm,
    pub me: Tid,
    pub aliases: Aliases,
    pub jobs: Jobs,
    pub trace: cmd::trace::TraceMask,
}

impl Session {
    /// Joins the virtual machine as the console task.
    pub fn join() -> Result<Session, crate::ConsoleError> {
        let pvm = Pvm::join()?;
        let me = pvm.mytid()?;
        // reset spares the console, as PVM's console sets PvmNoReset on itself.
        if let Err(e) = pvm.setopt(PvmNoReset, 1) {
            debug!("cannot set PvmNoReset: {e}");
        }
        Ok(Session {
            pvm,
            me,
            aliases: Aliases::default(),
            jobs: Jobs::default(),
            trace: cmd::trace::TraceMask::default(),
        })
    }

    /// Reports a failed library call the way libpvm does, unless the user turned
    /// PvmAutoErr off with `setopt`.
    pub fn lib_error(&self, call: &str, e: PvmError) {
        if self.pvm.getopt(PvmAutoErr).map_or(true, |v| v > 0) {
            print::err(format!("libpvm [{}]: {call}(): {e}", self.me));
        }
    }

    /// Runs the read-execute loop until quit, halt or end of input.
    pub fn run(mut self) -> Flow {
        let (events, rx) = mpsc::channel();
        let input = match Input::start(events.clone()) {
            Ok(i) => i,
            Err(e) => {
                print::err(format!("pvm: cannot read commands: {e}"));
                return self.quit();
            }
        };
        self.start_receiver(events);
        input.request_line();
        loop {
            let Ok(event) = rx.recv() else {
                return self.quit();
            };
            match event {
                Event::Line(line) => {
                    input.echo(&line);
                    match self.execute_line(&line) {
                        Flow::Continue => input.request_line(),
                        flow => return flow,
                    }
                }
                Event::Eof => {
                    // From a pipe, end of input reads as the `quit` it stands for.
                    input.echo("quit");
                    return self.quit();
                }
                Event::Output(msg) => {
                    let lines = self.job_output(msg);
                    if !lines.is_empty() {
                        input.print_async(&lines);
                    }
                }
                Event::PvmdGone => {
                    print::err("pvm: lost the connection to pvmd");
                    return Flow::Lost;
                }
            }
        }
    }

    /// Forwards every message the console receives to the loop.
    fn start_receiver(&self, events: Sender<Event>) {
        let pvm = self.pvm.clone();
        let spawned = thread::Builder::new()
            .name("pvm-output".into())
            .spawn(move || receive(&pvm, &events));
        if let Err(e) = spawned {
            print::err(format!("pvm: job output will not be shown: {e}"));
        }
    }

    fn job_output(&mut self, msg: pvm::client::Incoming) -> Vec<String> {
        let Some(job) = jobs::job_of(msg.tag).filter(|_| msg.src.is_pvmd()) else {
            debug!("ignoring message from {} tag {}", msg.src, msg.tag);
            return Vec::new();
        };
        match OutputEvent::decode(msg.body) {
            Ok(ev) => self.jobs.event(job, ev),
            Err(e) => {
                debug!("ignoring message from {} tag {}: {e}", msg.src, msg.tag);
                Vec::new()
            }
        }
    }

    /// Splits, expands and runs one line.
    pub fn execute_line(&mut self, line: &str) -> Flow {
        let words = match lexer::tokenize(line) {
            Ok(w) => w,
            Err(e) => {
                print::line(e.to_string());
                return Flow::Continue;
            }
        };
        let words = self.aliases.expand(words);
        if words.is_empty() {
            return Flow::Continue;
        }
        match command::parse(&words) {
            Ok(c) => self.execute(c),
            Err(e) => {
                print::line(e.to_string());
                Flow::Continue
            }
        }
    }

    /// Runs one parsed command.
    pub fn execute(&mut self, c: Command) -> Flow {
        match c {
            Command::Quit => return self.quit(),
            Command::Halt => return self.halt(),
            Command::Add(hosts) => cmd::hosts::add(self, &hosts),
            Command::Conf => cmd::hosts::conf(self),
            Command::Delete(hosts) => cmd::hosts::delete(self, &hosts),
            Command::Mstat(hosts) => cmd::hosts::mstat(self, &hosts),
            Command::Ps(args) => cmd::tasks::ps(self, &args),
            Command::Pstat(tids) => cmd::tasks::pstat(self, &tids),
            Command::Kill {
                children,
                tids,
                unknown,
            } => {
                for flag in unknown {
                    print::line(command::UsageError::UnknownFlag(flag).to_string());
                }
                cmd::tasks::kill(self, children, &tids);
            }
            Command::Sig { signal, tids } => cmd::tasks::sig(self, signal, &tids),
            Command::Reset => cmd::tasks::reset(self),
            Command::Jobs { long } => cmd::tasks::jobs(self, long),
            Command::Spawn(args) => cmd::spawn::spawn(self, &args),
            Command::Alias(args) => cmd::environ::alias(self, args),
            Command::Unalias(names) => cmd::environ::unalias(self, &names),
            Command::Echo(words) => print::line(words.join(" ")),
            Command::Setenv(args) => cmd::environ::setenv(&args),
            Command::Export(names) => cmd::environ::export(&names),
            Command::Unexport(names) => cmd::environ::unexport(&names),
            Command::Getopt(what) => cmd::opts::getopt(self, what.as_deref()),
            Command::Setopt { what, value } => cmd::opts::setopt(self, &what, &value),
            Command::Tickle(args) => cmd::debug::tickle(self, &args),
            Command::Trace(args) => cmd::trace::trace(self, &args),
            Command::Names(pattern) => cmd::mailbox::names(self, pattern.as_deref()),
            Command::Put { name, flags, text } => cmd::mailbox::put(self, &name, flags, &text),
            Command::Help(topic) => cmd::help(topic.as_deref()),
            Command::Id => print::line(self.me.to_string()),
            Command::Version => print::line(pvm::constants::PVM_VER),
        }
        Flow::Continue
    }

    /// Leaves the virtual machine; pvmd keeps running.
    fn quit(&mut self) -> Flow {
        if let Err(e) = self.pvm.exit() {
            debug!("pvm_exit: {e}");
        }
        print::line("pvmd still running.");
        Flow::Quit
    }

    /// Stops pvmd and every task.
    fn halt(&mut self) -> Flow {
        // pvmd kills the tasks it spawned and drops attached ones like the console, so
        // the console leaves cleanly (PVM's own console dies with "Terminated").
        if let Err(e) = self.pvm.halt() {
            self.lib_error("pvm_halt", e);
            return Flow::Continue;
        }
        Flow::Halted
    }
}

/// The receiver thread: every message for the console is job output.
fn receive(pvm: &Pvm, events: &Sender<Event>) {
    loop {
        match pvm.trecv_bytes(-1, -1, RECV_SLICE) {
            Ok(Some(msg)) => {
                if events.send(Event::Output(msg)).is_err() {
                    return;
                }
            }
            Ok(None) => {
                if !pvm.is_joined() {
                    return;
                }
            }
            Err(e) => {
                debug!("receiving job output: {e}");
                // After quit or halt the session is gone on purpose; the loop has ended.
                if pvm.is_joined() {
                    let _ = events.send(Event::PvmdGone);
                }
                return;
            }
        }
    }
}
