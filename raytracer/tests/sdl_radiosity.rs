//! `global_settings { radiosity { } }`: every setting POV-Ray 3.7 reads, set
//! directly or from a macro as rad_def.inc's `Rad_Settings` does.

use raytracer::desc::Radiosity;
use raytracer::sdl::{parse_str, ParseOptions};

fn radiosity(src: &str) -> Option<Radiosity> {
    match parse_str(src, &ParseOptions::default()) {
        Ok(s) => s.global.radiosity,
        Err(e) => panic!("parse failed: {e}\n--- scene ---\n{src}"),
    }
}

#[test]
fn no_block_no_radiosity_and_an_empty_block_has_the_defaults() {
    assert_eq!(radiosity("global_settings { assumed_gamma 1 }"), None);
    assert_eq!(
        radiosity("global_settings { radiosity { } }"),
        Some(Radiosity::default())
    );
}

#[test]
fn every_setting_is_read() {
    let r = radiosity(
        "global_settings { radiosity {
            adc_bailout 0.01/2 always_sample on brightness 1.5 count 80, 400
            error_bound 0.4 gray_threshold 0.2 low_error_factor 0.9 max_sample 2
            maximum_reuse 0.3 minimum_reuse 0.025 nearest_count 7 recursion_limit 3
            pretrace_start 0.1 pretrace_end 0.01 normal on media off subsurface off
        } }",
    )
    .expect("radiosity");
    assert_eq!(r.adc_bailout, 0.005);
    assert!(r.always_sample && r.normal && !r.media);
    assert_eq!((r.count, r.direction_pool), (80, 400));
    assert_eq!((r.nearest_count, r.recursion_limit), (7, 3));
    assert_eq!(
        (r.brightness, r.error_bound, r.gray_threshold),
        (1.5, 0.4, 0.2)
    );
    assert_eq!((r.low_error_factor, r.max_sample), (0.9, 2.0));
    assert_eq!((r.maximum_reuse, r.minimum_reuse), (0.3, 0.025));
    assert_eq!((r.pretrace_start, r.pretrace_end), (0.1, 0.01));
}

#[test]
fn settings_from_a_macro_inside_the_block() {
    let r = radiosity(
        "#macro Quick(N) count N nearest_count 2 error_bound 0.5 #end
         global_settings { radiosity { Quick(12) recursion_limit 1 } }",
    )
    .expect("radiosity");
    assert_eq!((r.count, r.nearest_count, r.recursion_limit), (12, 2, 1));
    assert_eq!(r.error_bound, 0.5);
}

#[test]
fn an_unknown_setting_is_an_error_at_its_line() {
    let err = parse_str(
        "global_settings {\n radiosity {\n  bogus 1 } }",
        &ParseOptions::default(),
    )
    .expect_err("unknown setting");
    let text = err.to_string();
    assert!(text.contains(":3:"), "{text}");
    assert!(text.contains("radiosity setting"), "{text}");
}

/// `radiosity { importance }` on objects (CSG children take their parent's,
/// else the `#default` one of the time) and in `#default`.
#[test]
fn importance_on_objects_children_and_default() {
    let src = "#default { radiosity { importance 0.4 } }\n\
               sphere { 0, 1 radiosity { importance 0.25 } }\n\
               union { sphere { 0, 1 } sphere { 0, 1 radiosity { importance 1 } } radiosity { importance 0.5 } }\n\
               union { sphere { 0, 1 } }\n\
               box { 0, 1 }";
    let d = parse_str(src, &ParseOptions::default()).expect("parses");
    assert_eq!(d.global.radiosity_importance, 0.4);
    let imp: Vec<Option<f64>> = d.objects.iter().map(|o| o.radiosity_importance).collect();
    assert_eq!(imp, [Some(0.25), Some(0.5), None, None]);
    let kids = |i: usize| -> Vec<Option<f64>> {
        d.objects[i]
            .children()
            .iter()
            .map(|c| c.radiosity_importance)
            .collect()
    };
    assert_eq!(kids(1), [Some(0.5), Some(1.0)]);
    assert_eq!(kids(2), [Some(0.4)]);
}

#[test]
fn importance_out_of_range_is_an_error_at_its_line() {
    for bad in ["0", "1.5", "-1"] {
        let src = format!("sphere {{ 0, 1\n radiosity {{ importance {bad} }} }}");
        let err = parse_str(&src, &ParseOptions::default()).expect_err("bad importance");
        let text = err.to_string();
        assert!(
            text.contains(":2:") && text.contains("importance"),
            "{text}"
        );
    }
    let err = parse_str("#default { radiosity { bogus } }", &ParseOptions::default())
        .expect_err("unknown");
    assert!(err.to_string().contains("importance"), "{err}");
}
