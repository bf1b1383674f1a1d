//! The harness the example tests share, over the workspace's one (`pvm-harness`): a
//! private pvmd of ours with our libpvm3 first on the library path (as libpvm3.so.3 and
//! libgpvm3.so.3, the one file serving both), Debian's example programs made spawnable
//! by name, and C sources compiled against our pvm3.h. Every pvmd is halted and killed
//! on drop, also when a test fails.
//!
//! `pvmd` and `libpvm3.so` are built by cargo through the harness on first use; Debian's
//! pvm-examples package must be installed.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use pvm_harness::{libpvm3, pvmd_binary, run_with_limit};

/// Where Debian's pvm-examples put the example programs.
pub const DEBIAN_BIN: &str = "/usr/bin";
/// The example sources (`examples/`) and the group examples (`gexamples/`).
pub const EXAMPLE_SOURCES: &str = "/usr/share/doc/pvm-examples/examples.tar.gz";
pub const GROUP_SOURCES: &str = "/usr/share/doc/pvm-examples/gexamples.tar.gz";

/// The path of a Debian example program.
pub fn debian(name: &str) -> PathBuf {
    Path::new(DEBIAN_BIN).join(name)
}

/// A running pvmd of ours with our libpvm3 on the library path; stopped on drop.
pub struct Vm {
    /// The directories, and the pvmd the harness started (none when the test's
    /// program starts one).
    vm: pvm_harness::Vm,
}

impl Vm {
    /// A virtual machine whose pvmd is up (the harness waits for its ready line, with
    /// a time limit).
    pub fn start() -> Vm {
        let vm = Vm::prepare();
        let mut cmd = vm.command(pvmd_binary());
        Vm::env_of(&vm, &mut cmd)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        Vm { vm: vm.launch(cmd) }
    }

    /// The socket this virtual machine's pvmd listens on.
    pub fn socket(&self) -> &Path {
        self.vm.socket()
    }

    /// A task of this virtual machine inside the test process.
    pub fn task(&self) -> pvm::Pvm {
        pvm::Pvm::with_socket(self.vm.socket())
    }

    /// The folders and libraries of a virtual machine, but no pvmd yet (programs that
    /// start their own with pvm_start_pvmd find ours through PVM_DPATH).
    pub fn without_pvmd() -> Vm {
        Vm { vm: Vm::prepare() }
    }

    /// The harness's directories plus our library under PVM's names.
    fn prepare() -> pvm_harness::Vm {
        let lib = libpvm3();
        assert!(
            debian("hello_other").is_file(),
            "Debian's pvm-examples package is not installed (scripts/install-test-deps.sh)"
        );
        let vm = pvm_harness::Vm::prepare();
        let lib_dir = Vm::lib_dir(&vm);
        std::fs::create_dir_all(&lib_dir).unwrap();
        // PVM ships the group calls in libgpvm3; ours has them all in one library.
        for name in ["libpvm3.so.3", "libpvm3.so", "libgpvm3.so.3", "libgpvm3.so"] {
            std::os::unix::fs::symlink(lib, lib_dir.join(name)).unwrap();
        }
        vm
    }

    /// `$PVM_ROOT/lib`, where PVM keeps its libraries: ours, under PVM's names.
    fn lib_dir(vm: &pvm_harness::Vm) -> PathBuf {
        vm.pvm_root().join("lib")
    }

    /// What a process of this virtual machine needs beyond the harness's environment:
    /// our library first, our pvmd for pvm_start_pvmd.
    fn env_of<'c>(vm: &pvm_harness::Vm, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env("LD_LIBRARY_PATH", Vm::lib_dir(vm))
            .env("PVM_DPATH", pvmd_binary())
    }

    /// A command running `program` in this virtual machine.
    fn command(&self, program: &Path) -> Command {
        let mut cmd = self.vm.command(program);
        Vm::env_of(&self.vm, &mut cmd);
        cmd
    }

    /// Makes `program` spawnable by `name` (PVM's search path: $PVM_ROOT/bin/$PVM_ARCH).
    pub fn install(&self, name: &str, program: &Path) {
        let link = self.vm.bin_dir().join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(program, link).unwrap();
    }

    pub fn install_debian(&self, names: &[&str]) {
        for n in names {
            self.install(n, &debian(n));
        }
    }

    /// Runs `program` as a task of this virtual machine, killing it after `limit`.
    pub fn run(&self, program: &Path, args: &[&str], limit: Duration) -> Output {
        self.run_with_input(program, args, "", limit)
    }

    /// As [`Vm::run`], with `input` on the program's standard input.
    pub fn run_with_input(
        &self,
        program: &Path,
        args: &[&str],
        input: &str,
        limit: Duration,
    ) -> Output {
        let run = run_with_limit(self.command(program).args(args), input.as_bytes(), limit);
        run.unwrap_or_else(|out| {
            panic!(
                "{} hung; it printed:\n{}{}\npvmd log:\n{}",
                program.display(),
                text(&out.stdout),
                text(&out.stderr),
                self.log()
            )
        })
    }

    /// Starts `program` as a task of this virtual machine without waiting for it.
    pub fn spawn_background(&self, program: &Path, args: &[&str]) -> Background {
        let child = self
            .command(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start background program");
        Background(Some(child))
    }

    /// Starts `program` as a task of this virtual machine with a pipe on its standard
    /// input, for programs that are talked to (the console, mhf_tickle).
    pub fn interactive(&self, program: &Path, args: &[&str]) -> Interactive {
        let child = self
            .command(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start interactive program");
        Interactive(Background(Some(child)))
    }

    /// pvmd's log, where the output of spawned tasks goes.
    pub fn log(&self) -> String {
        self.vm.log()
    }

    /// A scratch folder of this virtual machine (sources, compiled programs).
    fn scratch(&self) -> PathBuf {
        self.vm.home()
    }

    /// Unpacks one of Debian's source tarballs (once) and returns its folder
    /// (`examples` or `gexamples`).
    fn sources(&self, tarball: &str, folder: &str) -> PathBuf {
        let src = self.scratch().join("src");
        if !src.join(folder).is_dir() {
            std::fs::create_dir_all(&src).unwrap();
            let ok = Command::new("tar")
                .args(["xzf", tarball, "-C"])
                .arg(&src)
                .status()
                .unwrap()
                .success();
            assert!(ok, "cannot unpack {tarball}");
        }
        src.join(folder)
    }

    /// Compiles C sources from Debian's example tarball against our header and library.
    pub fn compile(&self, sources: &[&str], out: &str) -> PathBuf {
        let dir = self.sources(EXAMPLE_SOURCES, "examples");
        let files: Vec<PathBuf> = sources.iter().map(|s| dir.join(s)).collect();
        self.cc(&files, out)
    }

    /// Compiles C sources from Debian's group example tarball.
    pub fn compile_group(&self, sources: &[&str], out: &str) -> PathBuf {
        let dir = self.sources(GROUP_SOURCES, "gexamples");
        let files: Vec<PathBuf> = sources.iter().map(|s| dir.join(s)).collect();
        self.cc(&files, out)
    }

    /// Compiles a C program of this crate's tests (`tests/c/<name>.c`).
    pub fn compile_own(&self, name: &str) -> PathBuf {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/c")
            .join(format!("{name}.c"));
        self.cc(&[file], name)
    }

    /// `cc -I<our include> files -L<our lib> -lgpvm3 -lpvm3`, as the README documents.
    fn cc(&self, files: &[PathBuf], out: &str) -> PathBuf {
        let include = Path::new(env!("CARGO_MANIFEST_DIR")).join("include");
        let exe = self.scratch().join(out);
        let o = Command::new("cc")
            .arg("-w")
            .arg("-I")
            .arg(&include)
            .arg("-o")
            .arg(&exe)
            .args(files)
            .arg("-L")
            .arg(Vm::lib_dir(&self.vm))
            .args(["-lgpvm3", "-lpvm3"])
            .output()
            .unwrap();
        assert!(o.status.success(), "cc failed: {}", text(&o.stderr));
        exe
    }
}

impl Vm {
    /// The pid of a pvmd some program started in this virtual machine: a second pvmd
    /// refuses to run beside it and names its pid ("pvmd already running (pid N, ...").
    pub fn stray_pvmd(&self) -> Option<u32> {
        if std::os::unix::net::UnixStream::connect(self.vm.socket()).is_err() {
            return None;
        }
        let out = self
            .command(pvmd_binary())
            .stdin(Stdio::null())
            .output()
            .ok()?;
        let said = text(&out.stderr);
        let rest = &said[said.find("(pid ")? + 5..];
        rest[..rest.find(|c: char| !c.is_ascii_digit())?]
            .parse()
            .ok()
    }
}

/// Stops a process by pid: SIGTERM (pvmd's halt, which takes its tasks along), then
/// SIGKILL if it is still there after a few seconds.
fn stop(pid: u32, mut exited: impl FnMut() -> bool) {
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !exited() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    if !exited() {
        let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
    }
}

impl Drop for Vm {
    /// The harness stops its own pvmd; one a program started is stopped here.
    fn drop(&mut self) {
        if self.vm.pvmd_pid().is_some() {
            return;
        }
        if let Some(pid) = self.stray_pvmd() {
            let proc = PathBuf::from(format!("/proc/{pid}"));
            stop(pid, || !proc.exists());
        }
    }
}

/// A program running beside the test; killed on drop if the test did not wait for it.
pub struct Background(Option<Child>);

impl Background {
    /// Waits for the program to end (killing it after `limit`) and returns its output.
    pub fn wait(mut self, limit: Duration) -> Output {
        let mut child = self.0.take().expect("waited once");
        let deadline = Instant::now() + limit;
        while child.try_wait().ok().flatten().is_none() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = child.kill();
        child.wait_with_output().expect("background output")
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A program fed its input a line at a time; killed on drop if not finished.
pub struct Interactive(Background);

impl Interactive {
    /// Writes `line` and a newline to the program's standard input.
    pub fn send(&mut self, line: &str) {
        use std::io::Write;
        let child = self.0 .0.as_mut().expect("running");
        let stdin = child.stdin.as_mut().expect("stdin is piped");
        let _ = writeln!(stdin, "{line}");
        let _ = stdin.flush();
    }

    /// Closes the input and waits for the program to end (killing it after `limit`).
    pub fn finish(mut self, limit: Duration) -> Output {
        if let Some(child) = self.0 .0.as_mut() {
            drop(child.stdin.take());
        }
        let bg = std::mem::replace(&mut self.0, Background(None));
        bg.wait(limit)
    }
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub fn hostname() -> String {
    text(&Command::new("hostname").output().unwrap().stdout)
        .trim()
        .to_string()
}
