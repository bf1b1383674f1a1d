//! Running the two renderers: POV-Ray 3.7 (the oracle) and our `prender`.
//!
//! Both write a TGA into a scratch directory. POV-Ray's Debian build only
//! reads and writes inside its working directory (and a few fixed paths), so
//! the scene is copied into the scratch directory and POV-Ray runs there.
//! Every child runs under a [`ChildGuard`] with a deadline: a hung or
//! failing render is killed, never left behind.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use render_oracle::child::{ChildGuard, Ending};

/// POV-Ray 3.7's own include files, as Debian installs them.
pub const POVRAY_INCLUDE: &str = "/usr/share/povray-3.7/include";

/// The longest any single render may take before the test gives up on it.
const RENDER_DEADLINE: Duration = Duration::from_secs(600);

/// What to render and how; the same for both renderers.
#[derive(Clone, Debug)]
pub struct Spec {
    pub scene: PathBuf,
    pub width: u32,
    pub height: u32,
    /// `+A<threshold>` with jitter off (`-J`), so both renderers sample the
    /// same sub-pixel positions; `None` renders one ray per pixel.
    pub antialias: Option<f64>,
    /// More options, passed verbatim to both (`+SR10`, `+WT2`, ...).
    pub extra: Vec<String>,
}

impl Spec {
    pub fn new(scene: PathBuf, width: u32, height: u32) -> Self {
        Self {
            scene,
            width,
            height,
            antialias: None,
            extra: Vec::new(),
        }
    }

    pub fn antialias(mut self, threshold: f64) -> Self {
        self.antialias = Some(threshold);
        self
    }

    pub fn with(mut self, option: &str) -> Self {
        self.extra.push(option.to_string());
        self
    }

    /// The options both renderers understand the same way.
    fn common_args(&self, output: &Path) -> Vec<String> {
        let mut args = vec![
            format!("+O{}", output.display()),
            "+FT".to_string(),
            "-D".to_string(),
            format!("+W{}", self.width),
            format!("+H{}", self.height),
        ];
        if let Some(threshold) = self.antialias {
            args.extend([
                format!("+A{threshold}"),
                "-J".to_string(),
                "+R3".to_string(),
            ]);
        }
        args.extend(self.extra.iter().cloned());
        args
    }
}

/// Runs `cmd` in `dir` with its output in `<dir>/<log>.log`; on failure the
/// error carries the log's tail.
fn run_logged(mut cmd: Command, dir: &Path, log: &str, what: &str) -> Result<(), String> {
    let log_path = dir.join(format!("{log}.log"));
    let log_file = File::create(&log_path).map_err(|e| format!("cannot create log: {e}"))?;
    let err_file = log_file
        .try_clone()
        .map_err(|e| format!("cannot share log: {e}"))?;
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log_file)
        .stderr(err_file);
    let mut guard = ChildGuard::spawn(&mut cmd).map_err(|e| match &e {
        render_oracle::Error::Spawn { source, .. }
            if source.kind() == std::io::ErrorKind::NotFound =>
        {
            format!(
                "{what} is not installed ({e}); the oracle tests need Debian's povray and \
                 povray-includes: run scripts/install-test-deps.sh"
            )
        }
        _ => e.to_string(),
    })?;
    let status = match guard.wait_with_deadline(RENDER_DEADLINE) {
        Ok(Ending::Exited(status)) => status,
        Ok(Ending::TimedOut) => {
            return Err(format!(
                "{what}: still running after {RENDER_DEADLINE:?}: killed"
            ))
        }
        Err(e) => return Err(format!("{what}: {e}")),
    };
    if status.success() {
        return Ok(());
    }
    let log_text = std::fs::read_to_string(&log_path).unwrap_or_default();
    let tail: String = log_text
        .replace('\r', "\n")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .rev()
        .take(15)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<Vec<_>>()
        .join("\n");
    Err(format!(
        "{what} failed ({status}); last lines of its output:\n{tail}"
    ))
}

/// Renders with POV-Ray 3.7, one thread, using its own include library
/// unless `library` names another directory (whose files are copied beside
/// the scene, where POV-Ray looks first). Returns the TGA's path.
pub fn povray(
    spec: &Spec,
    dir: &Path,
    out_name: &str,
    library: Option<&Path>,
) -> Result<PathBuf, String> {
    let scene_name = spec
        .scene
        .file_name()
        .ok_or_else(|| format!("not a scene file: {}", spec.scene.display()))?;
    std::fs::copy(&spec.scene, dir.join(scene_name))
        .map_err(|e| format!("cannot copy {} for POV-Ray: {e}", spec.scene.display()))?;
    if let Some(lib) = library {
        copy_includes(lib, dir)?;
    }
    let out = PathBuf::from(out_name);
    let mut cmd = Command::new("povray");
    cmd.arg(format!("+I{}", Path::new(scene_name).display()))
        .args(spec.common_args(&out))
        .arg("+WT1");
    if library.is_none() {
        cmd.arg(format!("+L{POVRAY_INCLUDE}"));
    }
    run_logged(cmd, dir, out_name, "povray")?;
    Ok(dir.join(out))
}

/// Renders with our prender (the binary this package builds). `library`
/// adds a `+L` directory searched before the bundled include library.
pub fn prender(
    spec: &Spec,
    dir: &Path,
    out_name: &str,
    library: Option<&Path>,
) -> Result<PathBuf, String> {
    let scene = spec
        .scene
        .canonicalize()
        .map_err(|e| format!("scene {}: {e}", spec.scene.display()))?;
    let out = dir.join(out_name);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_prender"));
    cmd.arg(format!("+I{}", scene.display()))
        .args(spec.common_args(&out));
    if let Some(lib) = library {
        cmd.arg(format!("+L{}", lib.display()));
    }
    run_logged(cmd, dir, out_name, "prender")?;
    Ok(out)
}

fn copy_includes(from: &Path, to: &Path) -> Result<(), String> {
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("cannot list {}: {e}", from.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot list {}: {e}", from.display()))?
            .path();
        if path.extension().is_some_and(|x| x == "inc") {
            if let Some(name) = path.file_name() {
                std::fs::copy(&path, to.join(name))
                    .map_err(|e| format!("cannot copy {}: {e}", path.display()))?;
            }
        }
    }
    Ok(())
}
