//! Line input: rustyline with history on a terminal, plain lines from a pipe.
//!
//! Input runs on its own thread so the console can print job output while it waits for
//! a command. The thread reads one line each time the session says it is ready (so the
//! prompt never appears before the previous command's output) and forwards what it got
//! as an [`Event`]. From a pipe, the session prints the prompt itself and echoes each
//! command after it, as PVM's console does, so a transcript reads like an interactive
//! session.
//!
//! On a terminal, text that arrives while the prompt is shown replaces the prompt line
//! and a fresh prompt follows it. rustyline's external printer would redraw a partly
//! typed line too, but in rustyline 14 it stalls input that arrives in one burst (a
//! paste: only the first character is taken until the next key), which is worse than
//! a partly typed line that is not redrawn until the next key.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};
use std::thread;

use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::Editor;
use tracing::debug;

use super::Event;

/// The console's prompt.
pub const PROMPT: &str = "pvm> ";

/// How the console reads commands.
pub struct Input {
    ready: Sender<()>,
    /// Whether rustyline edits lines on a terminal.
    interactive: bool,
}

impl Input {
    /// Starts the input thread, which sends lines and end-of-input to `events`.
    pub fn start(events: Sender<Event>) -> io::Result<Input> {
        let (ready, ready_rx) = std::sync::mpsc::channel();
        let mut interactive = false;
        // Line editing needs both ends on a terminal; otherwise prompts and echoes go
        // to wherever stdout leads, escape-free.
        if io::stdin().is_terminal() && io::stdout().is_terminal() {
            match Editor::<(), DefaultHistory>::new() {
                Ok(editor) => {
                    interactive = true;
                    spawn_thread(move || edit_lines(editor, &ready_rx, &events))?;
                }
                Err(e) => {
                    debug!("no line editor ({e}), reading plain lines");
                    spawn_thread(move || pipe_lines(&ready_rx, &events))?;
                }
            }
        } else {
            spawn_thread(move || pipe_lines(&ready_rx, &events))?;
        }
        Ok(Input { ready, interactive })
    }

    /// Whether input comes from a terminal with line editing.
    pub fn is_interactive(&self) -> bool {
        self.interactive
    }

    /// Asks for the next command. From a pipe the prompt is printed here.
    pub fn request_line(&self) {
        if !self.is_interactive() {
            let mut out = io::stdout().lock();
            // stdout gone (a closed pipe) is noticed by the next command's output.
            let _ = write!(out, "{PROMPT}");
            let _ = out.flush();
        }
        // A stopped input thread has already sent its end-of-input event.
        let _ = self.ready.send(());
    }

    /// Shows a line the user typed into a pipe, after the prompt, as PVM's console does.
    pub fn echo(&self, line: &str) {
        if !self.is_interactive() {
            super::print::line(line);
        }
    }

    /// Prints lines that arrived while the prompt is shown.
    pub fn print_async(&self, lines: &[String]) {
        if self.interactive {
            // The terminal may be in raw mode: no implicit carriage returns.
            let mut text = String::from("\r\x1b[K");
            for l in lines {
                text.push_str(l);
                text.push_str("\r\n");
            }
            text.push_str(PROMPT);
            raw_stdout(&text);
        } else {
            let mut text = String::new();
            for l in lines {
                text.push_str(l);
                text.push('\n');
            }
            raw_stdout(&text);
        }
    }
}

/// Writes text as it is (no newline added), ignoring a closed stdout.
fn raw_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn spawn_thread(f: impl FnOnce() + Send + 'static) -> io::Result<()> {
    thread::Builder::new()
        .name("pvm-input".into())
        .spawn(f)
        .map(|_| ())
}

fn history_path() -> Option<PathBuf> {
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pvm_history"))
}

fn edit_lines(
    mut editor: Editor<(), DefaultHistory>,
    ready: &Receiver<()>,
    events: &Sender<Event>,
) {
    let history = history_path();
    if let Some(path) = &history {
        // No history yet is the normal first run.
        let _ = editor.load_history(path);
    }
    while ready.recv().is_ok() {
        let event = match editor.readline(PROMPT) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                Event::Line(line)
            }
            // Ctrl-C abandons the line being typed, as in a shell.
            Err(ReadlineError::Interrupted) => Event::Line(String::new()),
            Err(ReadlineError::Eof) => Event::Eof,
            Err(e) => {
                debug!("line editor failed: {e}");
                Event::Eof
            }
        };
        let eof = matches!(event, Event::Eof);
        if events.send(event).is_err() || eof {
            break;
        }
    }
    if let Some(path) = &history {
        if let Err(e) = editor.save_history(path) {
            debug!("cannot save history to {}: {e}", path.display());
        }
    }
}

fn pipe_lines(ready: &Receiver<()>, events: &Sender<Event>) {
    let stdin = io::stdin();
    let mut lines = stdin.lock();
    while ready.recv().is_ok() {
        let mut buf = Vec::new();
        let event = match lines.read_until(b'\n', &mut buf) {
            Ok(0) => Event::Eof,
            Ok(_) => {
                let text = String::from_utf8_lossy(&buf);
                Event::Line(text.trim_end_matches(['\n', '\r']).to_string())
            }
            Err(e) => {
                debug!("reading stdin failed: {e}");
                Event::Eof
            }
        };
        let eof = matches!(event, Event::Eof);
        if events.send(event).is_err() || eof {
            break;
        }
    }
}
