//! What the Fortran tests share: a private pvmd of ours, PVM's Fortran examples
//! unpacked from Debian's pvm-examples tarballs beside our `fpvm3.h`, and programs
//! compiled with gfortran (or cc) against our `libfpvm3.a` and `libpvm3.so`, linked
//! as PVM's makefiles link them (`-lfpvm3 -lpvm3`).
//!
//! `pvmd`, `libpvm3.so` and `libfpvm3.a` are built by cargo through the harness on
//! first use; gfortran and pvm-examples come from `scripts/install-test-deps.sh`.

#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use pvm_harness::{libfpvm3, libpvm3, pvmd_binary, run_with_limit};

/// The sources of PVM's examples (`examples/`) and group examples (`gexamples/`).
pub const EXAMPLE_SOURCES: &str = "/usr/share/doc/pvm-examples/examples.tar.gz";
pub const GROUP_SOURCES: &str = "/usr/share/doc/pvm-examples/gexamples.tar.gz";

/// How long any one program of these tests may take.
pub const LIMIT: Duration = Duration::from_secs(60);

/// A running pvmd of ours, a folder of sources and our libraries; stopped on drop.
pub struct Vm {
    vm: pvm_harness::Vm,
}

impl Vm {
    pub fn start() -> Vm {
        let vm = pvm_harness::Vm::prepare();
        let lib = vm.pvm_root().join("lib");
        std::fs::create_dir_all(&lib).unwrap();
        std::os::unix::fs::symlink(libfpvm3(), lib.join("libfpvm3.a")).unwrap();
        // Debian's binaries load libpvm3.so.3, and libgpvm3.so.3 for groups: ours
        // has both in one library.
        for name in ["libpvm3.so", "libpvm3.so.3", "libgpvm3.so.3"] {
            std::os::unix::fs::symlink(libpvm3(), lib.join(name)).unwrap();
        }
        let mut cmd = vm.command(pvmd_binary());
        cmd.env("LD_LIBRARY_PATH", &lib)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        Vm { vm: vm.launch(cmd) }
    }

    fn lib_dir(&self) -> PathBuf {
        self.vm.pvm_root().join("lib")
    }

    fn scratch(&self) -> PathBuf {
        self.vm.home()
    }

    /// Unpacks Debian's example tarballs (once) with our `fpvm3.h` at
    /// `include/fpvm3.h` beside them, where the examples' `include
    /// '../include/fpvm3.h'` looks; returns the folder holding `examples/` and
    /// `gexamples/`.
    fn sources(&self) -> PathBuf {
        let src = self.scratch().join("src");
        if !src.join("include").is_dir() {
            std::fs::create_dir_all(src.join("include")).unwrap();
            for tarball in [EXAMPLE_SOURCES, GROUP_SOURCES] {
                assert!(
                    Path::new(tarball).is_file(),
                    "{tarball} missing: Debian's pvm-examples is not installed \
                     (scripts/install-test-deps.sh)"
                );
                let ok = Command::new("tar")
                    .args(["xzf", tarball, "-C"])
                    .arg(&src)
                    .status()
                    .unwrap()
                    .success();
                assert!(ok, "cannot unpack {tarball}");
            }
            std::fs::copy(header(), src.join("include/fpvm3.h")).unwrap();
        }
        src
    }

    /// Compiles one of PVM's Fortran examples (`examples/master1.f`...) into `out`.
    pub fn fortran_example(&self, source: &str, out: &str) -> PathBuf {
        let file = self.sources().join(source);
        self.gfortran(&file, out)
    }

    /// Compiles a program of these tests (`tests/programs/<name>`) into `out`.
    pub fn own_program(&self, name: &str, out: &str) -> PathBuf {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/programs")
            .join(name);
        match name.ends_with(".c") {
            true => self.link(Command::new("cc").arg("-w"), &file, out),
            false => self.gfortran(&file, out),
        }
    }

    /// `gfortran` as PVM's Fortran examples need it today: they are FORTRAN 77 that
    /// passes different types to one routine (`-fallow-argument-mismatch`) and counts
    /// on locals starting at zero, as the compilers of their day had it.
    fn gfortran(&self, file: &Path, out: &str) -> PathBuf {
        let mut cmd = Command::new("gfortran");
        cmd.args([
            "-w",
            "-std=legacy",
            "-fallow-argument-mismatch",
            "-finit-local-zero",
        ])
        .arg("-I")
        .arg(self.sources().join("include"))
        .current_dir(file.parent().unwrap());
        self.link(&mut cmd, file, out)
    }

    fn link(&self, cmd: &mut Command, file: &Path, out: &str) -> PathBuf {
        let exe = self.scratch().join(out);
        let o = cmd
            .arg("-o")
            .arg(&exe)
            .arg(file)
            .arg("-L")
            .arg(self.lib_dir())
            .args(["-lfpvm3", "-lpvm3"])
            .output()
            .unwrap_or_else(|e| panic!("cannot run the compiler ({e}): is gfortran installed?"));
        assert!(
            o.status.success(),
            "compiling {} failed: {}",
            file.display(),
            text(&o.stderr)
        );
        exe
    }

    /// Makes `program` spawnable by `name`.
    pub fn install(&self, name: &str, program: &Path) {
        self.vm.link_program(name, program);
    }

    /// Runs `program` as a task of this virtual machine with `input` on its stdin.
    pub fn run(&self, program: &Path, args: &[&str], input: &str) -> Output {
        let mut cmd = self.vm.command(program);
        cmd.args(args).env("LD_LIBRARY_PATH", self.lib_dir());
        run_with_limit(&mut cmd, input.as_bytes(), LIMIT).unwrap_or_else(|out| {
            panic!(
                "{} hung; it printed:\n{}{}\npvmd log:\n{}",
                program.display(),
                text(&out.stdout),
                text(&out.stderr),
                self.vm.log()
            )
        })
    }

    /// pvmd's log, where spawned tasks' output goes when nobody collects it.
    pub fn log(&self) -> String {
        self.vm.log()
    }
}

/// Our `fpvm3.h`.
pub fn header() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("include/fpvm3.h")
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// stdout and stderr of a run, for failure messages.
pub fn both(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}
