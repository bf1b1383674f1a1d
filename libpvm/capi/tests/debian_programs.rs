//! Debian's PVM programs that need more of the library than the examples in
//! `debian_examples.rs`, unmodified, on our libpvm3 and pvmd: the message-handler pair
//! mhf_server/mhf_tickle, and PVM 3.4.6's own console `/usr/bin/pvm`.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{debian, hostname, text, Vm};

const LIMIT: Duration = Duration::from_secs(60);

/// Waits until a task has put `name` into the mailbox.
fn wait_for_mailbox(vm: &Vm, name: &str) {
    let task = vm.task();
    task.setopt(pvm::constants::PvmAutoErr, 0).unwrap();
    let deadline = Instant::now() + LIMIT;
    while task.recvinfo(name, 0, 0).is_err() {
        assert!(
            Instant::now() < deadline,
            "{name} never appeared in the mailbox"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    task.exit().unwrap();
}

/// mhf_tickle has mhf_server load a handler for its messages, hit it, list the
/// handlers, delete it and exit: the server's handler catches the message inside its
/// `pvm_recv` and the listing shows the handler as PVM's library prints it.
#[test]
fn debian_mhf_server_runs_handlers_that_mhf_tickle_loads() {
    let vm = Vm::start();
    let server = vm.spawn_background(&debian("mhf_server"), &[]);
    wait_for_mailbox(&vm, "mhf_server");
    // 1: load (tag 77, any context, string_catcher1); 0: list; 4: hit it in context 0
    // with a string; 2: delete handler 0; 0: list; 9: the server exits, and so do we.
    let script = "1\n77\n-1\n1\n0\n4\n77\n0\n1\nhello handler\n2\n0\n0\n9\n";
    let tickle = vm.run_with_input(&debian("mhf_tickle"), &[], script, LIMIT);
    let out = server.wait(LIMIT);
    let said = text(&out.stdout);
    let all = format!(
        "{said}{}\ntickle:\n{}{}",
        text(&out.stderr),
        text(&tickle.stdout),
        text(&tickle.stderr)
    );
    assert!(tickle.status.success(), "{all}");
    for expected in [
        "tag = 77, ctx = -1 )  -> loaded SC1",
        "string_catcher1: string_catcher1 received message -->> <hello handler>",
        "HIT:  ping target 1 - SC1   strings match <hello handler>.",
        "mhf_server: DMH: AFTER delete with pvm_delmhf( mhid = 0 )",
        "nhandles = 0\tfl_dhandles = 0",
    ] {
        assert!(said.contains(expected), "missing {expected:?} in:\n{all}");
    }
    let listed = said
        .lines()
        .filter(|l| l.contains("dhandles[ 0].mhid =  0") && l.contains(".header.tag=       77"))
        .count();
    assert!(
        listed >= 2,
        "the handler is not listed after loading it:\n{all}"
    );
}

/// PVM 3.4.6's console, unmodified, on our library against our pvmd: `conf`, `ps -a`
/// (which lists a task the console spawned, and not the console itself, as PVM's
/// does), `spawn -> hello` (whose output the console collects) and `halt`.
#[test]
fn debian_console_runs_on_our_library() {
    let vm = Vm::start();
    vm.install("hello", &debian("hello.pvm"));
    vm.install_debian(&["hello_other", "mhf_server"]);
    let mut console = vm.interactive(Path::new("/usr/bin/pvm"), &[]);
    for cmd in ["conf", "spawn mhf_server", "ps -a", "spawn -> hello"] {
        console.send(cmd);
        std::thread::sleep(Duration::from_millis(700));
    }
    std::thread::sleep(Duration::from_secs(2));
    console.send("halt");
    let out = console.finish(LIMIT);
    let said = text(&out.stdout);
    let all = format!("{said}{}\npvmd log:\n{}", text(&out.stderr), vm.log());
    assert!(said.contains("1 host, 1 data format"), "{all}");
    assert!(
        said.lines()
            .any(|l| l.contains(&hostname()) && l.contains("40000") && l.contains("LINUX64")),
        "conf shows no host line:\n{all}"
    );
    assert!(
        said.contains("HOST      TID   FLAG 0x COMMAND"),
        "ps -a shows no header:\n{all}"
    );
    assert!(
        said.lines()
            .any(|l| l.contains(&hostname()) && l.contains("mhf_server")),
        "ps -a does not list the task:\n{all}"
    );
    assert!(said.contains("1 successful"), "{all}");
    assert!(said.contains("] i'm t4000"), "{all}");
    let hello = format!("hello, world from {}", hostname());
    assert!(said.contains(&hello), "{all}");
    assert!(said.contains("] finished"), "{all}");
    assert!(
        !text(&out.stderr).contains("libpvm"),
        "the console met library errors:\n{all}"
    );
    assert!(
        std::os::unix::net::UnixStream::connect(vm.socket()).is_err(),
        "halt left pvmd running:\n{all}"
    );
}

/// PVM 3.4.6's console's `tickle` on our library and pvmd answers as PVM 3.4.6's
/// pvmd does: `( )` for a set, `( mask )` for a get, the mask logged with PVM's bit
/// names; a dump goes to the log.
#[test]
fn debian_console_tickles_our_pvmd() {
    let vm = Vm::start();
    let mut console = vm.interactive(Path::new("/usr/bin/pvm"), &[]);
    for cmd in ["tickle 6 5", "tickle 5", "tickle 2"] {
        console.send(cmd);
        std::thread::sleep(Duration::from_millis(500));
    }
    console.send("halt");
    let out = console.finish(LIMIT);
    let said = text(&out.stdout);
    let log = vm.log();
    let all = format!("{said}{}\npvmd log:\n{log}", text(&out.stderr));
    assert!(said.contains("( )"), "{all}");
    assert!(said.contains("( 5 )"), "{all}");
    assert!(log.contains("debug mask is 5 (pkt,tsk)"), "{all}");
    assert!(log.contains("task table:"), "{all}");
    assert!(!text(&out.stderr).contains("libpvm"), "{all}");
}
