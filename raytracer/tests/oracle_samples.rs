//! The CI subset of the acceptance table: POV-Ray 3.7's own sample scenes
//! (Debian's `povray-examples`) that prender matches, each rendered by both at
//! the table's settings (160x120, no anti-aliasing, one thread) and held at
//! PSNR >= 30 dB, so that nothing that once matched regresses. The scenes are
//! spread over the feature families; `benches/povray-samples/run.sh` measures
//! all of them.
//!
//! Needs Debian's `povray`, `povray-includes` and `povray-examples`
//! (scripts/install-test-deps.sh installs them).

use std::path::{Path, PathBuf};

use render_oracle::samples::{self, Outcome, Row, Settings, PSNR_BAR};

fn check(scene: &str) {
    let root = Path::new(samples::SAMPLE_SCENES);
    assert!(
        root.join(scene).is_file(),
        "sample scene {scene} is missing under {}: install Debian's povray-examples \
         (scripts/install-test-deps.sh)",
        root.display()
    );
    let settings = Settings {
        // Generous: the machine may be busy; the limit only catches a hang.
        timeout: std::time::Duration::from_secs(300),
        ..Settings::default()
    };
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("oracle-samples");
    let povray =
        samples::povray_cached(Path::new("povray"), &settings, root, scene.as_ref(), &work)
            .unwrap_or_else(|e| panic!("{scene}: POV-Ray: {e}"));
    assert_eq!(
        povray.outcome,
        Outcome::Rendered,
        "{scene}: POV-Ray did not render it: {:?}",
        povray.message
    );
    let ours = samples::prender(
        Path::new(env!("CARGO_BIN_EXE_prender")),
        &settings,
        root,
        scene.as_ref(),
        &work.join("prender").join(scene),
    )
    .unwrap_or_else(|e| panic!("{scene}: prender: {e}"));
    let row = Row::new(scene.into(), povray, ours);
    eprintln!("{}", samples::header());
    eprintln!("{row}");
    assert!(
        row.matches(),
        "{scene} no longer matches POV-Ray (bar {PSNR_BAR} dB): {}; images under {}",
        row.reason(),
        work.display()
    );
}

macro_rules! sample_scenes {
    ($($name:ident => $scene:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($scene);
            }
        )*
    };
}

sample_scenes! {
    advanced_benchmark => "advanced/benchmark/benchmark.pov",
    advanced_biscuit => "advanced/biscuit.pov",
    advanced_blocks_stackerday => "advanced/blocks/stackerday.pov",
    advanced_bwstripe => "advanced/bwstripe.pov",
    advanced_chess2 => "advanced/chess2.pov",
    advanced_cliche_sign => "advanced/cliche/sign.pov",
    advanced_crater_crater => "advanced/crater/crater.pov",
    advanced_drums2_drums => "advanced/drums2/drums.pov",
    advanced_float5 => "advanced/float5.pov",
    advanced_desk_desk => "advanced/desk/desk.pov",
    advanced_infinitybox => "advanced/infinitybox.pov",
    advanced_mist => "advanced/mist.pov",
    advanced_mtmand => "advanced/mtmand.pov",
    advanced_object_pattern => "advanced/object_pattern.pov",
    advanced_ntreal => "advanced/ntreal/ntreal.pov",
    advanced_sombrero => "advanced/sombrero.pov",
    advanced_sunsethf => "advanced/sunsethf.pov",
    advanced_swirlbox => "advanced/swirlbox.pov",
    advanced_teapot_teapot => "advanced/teapot/teapot.pov",
    advanced_woodbox => "advanced/woodbox.pov",
    advanced_grenadine_grenadine => "advanced/grenadine/grenadine.pov",
    advanced_glasschess_glasschess => "advanced/glasschess/glasschess.pov",
    advanced_isocacti => "advanced/isocacti.pov",
    advanced_landscape => "advanced/landscape.pov",
    advanced_wallstucco => "advanced/wallstucco.pov",
    animations_clockd_clockd => "animations/clockd/clockd.pov",
    animations_float4_float4 => "animations/float4/float4.pov",
    animations_splinefollow_splinefollow => "animations/splinefollow/splinefollow.pov",
    camera_cylinder1 => "camera/cylinder1.pov",
    camera_fisheye => "camera/fisheye.pov",
    camera_mesh_camera_ess_ortho => "camera/mesh_camera/ess/ess-ortho-camera.pov",
    camera_mesh_camera_ess_persp => "camera/mesh_camera/ess/ess-persp-camera.pov",
    camera_mesh_camera_ortho => "camera/mesh_camera/ess/ortho-camera.pov",
    camera_mesh_camera_persp => "camera/mesh_camera/ess/persp-camera.pov",
    camera_mesh_camera_persp_compare => "camera/mesh_camera/meshcam_persp_compare.pov",
    camera_normal => "camera/normal.pov",
    camera_omnimax => "camera/omnimax.pov",
    camera_panoramic => "camera/panoramic.pov",
    camera_spherical => "camera/spherical.pov",
    camera_ultra_wide_angle => "camera/ultra_wide_angle.pov",
    gamma_gamma_showcase => "gamma/gamma_showcase.pov",
    incdemo_chars => "incdemo/chars.pov",
    incdemo_circletext => "incdemo/circletext.pov",
    incdemo_func_gradient => "incdemo/func_gradient.pov",
    incdemo_i_internal => "incdemo/i_internal.pov",
    incdemo_math => "incdemo/math.pov",
    incdemo_metals_golds => "incdemo/metals/golds.pov",
    incdemo_shapes => "incdemo/shapes.pov",
    incdemo_shapes2 => "incdemo/shapes2.pov",
    incdemo_shapes_old => "incdemo/shapes_old.pov",
    incdemo_stones1 => "incdemo/stones/stones1.pov",
    incdemo_stones2 => "incdemo/stones/stones2.pov",
    incdemo_strings => "incdemo/strings.pov",
    incdemo_sundial => "incdemo/sundial.pov",
    incdemo_texture1 => "incdemo/texture1.pov",
    incdemo_transforms => "incdemo/transforms.pov",
    incdemo_woods_ash => "incdemo/woods/ash.pov",
    incdemo_woods_ash_37 => "incdemo/woods/ash_37.pov",
    incdemo_woods_benediti_37 => "incdemo/woods/benediti_37.pov",
    incdemo_woods_bubinga_37 => "incdemo/woods/bubinga_37.pov",
    incdemo_woods_cedar_37 => "incdemo/woods/cedar_37.pov",
    incdemo_woods_teak_37 => "incdemo/woods/teak_37.pov",
    incdemo_woods_whiteash_37 => "incdemo/woods/whiteash_37.pov",
    incdemo_woods_wood_1 => "incdemo/woods/wood_1.pov",
    incdemo_woods_woods1 => "incdemo/woods/woods1.pov",
    interior_atten2 => "interior/atten2.pov",
    interior_ballbox1 => "interior/ballbox1.pov",
    interior_caustic2 => "interior/caustic2.pov",
    interior_magglass => "interior/magglass.pov",
    interior_fog_std => "interior/fog_std.pov",
    interior_foglayr => "interior/foglayr.pov",
    interior_iortest => "interior/iortest.pov",
    interior_media_hollow2 => "interior/media/hollow2.pov",
    interior_media_media1 => "interior/media/media1.pov",
    interior_media_galaxy => "interior/media/galaxy.pov",
    interior_rainbow1 => "interior/rainbow1.pov",
    interior_skysph1 => "interior/skysph1.pov",
    language_arrays_array2 => "language/arrays/array2.pov",
    language_fileio_fileio => "language/fileio/fileio.pov",
    language_image_size => "language/image_size.pov",
    language_macros_local => "language/macros/local.pov",
    language_macros_macro1 => "language/macros/macro1.pov",
    language_macros_macro2 => "language/macros/macro2.pov",
    language_macros_macro3 => "language/macros/macro3.pov",
    language_trace => "language/trace.pov",
    language_vturbulence => "language/vturbulence.pov",
    language_splinefunction => "language/splinefunction.pov",
    lights_arealit1 => "lights/arealit1.pov",
    lights_arealit2 => "lights/arealit2.pov",
    lights_fillite => "lights/fillite.pov",
    lights_glassthing => "lights/glassthing.pov",
    lights_parallel_lights => "lights/parallel_lights.pov",
    lights_phot_met_glass => "lights/phot_met_glass.pov",
    lights_projected_through => "lights/projected_through.pov",
    lights_soft => "lights/soft.pov",
    lights_spotlite => "lights/spotlite.pov",
    objectmods_double_illuminate => "objectmods/double_illuminate.pov",
    objectmods_no_image => "objectmods/no_image.pov",
    objects_bezier => "objects/bezier.pov",
    objects_blob => "objects/blob.pov",
    objects_chesmsh => "objects/chesmsh.pov",
    objects_csg_cliptst2 => "objects/csg/cliptst2.pov",
    objects_csg_granite => "objects/csg/granite.pov",
    objects_csg_intee1 => "objects/csg/intee1.pov",
    objects_fractal1 => "objects/fractal1.pov",
    objects_isosurfaces => "objects/isosurfaces.pov",
    objects_mesh2 => "objects/mesh2.pov",
    objects_lathe2 => "objects/lathe2.pov",
    objects_polygon => "objects/polygon.pov",
    objects_primitiv => "objects/primitiv.pov",
    objects_prism1 => "objects/prism1.pov",
    objects_quartic_grafbic => "objects/quartic/grafbic.pov",
    objects_quartic_helix => "objects/quartic/helix.pov",
    objects_quartic_hyptorus => "objects/quartic/hyptorus.pov",
    objects_quartic_monkey => "objects/quartic/monkey.pov",
    objects_quartic_tcubic => "objects/quartic/tcubic.pov",
    objects_sor1 => "objects/sor1.pov",
    objects_superel1 => "objects/superel1.pov",
    objects_torus1 => "objects/torus1.pov",
    objects_ttf1 => "objects/ttf1.pov",
    objects_wtorus => "objects/wtorus.pov",
    qtvr_qtvrpanorama => "qtvr/qtvrpanorama.pov",
    radiosity_patio_radio_37 => "radiosity/patio-radio_37.pov",
    radiosity_rad_def_test_37 => "radiosity/rad_def_test_37.pov",
    radiosity_radiosity2 => "radiosity/radiosity2.pov",
    radiosity_radiosity_36 => "radiosity/radiosity_36.pov",
    radiosity_raddem => "animations/raddem/raddem.pov",
    subsurface_subsurface => "subsurface/subsurface.pov",
    incdemo_screen => "incdemo/screen.pov",
    interior_media_media3 => "interior/media/media3.pov",
    templates_orthographic => "templates/Basic_Scenes/Orthographic_scene.pov",
    templates_starfield => "templates/Basic_Scenes/starfield.pov",
    textures_finishes_cluster => "textures/finishes/cluster.pov",
    textures_finishes_var_refl => "textures/finishes/var_refl.pov",
    textures_patterns_slopemt_36 => "textures/patterns/slopemt_36.pov",
    textures_interior_texture => "textures/interior_texture.pov",
    textures_noise_generator => "textures/noise_generator.pov",
    textures_normals_bumpmap => "textures/normals/bumpmap.pov",
    textures_normals_norm_acc => "textures/normals/norm_acc.pov",
    textures_normals_normal => "textures/normals/normal.pov",
    textures_normals_normavg => "textures/normals/normavg.pov",
    textures_normals_normmap => "textures/normals/normmap.pov",
    textures_normals_slopemap => "textures/normals/slopemap.pov",
    textures_patterns_agate => "textures/patterns/agate.pov",
    textures_patterns_crackle_solid => "textures/patterns/crackle_solid.pov",
    textures_patterns_densfile => "textures/patterns/densfile.pov",
    textures_patterns_granite => "textures/patterns/granite.pov",
    textures_patterns_hexagon => "textures/patterns/hexagon.pov",
    textures_patterns_leopard => "textures/patterns/leopard.pov",
    textures_patterns_marble => "textures/patterns/marble.pov",
    textures_patterns_quilted => "textures/patterns/quilted.pov",
    textures_patterns_ripples => "textures/patterns/ripples.pov",
    textures_patterns_tiling => "textures/patterns/tiling.pov",
    textures_patterns_wrinkles => "textures/patterns/wrinkles.pov",
    textures_patterns_brick => "textures/patterns/brick.pov",
    textures_finishes_var_reflection => "textures/finishes/var_reflection.pov",
    textures_pigments_blkhole => "textures/pigments/blkhole.pov",
    textures_pigments_cantelop => "textures/pigments/cantelop.pov",
    textures_pigments_crack1 => "textures/pigments/crack1.pov",
    textures_pigments_dodec2 => "textures/pigments/dodec2.pov",
    textures_pigments_filtfun => "textures/pigments/filtfun.pov",
    textures_pigments_pigmap => "textures/pigments/pigmap.pov",
    textures_pigments_interp => "textures/pigments/interp.pov",
    textures_pigments_mapper => "textures/pigments/mapper.pov",
    textures_pigments_mappr2 => "textures/pigments/mappr2.pov",
    textures_pigments_matmap => "textures/pigments/matmap.pov",
    textures_pigments_spiral1a => "textures/pigments/spiral1a.pov",
    textures_pigments_txtrmap => "textures/pigments/txtrmap.pov",
    textures_pigments_txtravg => "textures/pigments/txtravg.pov",
    textures_pigments_warp1 => "textures/pigments/warp1.pov",
    textures_pigments_warp2 => "textures/pigments/warp2.pov",
}
