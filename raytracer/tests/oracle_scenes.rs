//! The project's oracle scenes (scenes/tests/*.pov), each rendered by
//! POV-Ray 3.7 and by prender at the same size; every image must match
//! POV-Ray's at PSNR >= 35 dB. The scenes avoid noise-based patterns, so
//! the only expected differences are rounding in the last bits.
//!
//! Needs Debian's `povray` (scripts/install-test-deps.sh installs it).
//! Run: `cargo test -p raytracer --test oracle_scenes -- --nocapture`.

mod common;

use common::oracle::assert_matches_povray;
use common::render::Spec;

/// The bar for the project's own scenes.
const MIN_PSNR_DB: f64 = 35.0;

fn check(name: &str, spec: Spec) {
    assert_matches_povray(name, &spec, None, MIN_PSNR_DB);
}

fn scene(name: &str) -> Spec {
    Spec::new(common::test_scene(&format!("{name}.pov")), 240, 180)
}

#[test]
fn checker_planes() {
    check("checker_planes", scene("checker_planes"));
}

#[test]
fn csg_every_kind_with_inverse() {
    check("csg", scene("csg"));
}

#[test]
fn quadrics() {
    check("quadrics", scene("quadrics"));
}

#[test]
fn finite_primitives_and_transforms() {
    check("primitives", scene("primitives"));
}

#[test]
fn flat_and_smooth_triangles() {
    check("triangles", scene("triangles"));
}

#[test]
fn reflection() {
    check("reflection", scene("reflection"));
}

#[test]
fn bumped_normals_at_grazing_angles() {
    check("grazing_bumps", scene("grazing_bumps"));
}

#[test]
fn default_colour_maps_of_each_pattern() {
    check("default_maps", scene("default_maps"));
}

#[test]
fn refraction_filter_transmit() {
    check("refraction", scene("refraction"));
}

#[test]
fn spotlights() {
    check("spotlights", scene("spotlights"));
}

#[test]
fn every_finish_term() {
    check("finishes", scene("finishes"));
}

#[test]
fn coloured_shadows_and_no_shadow() {
    check("shadows", scene("shadows"));
}

/// A child's own no_shadow survives its union being split into the bounding tree.
#[test]
fn no_shadow_inside_a_split_union() {
    check("no_shadow_union", scene("no_shadow_union"));
}

#[test]
fn camera_vectors() {
    check("camera", scene("camera"));
}

#[test]
fn adaptive_antialiasing() {
    let spec = Spec::new(common::test_scene("antialias.pov"), 160, 120).antialias(0.3);
    check("antialias", spec);
}

#[test]
fn patterns_without_noise_and_wave_normals() {
    check("patterns", scene("patterns"));
}

#[test]
fn object_pattern_pigments_normals_and_textures() {
    check("object_pattern", scene("object_pattern"));
}

#[test]
fn every_tiling() {
    check("tilings", scene("tilings"));
}

/// pavement: 3, 4 and 6 sides, tiles of 1 to 6 cells, exterior, interior and
/// form, as pigment, normal and texture patterns.
#[test]
fn pavements() {
    let spec = Spec::new(common::test_scene("pavements.pov"), 640, 480);
    check("pavements", spec);
}

/// Every pavement layout, from POV-Ray's insert-menu templates (Debian's
/// povray-examples), each on a square, one scene per number of sides: as given
/// (sharp corners), and with every corner setting 1 and every one 2 (and form 3
/// for squares). A small shift keeps the pixel centres off the exact lattice
/// where the cut corners' values tie with the colour map's steps.
#[test]
fn pavement_templates_every_layout() {
    let root = std::path::Path::new(render_oracle::samples::SAMPLE_SCENES)
        .join("templates/Textures_Materials/pavement");
    let dir = tempfile::tempdir().expect("temporary directory");
    for sides in [3, 4, 6] {
        let mut names: Vec<String> = std::fs::read_dir(&root)
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; install Debian's povray-examples (scripts/install-test-deps.sh)",
                    root.display()
                )
            })
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with(&format!("pavement_s{sides}_")) && n.ends_with(".txt"))
            .collect();
        names.sort();
        let expected = match sides {
            3 => 21,
            4 => 55,
            _ => 34,
        };
        assert_eq!(names.len(), expected, "templates for {sides} sides");
        let mut variants = vec![("plain", ""), ("cut", "exterior 1 interior 1 form 1")];
        variants.push(("round", "exterior 2 interior 2 form 2"));
        if sides == 4 {
            variants.push(("form3", "interior 2 form 3"));
        }
        for (variant, settings) in variants {
            let (cols, rows) = (8, names.len().div_ceil(8));
            let mut scene = format!(
                "#version 3.7;\nglobal_settings {{ assumed_gamma 1 }}\n\
                 camera {{ orthographic location <0, 10, 0> look_at 0 right x*{} up z*{} }}\n",
                2 * cols,
                2 * rows
            );
            for (i, name) in names.iter().enumerate() {
                let (c, r) = (i % cols, i / cols);
                scene += &format!(
                    "#declare P = \n#include \"{name}\"\n\
                     box {{ <-0.95, -1, -0.95>, <0.95, 0, 0.95>\n\
                     pigment {{ P {settings} translate <0.0131, 0, 0.0077> }}\n\
                     finish {{ ambient 1 diffuse 0 }} translate <{}, 0, {}> }}\n",
                    2 * c as i64 - cols as i64 + 1,
                    rows as i64 - 1 - 2 * r as i64
                );
            }
            let path = dir.path().join(format!("pavement_s{sides}_{variant}.pov"));
            std::fs::write(&path, scene).expect("scene written");
            let spec = Spec::new(path, 40 * cols as u32, 40 * rows as u32)
                .with(&format!("+L{}", root.display()));
            check(&format!("pavement_templates_s{sides}_{variant}"), spec);
        }
    }
}

#[test]
fn pattern_maps_averages_tiles_warps_and_slope() {
    check("pattern_maps", scene("pattern_maps"));
}

/// The include-library scene: every include file, some noise-based
/// textures (Jade, the metals), rendered by prender with its bundled
/// library and by POV-Ray with its own.
#[test]
fn include_library_scene() {
    check("library", scene("library"));
}

#[test]
fn scene_language_directives_expressions_and_colours() {
    check("language", scene("language"));
}

#[test]
fn function_patterns_and_pigment_functions() {
    check("functions", scene("functions"));
}

#[test]
fn isosurfaces_in_boxes_and_spheres() {
    check("isosurfaces", scene("isosurfaces"));
}

#[test]
fn quartics_bounded_clipped_and_sturm() {
    check("poly_quartic", scene("poly_quartic"));
}

#[test]
fn cubics_order_two_poly_and_polynomial_syntax() {
    check("poly_cubic", scene("poly_cubic"));
}

#[test]
fn high_order_polys_and_sturm_torus() {
    check("poly_sturm", scene("poly_sturm"));
}

/// rand() placement, 2-D arrays, splines of every kind, trace() and the
/// extents: everything the parser computes lands where POV-Ray puts it.
#[test]
fn scene_language_macro_parameters_by_reference() {
    check("language_macros", scene("language_macros"));
}

#[test]
fn scene_language_data_rand_arrays_splines_trace() {
    check("language_data", scene("language_data"));
}

/// The mandel pattern with its interior and exterior colouring types.
#[test]
fn mandel_pattern_interior_and_exterior() {
    check("fractal_patterns", scene("fractal_patterns"));
}

/// interior_texture on cut-open and open shapes, inherited in CSG, in shadows.
#[test]
fn interior_textures() {
    check("interior_textures", scene("interior_textures"));
}

/// uv_mapping on every shape with uv coordinates (and one without), at the
/// pigment, normal, texture and object levels.
#[test]
fn uv_mapping_on_each_shape() {
    check("uv_mapping", scene("uv_mapping"));
}

/// uv_mapping on lathes (linear, cubic) and sors (closed, open, caps and base),
/// as POV-Ray's UVCoord gives their uv.
#[test]
fn uv_mapping_on_lathe_and_sor() {
    check("uv_lathe_sor", scene("uv_lathe_sor"));
}

/// uv_mapping on parametrics: the u, v of the hit, at every level.
#[test]
fn uv_mapping_on_parametric() {
    check("uv_parametric", scene("uv_parametric"));
}

/// Shadows through uv-mapped see-through textures (a striped sphere, a
/// checkered box) are coloured by the texture at the surface's uv, as
/// POV-Ray's (about 56 dB; 25.6 dB with the texture read at the world point).
#[test]
fn shadows_through_uv_mapped_textures() {
    check("uv_shadows", scene("uv_shadows"));
}

/// light_group: group lights light only their group; global_lights on and off.
#[test]
fn light_groups() {
    check("light_groups", scene("light_groups"));
}

/// A 3.6 scene without `assumed_gamma` renders as POV-Ray 3.7 renders legacy
/// scenes (gamma correction off, 3.6's layer opacity and sky compositing, ambient
/// under radiosity), and the same scene declared 3.7 differs from it visibly: the
/// version really selects the behaviour, in POV-Ray and in prender alike.
#[test]
fn legacy_version_selects_povray_3_6_behaviour() {
    // Above the usual bar: gamma 2.2 in place of "off" scores about 38 dB here.
    assert_matches_povray("legacy_version", &scene("legacy_version"), None, 45.0);

    let dir = tempfile::tempdir().expect("temporary directory");
    let text = std::fs::read_to_string(common::test_scene("legacy_version.pov")).unwrap();
    let modern = dir.path().join("modern_version.pov");
    std::fs::write(&modern, text.replace("#version 3.6;", "#version 3.7;")).unwrap();
    let spec = Spec::new(modern, 240, 180);
    assert_matches_povray("modern_version", &spec, None, MIN_PSNR_DB);

    let ours = |spec: &Spec, name: &str| {
        let path = common::render::prender(spec, dir.path(), name, None).unwrap();
        common::image::Rgb8::load(&path).unwrap()
    };
    let legacy = ours(&scene("legacy_version"), "legacy.tga");
    let modern = ours(&spec, "modern.tga");
    let db = common::metrics::psnr(&legacy, &modern).unwrap();
    assert!(
        db < 25.0,
        "#version 3.6 and 3.7 should differ, PSNR {db:.1} dB"
    );
}

/// Eight clear panes with max_trace_level 3: a ray between equal indices goes on
/// at its own level, as POV-Ray's transmitted rays (spending a level per pane
/// scored 15 dB); the statistics count them apart from refracted rays.
#[test]
fn transmitted_rays_spend_no_trace_level() {
    check("transmit_levels", scene("transmit_levels"));
    let dir = tempfile::tempdir().expect("temporary directory");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_prender"))
        .arg(format!(
            "+I{}",
            common::test_scene("transmit_levels.pov").display()
        ))
        .args(["+W48", "+H36", "-D", "+FN", "+WT1"])
        .arg(format!("+O{}", dir.path().join("t.png").display()))
        .output()
        .expect("prender runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    let line = err.lines().find(|l| l.starts_with("Transmitted Rays:"));
    assert!(line.is_some(), "no Transmitted Rays line:\n{err}");
    assert!(err.contains("Max Level: 3/3"), "{err}");
    assert!(!err.contains("Refracted Rays:"), "{err}");
}
