use super::*;
use crate::render::Method;

#[test]
fn switches_and_key_values() {
    let o = Options::parse([
        "+Iscene.pov",
        "+W320",
        "-h200",
        "+A0.1",
        "+R4",
        "-J",
        "+WT2",
        "+FN",
        "Verbose=on",
    ])
    .unwrap();
    assert_eq!(o.input, Some(PathBuf::from("scene.pov")));
    assert_eq!((o.width, o.height), (320, 200));
    assert_eq!(o.format, Format::Png);
    assert_eq!(o.threads, Some(2));
    assert!(o.verbose);
    let aa = o.antialias().unwrap();
    assert_eq!((aa.threshold, aa.depth, aa.jitter), (0.1, 4, 0.0));
}

#[test]
fn partial_render_bounds() {
    let o = Options::parse(["+H100", "+W10", "+SR0.25", "+ER0.5", "+SC2", "+EC4"]).unwrap();
    assert_eq!(o.rows(), (25, 50));
    assert_eq!(o.columns(), (1, 4));
    // An end of 1 is the whole image, as in POV-Ray's own INI files.
    let o = Options::parse(["+H100", "End_Row=1", "Start_Row=0"]).unwrap();
    assert_eq!(o.rows(), (0, 100));
}

#[test]
fn unknown_options_warn_and_bad_values_fail() {
    let o = Options::parse(["+Y9", "Foo=bar", "+NX"]).unwrap();
    assert_eq!(o.warnings.len(), 3, "{:?}", o.warnings);
    assert!(o.warnings[2].contains("+NX"));
    assert!(matches!(
        Options::parse(["+Wabc"]),
        Err(CliError::BadValue { .. })
    ));
    assert!(matches!(
        Options::parse(["--frobnicate"]),
        Err(CliError::BadValue { .. })
    ));
}

#[test]
fn quality_and_known_povray_switches_are_quiet() {
    let o = Options::parse(["+Q11", "+UA", "-MB", "+BS16", "+SU", "+KLA", "+X"]).unwrap();
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    assert_eq!(o.quality, 11);
    assert_eq!(Options::parse(["+Q15"]).unwrap().quality, 11);
    let o = Options::parse(["+Q4"]).unwrap();
    assert_eq!((o.quality, o.warnings.len()), (4, 1));
}

#[test]
fn pvm_switches_are_kept_for_the_distributed_driver() {
    let o = Options::parse(["+NT4", "+NW32", "+NH16", "pvm_hosts=a, b"]).unwrap();
    assert!(o.pvm.enabled);
    assert_eq!(
        (o.pvm.tasks, o.pvm.block_width, o.pvm.block_height),
        (Some(4), Some(32), Some(16))
    );
    assert_eq!(o.pvm.hosts, vec!["a".to_string(), "b".to_string()]);
    assert!(!Options::parse(["+N", "-N"]).unwrap().pvm.enabled);
    assert!(Options::parse(["+C"]).unwrap().continue_trace);
    assert!(
        !Options::parse(["Continue_Trace=off"])
            .unwrap()
            .continue_trace
    );
    let o = Options::parse(["Pvm_Tasks=3", "Pvm_Width=8"]).unwrap();
    assert_eq!((o.pvm.tasks, o.pvm.block_width), (Some(3), Some(8)));
}

#[test]
fn zero_slaves_or_empty_blocks_are_refused() {
    for bad in ["+NT0", "+NW0", "+NH0"] {
        let e = Options::parse([bad]).unwrap_err();
        assert!(matches!(e, CliError::Refused { .. }), "{bad}: {e}");
        assert!(e.to_string().contains(bad), "{e}");
    }
}

#[test]
fn output_name_defaults_to_scene_name() {
    let o = Options::parse(["dir/vase.pov", "+FN"]).unwrap();
    assert_eq!(o.output_path(), Some(PathBuf::from("vase.png")));
    let o = Options::parse(["dir/vase.pov", "+FJ"]).unwrap();
    assert_eq!(o.output_path(), Some(PathBuf::from("vase.jpg")));
    let o = Options::parse(["vase.pov", "+Oout", "+FN"]).unwrap();
    assert_eq!(o.output_path(), Some(PathBuf::from("out.png")));
    let o = Options::parse(["vase.pov", "+Oout.tga", "+FN"]).unwrap();
    assert_eq!(o.output_path(), Some(PathBuf::from("out.tga.png")));
    let o = Options::parse(["vase.pov", "+Oout.JPEG", "+FJ"]).unwrap();
    assert_eq!(o.output_path(), Some(PathBuf::from("out.JPEG")));
    let o = Options::parse(["vase.pov", "+O-"]).unwrap();
    assert_eq!(o.destination(0), Some(Destination::Stdout));
}

#[test]
fn file_types_take_a_bit_depth() {
    let o = Options::parse(["+FN16"]).unwrap();
    assert_eq!((o.format, o.bit_depth()), (Format::Png, Some(16)));
    let o = Options::parse(["+FT16"]).unwrap();
    assert_eq!(o.bit_depth(), Some(8), "TGA has 8 bits only");
    let o = Options::parse(["+FE"]).unwrap();
    assert_eq!((o.format, o.bit_depth()), (Format::Exr, None));
    let o = Options::parse(["Output_File_Type=P", "Bits_Per_Color=12"]).unwrap();
    assert_eq!((o.format, o.bit_depth()), (Format::Ppm, Some(16)));
    assert!(Options::parse(["+FN99"]).is_err());
    assert!(Options::parse(["+FZ"]).is_err());
    assert_eq!(
        Options::parse(["Compression=60"]).unwrap().jpeg_quality(),
        60
    );
    assert_eq!(Options::default().jpeg_quality(), 85);
}

#[test]
fn animation_frames_get_numbered_files() {
    let o = Options::parse(["a.pov", "+FN", "+KFI1", "+KFF12", "+KI0", "+KF2"]).unwrap();
    assert!(o.animation.is_animation());
    assert_eq!(
        o.destination(7),
        Some(Destination::File(PathBuf::from("a07.png")))
    );
    let f = o.animation.frames();
    assert_eq!(f.len(), 12);
    assert!((f[11].clock - 2.0).abs() < 1e-12);
    let o = Options::parse(["Initial_Frame=0", "Final_Frame=4", "Subset_Start_Frame=2"]).unwrap();
    assert_eq!(o.animation.frames().len(), 3);
}

fn write_ini(text: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("r.ini");
    std::fs::write(&path, text).unwrap();
    (dir, path.display().to_string())
}

#[test]
fn ini_sections_apply_only_when_named() {
    let (_dir, ini) = write_ini("Width=10\n[Low]\nWidth=20\n[High]\nWidth=30\n");
    assert_eq!(Options::parse([ini.as_str()]).unwrap().width, 10);
    let low = format!("{ini}[low]");
    assert_eq!(Options::parse([low.as_str()]).unwrap().width, 20);
    let high = format!("{ini}[High]");
    assert_eq!(Options::parse([high.as_str()]).unwrap().width, 30);
}

#[test]
fn povray_ini_keys_are_known() {
    let (_dir, ini) = write_ini(
        "All_Console=On\nAll_File=\nBounding_Threshold=3\nQuality=9\nRender_Block_Size=16\n\
         Warning_Console=On\nSubset_Start_Frame=1\nPre_Scene_Command=\nOutput_Alpha=Off\n\
         Palette=3\nVersion=3.7\nDeclare=Size=2.5\nHigh_Reproducibility=off\n",
    );
    let o = Options::parse([ini.as_str()]).unwrap();
    assert!(o.warnings.is_empty(), "{:?}", o.warnings);
    assert_eq!(o.version, Some(3.7));
    assert_eq!(o.declares, vec![("Size".to_string(), 2.5)]);
    let o = Options::parse(["Output_Alpha=on", "Pre_Frame_Command=ls"]).unwrap();
    assert_eq!(o.warnings.len(), 2, "{:?}", o.warnings);
}

#[test]
fn ini_errors_name_the_file_and_line() {
    let (_dir, ini) = write_ini("Width=10\nHeight=tall\n");
    let e = Options::parse([ini.as_str()]).unwrap_err();
    assert!(matches!(e, CliError::IniLine { line: 2, .. }), "{e}");
    assert!(e.to_string().contains("r.ini:2:"), "{e}");
}

#[test]
fn console_switches_silence_output() {
    let o = Options::parse(["-GS"]).unwrap();
    assert!(!o.console.statistics && o.console.warnings);
    let o = Options::parse(["-GA"]).unwrap();
    assert!(!o.console.statistics && !o.console.warnings);
    let o = Options::parse(["Statistic_Console=off"]).unwrap();
    assert!(!o.console.statistics);
}

#[test]
fn sampling_methods_and_clipped_amounts() {
    let aa = Options::parse(["+A", "+AM2", "+R2"])
        .unwrap()
        .antialias()
        .unwrap();
    assert_eq!((aa.method, aa.depth), (Method::Adaptive, 2));
    let o = Options::parse(["+A", "Sampling_Method=1", "+J3", "+A7"]).unwrap();
    let aa = o.antialias().unwrap();
    assert_eq!(
        (aa.method, aa.jitter, aa.threshold),
        (Method::NonAdaptive, 1.0, 1.0)
    );
    // Method 0 traces one ray per pixel even with +A.
    assert_eq!(Options::parse(["+A", "+AM0"]).unwrap().antialias(), None);
    let o = Options::parse(["+A", "+AM3"]).unwrap();
    assert_eq!(o.antialias().unwrap().method, Method::Adaptive);
    assert!(o.warnings[0].contains("stochastic"), "{:?}", o.warnings);
}
