//! prender's command line as a user meets it: help, INI files, warnings for unknown
//! options, and clear errors with non-zero exit codes for bad options and scenes.

use std::process::{Command, Output};

use tempfile::TempDir;

fn prender(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_prender"))
        .current_dir(dir.path())
        .args(args)
        .output()
        .expect("run prender")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const TINY: &str = "camera { location <0,0,-3> look_at 0 } light_source { <2,4,-3> rgb 1 } \
                    sphere { 0, 1 pigment { rgb <1,0,0> } }";

#[test]
fn help_prints_usage_and_succeeds() {
    let dir = TempDir::new().unwrap();
    let o = prender(&dir, &["--help"]);
    assert!(o.status.success());
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("Usage: prender") && text.contains("+W<n>"),
        "{text}"
    );
}

#[test]
fn bad_option_value_is_named_with_exit_code_2() {
    let dir = TempDir::new().unwrap();
    let o = prender(&dir, &["+Iscene.pov", "+Wabc"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("+Wabc"), "{}", stderr(&o));
}

#[test]
fn missing_input_and_missing_file_fail_clearly() {
    let dir = TempDir::new().unwrap();
    let o = prender(&dir, &["+W10"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no scene file"), "{}", stderr(&o));
    let o = prender(&dir, &["+Inothere.pov"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("nothere.pov"), "{}", stderr(&o));
}

#[test]
fn scene_errors_name_file_line_and_column() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("bad.pov"),
        "camera { location <0,0,-3> }\nsphere { 0, 1 pigment { rgb 1 }\n",
    )
    .unwrap();
    let o = prender(&dir, &["+Ibad.pov", "+W8", "+H8"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("bad.pov:"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.path().join("bad.tga").exists());
}

#[test]
fn unknown_options_warn_and_the_render_goes_on() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "+Q9", "Frobnicate=on"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("+Q9") && err.contains("Frobnicate"), "{err}");
    // Default output name: the scene's, with .tga, in the current directory.
    assert!(dir.path().join("s.tga").exists());
}

#[test]
fn ini_file_sets_options_by_name() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    std::fs::write(
        dir.path().join("render.ini"),
        "; a comment\n[section]\nInput_File_Name=s.pov\nOutput_File_Name=out.png\nOutput_File_Type=N\n\
         Width=12\nHeight=9\nAntialias=on\nAntialias_Threshold=0.2\n",
    )
    .unwrap();
    let o = prender(&dir, &["render.ini"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(dir.path().join("out.png"))
        .expect("png written")
        .to_rgb8();
    assert_eq!(img.dimensions(), (12, 9));
}

#[test]
fn verbose_prints_statistics() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "+V", "-F"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("Sphere") && err.contains("Pixels:"), "{err}");
    assert!(!dir.path().join("s.tga").exists(), "-F writes no file");
}
