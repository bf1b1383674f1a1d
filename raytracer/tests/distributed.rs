//! prender over a real virtual machine: each test runs the real `prender` binary with
//! a private PVM_TMP, so the master starts (and at the end halts) its own one-host
//! virtual machine with the real pvmd, spawns real slave processes and assembles their
//! blocks. Images are compared byte for byte with a local render.
//!
//! The master starts the pvmd the test harness has cargo build (`PVM_DPATH`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const PRENDER: &str = env!("CARGO_BIN_EXE_prender");

fn scene() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes/vase.pov")
}

/// A private PVM_TMP; any pvmd or slave left in it is killed when dropped.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        // Built now, so the first render does not wait for cargo.
        pvm_harness::pvmd_binary();
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn prender(&self, args: &[&str]) -> Command {
        let mut c = Command::new(PRENDER);
        c.args(args)
            .env("PVM_TMP", self.dir.path())
            .env("PVM_DPATH", pvm_harness::pvmd_binary())
            .env_remove("PVM_SOCKET")
            .current_dir(self.dir.path());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.prender(args).output().expect("run prender")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Processes that belong to this sandbox's virtual machine.
    fn processes(&self, needle: &str) -> Vec<i32> {
        let tmp = self.dir.path().to_string_lossy().into_owned();
        let mut out = Vec::new();
        for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
            let Ok(pid) = entry.file_name().to_string_lossy().parse::<i32>() else {
                continue;
            };
            let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
            let environ = std::fs::read(entry.path().join("environ")).unwrap_or_default();
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            if cmdline.contains(needle) && String::from_utf8_lossy(&environ).contains(&tmp) {
                out.push(pid);
            }
        }
        out
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for pid in self.processes("pvm") {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
        }
    }
}

/// Whether every process matching `needle` is gone within a few seconds (slaves exit by
/// themselves once told, or once the master is gone).
fn all_gone(sb: &Sandbox, needle: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if sb.processes(needle).is_empty() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn render_local(sb: &Sandbox, name: &str, extra: &[&str]) -> Vec<u8> {
    let input = format!("+I{}", scene().display());
    let out = format!("+O{name}");
    let mut args = vec![input.as_str(), out.as_str()];
    args.extend_from_slice(extra);
    let o = sb.run(&args);
    assert!(
        o.status.success(),
        "local render failed: {}",
        text(&o.stderr)
    );
    std::fs::read(sb.path(name)).expect("local image")
}

#[test]
fn distributed_renders_are_bit_identical_to_local() {
    let sb = Sandbox::new();
    let size = ["+W100", "+H75", "+A0.3"];
    let local = render_local(&sb, "local.tga", &size);
    for (nt, nw, nh) in [
        ("+NT1", "+NW32", "+NH32"),
        ("+NT2", "+NW17", "+NH13"),
        ("+NT3", "+NW100", "+NH1"),
    ] {
        let name = format!("dist{nt}{nw}{nh}.tga");
        let input = format!("+I{}", scene().display());
        let out = format!("+O{name}");
        let mut args = vec![input.as_str(), out.as_str(), nt, nw, nh];
        args.extend_from_slice(&size);
        let o = sb.run(&args);
        assert!(o.status.success(), "{nt} {nw} {nh}: {}", text(&o.stderr));
        let dist = std::fs::read(sb.path(&name)).expect("distributed image");
        assert!(
            dist == local,
            "{nt} {nw} {nh}: image differs from the local render"
        );
    }
    assert!(all_gone(&sb, "pvmd"), "the embedded pvmd was not stopped");
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}

#[test]
fn partial_distributed_render_matches_local_partial_render() {
    let sb = Sandbox::new();
    let part = ["+W90", "+H60", "+SR11", "+ER47", "+SC0.25", "+EC0.8"];
    let local = render_local(&sb, "local.tga", &part);
    let input = format!("+I{}", scene().display());
    let mut args = vec![input.as_str(), "+Odist.tga", "+NT2", "+NW16", "+NH16"];
    args.extend_from_slice(&part);
    let o = sb.run(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(std::fs::read(sb.path("dist.tga")).unwrap() == local);
}

/// Waits until a slave of this sandbox has used `cpu` of processor time (so it is
/// mid-render), then kills it with SIGKILL.
fn kill_a_busy_slave(sb: &Sandbox, child: &mut Child, cpu: Duration) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        assert!(Instant::now() < deadline, "no slave got busy");
        assert!(
            child.try_wait().unwrap().is_none(),
            "render ended before a slave could be killed"
        );
        for pid in sb.processes("--pvm-slave") {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let fields: Vec<&str> = stat
                .rsplit(')')
                .next()
                .unwrap_or("")
                .split_whitespace()
                .collect();
            let ticks: u64 = fields.get(11).and_then(|t| t.parse().ok()).unwrap_or(0)
                + fields.get(12).and_then(|t| t.parse().ok()).unwrap_or(0);
            if Duration::from_millis(ticks * 10) >= cpu {
                Command::new("kill")
                    .args(["-9", &pid.to_string()])
                    .status()
                    .unwrap();
                return pid;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_slave_killed_mid_render_does_not_change_the_image() {
    let sb = Sandbox::new();
    let size = ["+W400", "+H300", "+A0.1"];
    let local = render_local(&sb, "local.tga", &size);
    let input = format!("+I{}", scene().display());
    let mut args = vec![input.as_str(), "+Odist.tga", "+NT2", "+NW32", "+NH32"];
    args.extend_from_slice(&size);
    let mut child = sb
        .prender(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    kill_a_busy_slave(&sb, &mut child, Duration::from_millis(300));
    let o = child.wait_with_output().unwrap();
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("blocks go to the others"),
        "the loss was not noticed: {err}"
    );
    assert!(std::fs::read(sb.path("dist.tga")).unwrap() == local);
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}

#[test]
fn losing_every_slave_keeps_finished_rows_and_continue_completes_them() {
    let sb = Sandbox::new();
    let input = format!("+I{}", scene().display());
    let args = [
        input.as_str(),
        "+Odist.tga",
        "+NT1",
        "+NW400",
        "+NH4",
        "+W400",
        "+H300",
        "+A0.1",
    ];
    let mut child = sb.prender(&args).stderr(Stdio::piped()).spawn().unwrap();
    kill_a_busy_slave(&sb, &mut child, Duration::from_millis(300));
    let o = child.wait_with_output().unwrap();
    let err = text(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("every slave is gone"), "{err}");
    let written = std::fs::metadata(sb.path("dist.tga"))
        .map(|m| m.len())
        .unwrap_or(0);
    assert!(
        written > 18 + 400 * 3,
        "finished rows were not kept ({written} bytes)"
    );
    assert!(all_gone(&sb, "pvmd"), "the embedded pvmd was not stopped");

    // +C resumes below the kept rows; the result is the image a full render makes.
    let mut resume = args.to_vec();
    resume.extend(["+C", "+NT2"]);
    let o = sb.run(&resume);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let local = render_local(&sb, "local.tga", &["+W400", "+H300", "+A0.1"]);
    let resumed = std::fs::read(sb.path("dist.tga")).unwrap();
    assert!(resumed == local, "+C did not complete the image");
}

#[test]
fn scene_errors_are_reported_once_before_any_slave_starts() {
    let sb = Sandbox::new();
    std::fs::write(
        sb.path("bad.pov"),
        "sphere { <0,0,0> 1 pigment { rgb 1 }\ncamera {",
    )
    .unwrap();
    let o = sb.run(&["+Ibad.pov", "+Obad.tga", "+NT2"]);
    assert!(!o.status.success());
    let err = text(&o.stderr);
    assert_eq!(err.matches("bad.pov:").count(), 1, "{err}");
    assert!(all_gone(&sb, "pvmd"), "a pvmd was left behind");
}

/// Text needs its font on every slave: the master sends the font bytes it read with
/// the scene files, so the slaves' glyphs are the local render's, bit for bit.
#[test]
fn text_fonts_travel_to_slaves() {
    let fonts = "/usr/share/povray-3.7/include";
    if !Path::new(fonts).join("timrom.ttf").is_file() {
        eprintln!("POV-Ray's fonts are not installed; skipped");
        return;
    }
    let sb = Sandbox::new();
    let scene = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes/tests/text.pov");
    let input = format!("+I{}", scene.display());
    let lib = format!("+L{fonts}");
    let mut images = Vec::new();
    for (name, extra) in [("local.tga", None), ("dist.tga", Some("+NT2"))] {
        let out = format!("+O{name}");
        let mut args = vec![input.as_str(), out.as_str(), lib.as_str(), "+W80", "+H60"];
        args.extend(extra);
        let o = sb.run(&args);
        assert!(o.status.success(), "{name}: {}", text(&o.stderr));
        images.push(std::fs::read(sb.path(name)).expect("image"));
    }
    assert!(images[0] == images[1], "the distributed text differs");
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}

/// A runtime directory planted as a symbolic link (by another user, when the test runs
/// as root) is named as the reason, and no private pvmd is started in its place.
#[test]
fn a_planted_runtime_directory_is_reported_and_no_pvmd_started() {
    use pvm::proto::runtime::{runtime_dir, uid};
    use std::os::unix::fs::PermissionsExt;
    let sb = Sandbox::new();
    let elsewhere = sb.path("elsewhere");
    std::fs::create_dir(&elsewhere).expect("mkdir");
    std::fs::set_permissions(&elsewhere, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let planted = runtime_dir(sb.dir.path(), uid());
    std::os::unix::fs::symlink(&elsewhere, &planted).expect("plant the link");
    if uid() == 0 {
        // nobody's, as another user would have left it.
        std::os::unix::fs::lchown(&planted, Some(65534), Some(65534)).expect("lchown");
    }
    let input = format!("+I{}", scene().display());
    let o = sb.run(&[&input, "+Oplanted.tga", "+NT1", "+W32", "+H24"]);
    let err = text(&o.stderr);
    assert!(!o.status.success(), "prender rendered anyway: {err}");
    assert!(
        err.contains("cannot join the virtual machine") && err.contains("is a symbolic link"),
        "the planted link is not named: {err}"
    );
    assert!(sb.processes("pvmd").is_empty(), "a pvmd was started");
    assert!(std::fs::read_dir(&elsewhere)
        .expect("list")
        .next()
        .is_none());
}

/// Renders `scene` (under scenes/tests) locally and with three slaves in small
/// blocks, and asserts the two files are the same bytes.
fn assert_distributed_exact(sb: &Sandbox, scene: &str, options: &[&str]) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenes/tests")
        .join(scene);
    let input = format!("+I{}", path.display());
    let mut images = Vec::new();
    for (name, extra) in [
        ("local.png", &[][..]),
        ("dist.png", &["+NT3", "+NW23", "+NH9"][..]),
    ] {
        let out = format!("+O{name}");
        let mut args = vec![input.as_str(), out.as_str(), "+FN", "+W64", "+H48"];
        args.extend_from_slice(options);
        args.extend_from_slice(extra);
        let o = sb.run(&args);
        assert!(o.status.success(), "{scene} {name}: {}", text(&o.stderr));
        images.push(std::fs::read(sb.path(name)).expect("image"));
    }
    assert!(
        images[0] == images[1],
        "{scene} {options:?}: the distributed render differs from the local one"
    );
}

/// Media sampling, the radiosity cache, jittered, adaptive anti-aliasing and the
/// photon maps (surface and media) all
/// depend only on the scene and the pixel, so three slaves rendering odd blocks
/// give the local image bit for bit.
#[test]
fn media_radiosity_antialiasing_and_photons_are_exact_distributed() {
    let sb = Sandbox::new();
    assert_distributed_exact(&sb, "media.pov", &[]);
    assert_distributed_exact(&sb, "radiosity_room.pov", &[]);
    assert_distributed_exact(&sb, "sampling.pov", &["+A0.1", "+AM2", "+R3", "+J"]);
    assert_distributed_exact(&sb, "sampling.pov", &["+A0.1", "+AM1", "+R3", "+J"]);
    assert_distributed_exact(&sb, "photons_glass.pov", &[]);
    assert_distributed_exact(&sb, "photons_media.pov", &[]);
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}

/// Dispersion's wavelength bands (in the render and in the photon map) are
/// fixed by the scene, so they too are exact distributed.
#[test]
fn dispersion_is_exact_distributed() {
    let sb = Sandbox::new();
    assert_distributed_exact(&sb, "dispersion.pov", &[]);
    assert_distributed_exact(&sb, "photons_dispersion.pov", &[]);
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}

/// `save_file` is written by the master alone, the same bytes as a local
/// render writes; `load_file`'s map travels to the slaves with the scene, so a
/// distributed render of a loaded map is the local image.
#[test]
fn photon_map_files_are_written_by_the_master_and_loaded_by_slaves() {
    let sb = Sandbox::new();
    let map = sb.path("photons_file.ph");
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenes/tests/photons_file.pov");
    let input = format!("+I{}", path.display());
    let save = |extra: &[&str]| {
        let _ = std::fs::remove_file(&map);
        let mut args = vec![input.as_str(), "+Osaved.png", "+FN", "+W64", "+H48"];
        args.extend_from_slice(&["Declare=Save=1"]);
        args.extend_from_slice(extra);
        let o = sb.run(&args);
        assert!(o.status.success(), "save {extra:?}: {}", text(&o.stderr));
        std::fs::read(&map).expect("the master wrote the photon map")
    };
    let distributed = save(&["+NT2", "+NW23", "+NH9"]);
    let local = save(&[]);
    assert!(local == distributed, "the saved maps differ");
    assert_distributed_exact(&sb, "photons_file.pov", &["Declare=Load=1"]);
    assert!(all_gone(&sb, "--pvm-slave"), "slaves left behind");
}
