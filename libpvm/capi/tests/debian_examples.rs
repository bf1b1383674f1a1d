//! Acceptance: PVM 3.4.6's example programs, unmodified, on our libpvm3 and pvmd.
//!
//! Debian's pvm-examples package holds the compiled programs (dynamically linked
//! against libpvm3.so.3) and their C sources. Each test starts our real pvmd in a
//! private PVM_TMP, puts our libpvm3.so as libpvm3.so.3 first on the library path,
//! runs the program and checks the output its Readme describes. The sources are
//! compiled at test time against our pvm3.h. Nothing of the package is kept.
//!
//! Needs `pvmd` and `libpvm3.so` built in the same target folder as this test
//! (`cargo test --workspace` builds both) and the pvm-examples package (the test
//! script installs it).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The target folder (`target/debug`) this test binary was built into.
fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable");
    exe.parent()
        .and_then(Path::parent)
        .expect("target folder")
        .to_path_buf()
}

/// Where Debian's pvm-examples put the example programs.
const DEBIAN_BIN: &str = "/usr/bin";
const EXAMPLE_SOURCES: &str = "/usr/share/doc/pvm-examples/examples.tar.gz";

/// A running pvmd of ours with our libpvm3 on the library path; stopped on drop.
struct Vm {
    dir: tempfile::TempDir,
    pvmd: Child,
}

impl Vm {
    fn start() -> Vm {
        let target = target_dir();
        let (pvmd, lib) = (target.join("pvmd"), target.join("libpvm3.so"));
        for p in [&pvmd, &lib] {
            assert!(
                p.is_file(),
                "{} missing: run cargo test --workspace",
                p.display()
            );
        }
        assert!(
            Path::new(DEBIAN_BIN).join("hello_other").is_file(),
            "Debian's pvm-examples package is not installed (scripts/install-test-deps.sh)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        for sub in ["tmp", "lib", "root/bin/LINUX64"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::os::unix::fs::symlink(&lib, dir.path().join("lib/libpvm3.so.3")).unwrap();
        std::os::unix::fs::symlink(&lib, dir.path().join("lib/libpvm3.so")).unwrap();
        let mut vm_cmd = Command::new(&pvmd);
        let child = Vm::env_of(dir.path(), &mut vm_cmd)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start pvmd");
        let mut vm = Vm { dir, pvmd: child };
        // pvmd prints its socket path once it accepts connections.
        let mut line = String::new();
        let out = vm.pvmd.stdout.take().expect("pvmd stdout");
        std::io::BufRead::read_line(&mut std::io::BufReader::new(out), &mut line).unwrap();
        assert!(!line.trim().is_empty(), "pvmd did not start");
        vm
    }

    fn env_of<'c>(dir: &Path, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env("PVM_TMP", dir.join("tmp"))
            .env("PVM_ROOT", dir.join("root"))
            .env("LD_LIBRARY_PATH", dir.join("lib"))
            .env_remove("PVM_SOCKET")
            .env_remove("PVM_EXPORT")
    }

    /// Makes `program` spawnable by `name` (PVM's search path: $PVM_ROOT/bin/$PVM_ARCH).
    fn install(&self, name: &str, program: &Path) {
        let link = self.dir.path().join("root/bin/LINUX64").join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(program, link).unwrap();
    }

    fn install_debian(&self, names: &[&str]) {
        for n in names {
            self.install(n, &Path::new(DEBIAN_BIN).join(n));
        }
    }

    /// Runs `program` as a task of this virtual machine, killing it after `limit`.
    fn run(&self, program: &Path, args: &[&str], limit: Duration) -> Output {
        let mut cmd = Command::new(program);
        let mut child = Vm::env_of(self.dir.path(), &mut cmd)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start example");
        let deadline = Instant::now() + limit;
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "{} hung; it printed:\n{}{}",
                    program.display(),
                    text(&out.stdout),
                    text(&out.stderr)
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        child.wait_with_output().unwrap()
    }

    /// Compiles C sources from Debian's example tarball against our header and library.
    fn compile(&self, sources: &[&str], out: &str) -> PathBuf {
        let src = self.dir.path().join("src");
        if !src.join("examples").is_dir() {
            std::fs::create_dir_all(&src).unwrap();
            let ok = Command::new("tar")
                .args(["xzf", EXAMPLE_SOURCES, "-C"])
                .arg(&src)
                .status()
                .unwrap()
                .success();
            assert!(ok, "cannot unpack {EXAMPLE_SOURCES}");
        }
        let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("include");
        let exe = self.dir.path().join(out);
        let mut cc = Command::new("cc");
        cc.arg("-w").arg("-I").arg(&include).arg("-o").arg(&exe);
        for s in sources {
            cc.arg(src.join("examples").join(s));
        }
        let o = cc
            .arg("-L")
            .arg(self.dir.path().join("lib"))
            .arg("-lpvm3")
            .output()
            .unwrap();
        assert!(o.status.success(), "cc failed: {}", text(&o.stderr));
        exe
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        // SIGTERM is pvmd's halt: every task it started goes with it.
        let _ = Command::new("kill")
            .arg(self.pvmd.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.pvmd.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.pvmd.kill();
        let _ = self.pvmd.wait();
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn hostname() -> String {
    text(&Command::new("hostname").output().unwrap().stdout)
        .trim()
        .to_string()
}

const LIMIT: Duration = Duration::from_secs(60);

/// The hello pair's output as the Readme gives it: "i'm tX" then "from tY: hello,
/// world from HOST".
fn check_hello(out: &Output) {
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with("i'm t4000"), "{stdout}");
    let expected_end = format!(": hello, world from {}", hostname());
    assert!(
        lines[1].starts_with("from t4000") && lines[1].ends_with(&expected_end),
        "{stdout}"
    );
}

#[test]
fn debian_hello_runs_unmodified() {
    let vm = Vm::start();
    vm.install_debian(&["hello_other"]);
    check_hello(&vm.run(&Path::new(DEBIAN_BIN).join("hello.pvm"), &[], LIMIT));
}

#[test]
fn debian_master1_and_slave1() {
    let vm = Vm::start();
    vm.install_debian(&["slave1"]);
    let out = vm.run(&Path::new(DEBIAN_BIN).join("master1"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Spawning 3 worker tasks ... SUCCESSFUL"),
        "{stdout}"
    );
    for v in ["100.000000", "200.000000", "300.000000"] {
        assert!(stdout.contains(&format!("I got {v} from")), "{stdout}");
        assert!(stdout.contains(&format!("(expecting {v})")), "{stdout}");
    }
}

#[test]
fn debian_spmd_passes_the_token() {
    let vm = Vm::start();
    vm.install_debian(&["spmd"]);
    let out = vm.run(&Path::new(DEBIAN_BIN).join("spmd"), &[], LIMIT);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("token ring done"),
        "{stdout}{}",
        text(&out.stderr)
    );
}

#[test]
fn debian_timing_measures_round_trips_and_bandwidth() {
    let vm = Vm::start();
    vm.install_debian(&["timing_slave"]);
    let out = vm.run(
        &Path::new(DEBIAN_BIN).join("timing"),
        &[],
        Duration::from_secs(120),
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("Avg uSec") && stdout.contains("Avg Byte/uSec"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("done"), "{stdout}");
}

#[test]
fn example_sources_compile_against_our_header_and_run() {
    let vm = Vm::start();
    let hello = vm.compile(&["hello.c"], "hello");
    let other = vm.compile(&["hello_other.c"], "hello_other");
    vm.install("hello_other", &other);
    check_hello(&vm.run(&hello, &[], LIMIT));

    let master = vm.compile(&["master1.c"], "master1");
    let slave = vm.compile(&["slave1.c"], "slave1");
    vm.install("slave1", &slave);
    let out = vm.run(&master, &[], LIMIT);
    assert!(
        text(&out.stdout).contains("SUCCESSFUL"),
        "{}",
        text(&out.stdout)
    );
}
