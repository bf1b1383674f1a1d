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
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "+Y9", "Frobnicate=on"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("+Y9") && err.contains("Frobnicate"), "{err}");
    // Default output name: the scene's, with .tga, in the current directory.
    assert!(dir.path().join("s.tga").exists());
}

#[test]
fn ini_file_sets_options_by_name() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    std::fs::write(
        dir.path().join("render.ini"),
        "; a comment\nInput_File_Name=s.pov\nOutput_File_Name=out.png\nOutput_File_Type=N\n\
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
fn statistics_are_printed_by_default_and_silenced_by_gs() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "-F"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    for part in [
        "Parser Options",
        "Image resolution.....8 by 6 (rows 1 to 6, columns 1 to 8).",
        "Output file: Disabled",
        "Finite Objects:            1",
        "Light Sources:             1",
        "Parse Time:",
        "Bounding Time:",
        "Render Options",
        "Pixels:               48",
        "Max Level: 1/5",
        "Sphere",
        "Shadow Ray Tests:",
        "Trace Time:",
    ] {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
    assert!(!dir.path().join("s.tga").exists(), "-F writes no file");
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "-F", "-GS"]);
    assert!(!stderr(&o).contains("Parser Options"), "{}", stderr(&o));
}

#[test]
fn warnings_are_printed_once_without_colour_codes() {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("w.pov"),
        format!("{TINY}\nsphere {{ 0, 1 scale 0 pigment {{ rgb 1 }} }}\n"),
    )
    .unwrap();
    let o = prender(&dir, &["+Iw.pov", "+W8", "+H6", "-F"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("scale by 0").count(), 1, "{err}");
    assert!(!err.contains('\x1b'), "no ANSI codes in a log: {err:?}");
}

#[test]
fn errors_are_said_once() {
    let dir = TempDir::new().unwrap();
    let o = prender(&dir, &["+Ix.pov"]);
    let err = stderr(&o);
    assert!(
        err.contains("cannot read scene file 'x.pov': no such file")
            && err.matches("no such file").count() == 1,
        "{err}"
    );
    std::fs::write(dir.path().join("s.pov"), TINY).unwrap();
    let o = prender(&dir, &["+Is.pov", "+W8", "+H6", "+Onodir/out.tga", "-GS"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches("nodir/out.tga").count(), 1, "{err}");
    assert_eq!(err.matches("No such file").count(), 1, "{err}");
}

#[test]
fn version_and_bad_options() {
    let dir = TempDir::new().unwrap();
    let o = prender(&dir, &["--version"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("prender "));
    let o = prender(&dir, &["--frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--frobnicate"), "{}", stderr(&o));
    for (bad, why) in [("+NT0", "at least one slave"), ("+NW0", "one pixel wide")] {
        let o = prender(&dir, &["+Is.pov", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(stderr(&o).contains(why), "{bad}: {}", stderr(&o));
    }
    let o = prender(&dir, &["+Is.pov", "+NQ", "--help"]);
    assert!(o.status.success());
}

#[test]
fn povray_benchmark_style_ini_is_understood_quietly() {
    let dir = TempDir::new().unwrap();
    // With its gamma stated, the scene itself draws no notice either.
    let scene = format!("global_settings {{ assumed_gamma 1 }}\n{TINY}");
    std::fs::write(dir.path().join("s.pov"), scene).unwrap();
    // Every key set as POV-Ray's own INI files set them, many empty.
    std::fs::write(
        dir.path().join("all.ini"),
        "All_Console=On\nAll_File=\nAntialias_Gamma=2.5\nBits_Per_Color=8\nBounding=On\n\
         Bounding_Method=1\nClock=0\nClockless_Animation=off\nDisplay_Gamma=2.2\nDither=off\n\
         End_Column=1\nEnd_Row=1\nFatal_Error_Command=\nFatal_Error_Return=I\nField_Render=Off\n\
         Final_Clock=1\nFinal_Frame=1\nHigh_Reproducibility=off\nInclude_Header=\n\
         Input_File_Name=s.pov\nLight_Buffer=On\nOutput_File_Name=\nOutput_File_Type=n\n\
         Palette=3\nPre_Scene_Return=I\nQuality=9\nRadiosity_Vain_Pretrace=on\n\
         Render_Block_Size=16\nRender_Block_Step=0\nRender_Pattern=0\nSplit_Unions=Off\n\
         Start_Column=0\nStart_Row=0\nSubset_End_Frame=1\nSubset_Start_Frame=1\n\
         Test_Abort_Count=0\nVerbose=On\nVersion=3.7\nWarning_Console=On\nWidth=12\nHeight=9\n\
         [Other]\nWidth=99\n",
    )
    .unwrap();
    let o = prender(&dir, &["all.ini"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(!err.contains("warning"), "{err}");
    let img = image::open(dir.path().join("s.png"))
        .expect("png")
        .to_rgb8();
    assert_eq!(img.dimensions(), (12, 9), "[Other] is not applied");
    let o = prender(&dir, &["all.ini[other]", "-GA"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(dir.path().join("s.png"))
        .expect("png")
        .to_rgb8();
    assert_eq!(img.dimensions(), (99, 9), "[Other] named");
}
