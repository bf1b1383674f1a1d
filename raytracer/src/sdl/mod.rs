//! The POV-Ray 3.x scene language: lexer, parser and evaluator producing a
//! [`crate::desc::SceneDesc`].
//!
//! Parsing works like POV-Ray's: tokens are read from a stack of files and macro
//! bodies, and directives (`#declare`, `#if`, `#while`, `#macro`...) are carried out
//! as they are met, so they may appear anywhere. Objects are flattened into world
//! space as they are transformed (see [`crate::desc::object`]).
//!
//! Entry points: [`parse_file`] reads a scene from disk; [`parse_files`] parses from
//! a set of files in memory (what a distributed render's slave receives). Both
//! return a [`Parsed`] recording every file read, so the master can ship them.
//! Every input is bounded: include depth, macro depth, loop iterations and nesting
//! have limits that end the parse with a clear error instead of a hang or a crash.
//!
//! Modules: [`lexer`] (text → tokens), `tokens` (each file lexed as it is read),
//! `parser` (state, token stream), `directives`
//! (`#` directives, macros, includes), `expr` and `functions` (expressions and
//! built-ins), `objects`, `textures`, `camera`, `light`, `scene_items` (settings, the top level),
//! [`loader`] (include search and file sources), `value` and `keywords`.

mod arrays;
mod atmosphere;
mod bicubic;
mod camera;
mod directives;
pub mod error;
mod expr;
mod fileio;
mod fractals;
mod function_image;
mod function_syntax;
mod functions;
mod height_image;
mod image_file;
mod image_map;
mod isosurface;
mod keywords;
pub mod lexer;
mod light;
mod light_group;
pub mod loader;
mod media;
mod mesh_camera;
mod object_pattern;
mod objects;
mod outline_shapes;
mod parametric;
mod parser;
mod pattern_defaults;
mod photons;
mod poly;
mod probe;
mod radiosity;
mod rand;
mod scene_items;
mod shapes;
mod slope;
mod spline;
mod subsurface;
mod symbols;
mod text;
mod textures;
mod tiles;
mod tokens;
mod uv_mapping;
mod value;
mod warps;

pub use error::{Location, SdlError};
pub use functions::days_since_2000;
pub use loader::{FsLoader, Loader, MemoryLoader};

use crate::desc::SceneDesc;
use parser::{FrameKind, Parser};
use std::sync::Arc;
use value::{Num, Value};

/// Bounds that make every parse finish: exceeding one ends the parse with an error
/// naming it. The defaults leave room for any reasonable scene.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Deepest `#include` nesting.
    pub include_depth: usize,
    /// Deepest macro call nesting.
    pub macro_depth: usize,
    /// `#while`/`#for` iterations, all loops together.
    pub loop_iterations: u64,
    /// Objects created, copies included (bounds memory).
    pub objects: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            include_depth: 64,
            macro_depth: 100,
            // Sample scenes run millions (tracevines.pov: ~23M tokens in POV-Ray).
            loop_iterations: 50_000_000,
            objects: 500_000,
        }
    }
}

/// Settings that come from outside the scene (command line, INI file).
#[derive(Clone, Debug, PartialEq)]
pub struct ParseOptions {
    /// Include paths (`+L`, `Library_Path`), searched after the scene's folder.
    pub include_paths: Vec<String>,
    /// Value of `clock`.
    pub clock: f64,
    /// Identifiers declared before the scene (`Declare=Name=value`).
    pub declares: Vec<(String, f64)>,
    /// Language version before any `#version` (None: 3.7).
    pub version: Option<f64>,
    /// `image_width`.
    pub image_width: u32,
    /// `image_height`.
    pub image_height: u32,
    /// The animation frame being parsed: `clock_delta`, `clock_on`, `frame_number`,
    /// `initial_frame`, `final_frame`, `initial_clock`, `final_clock` (its `clock`
    /// equals [`ParseOptions::clock`]).
    pub frame: crate::animation::FrameClock,
    /// Value of `now`: days since 2000-01-01 00:00 UTC when the render started
    /// ([`days_since_2000`]). A distributed render's slaves get the master's,
    /// so every one parses the same scene.
    pub now: f64,
}

impl Default for ParseOptions {
    fn default() -> Self {
        Self {
            include_paths: Vec::new(),
            clock: 0.0,
            declares: Vec::new(),
            version: None,
            image_width: 320,
            image_height: 240,
            frame: crate::animation::FrameClock::default(),
            now: 0.0,
        }
    }
}

/// A source file read during a parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// The name it was opened by (the same name finds it again in [`parse_files`]).
    pub name: String,
    /// Its text, shared with the parse that read it.
    pub text: Arc<str>,
}

/// A binary file read during a parse (a font), sent to slaves with the sources.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataFile {
    /// The name it was opened by.
    pub name: String,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// A parsed scene.
#[derive(Clone, Debug)]
pub struct Parsed {
    /// The scene description.
    pub scene: SceneDesc,
    /// The scene file first, then every include file read from outside the binary
    /// (bundled library files are not listed: every prender has them).
    pub files: Vec<SourceFile>,
    /// Binary files read from outside the binary (fonts), in the order first read.
    pub data: Vec<DataFile>,
    /// `#debug` output and warnings, in order.
    pub messages: Vec<String>,
}

/// Parses the scene file at `path`.
pub fn parse_file(path: &str, opts: &ParseOptions) -> Result<Parsed, SdlError> {
    let text = match FsLoader.read(path) {
        Ok(Some(t)) => t,
        Ok(None) => {
            return Err(SdlError::Io {
                path: path.to_string(),
                source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
            })
        }
        Err(source) => {
            return Err(SdlError::Io {
                path: path.to_string(),
                source,
            })
        }
    };
    parse_shared(path, text.into(), opts, &FsLoader, &Limits::default())
}

/// Parses scene `main` from an in-memory set of files (as recorded in
/// [`Parsed::files`]); includes resolve only to those files and the bundled library.
pub fn parse_files(
    main: &str,
    files: &[SourceFile],
    opts: &ParseOptions,
) -> Result<Parsed, SdlError> {
    parse_files_with_data(main, files, &[], opts)
}

/// [`parse_files`] with the binary files (fonts) the master read as well.
pub fn parse_files_with_data(
    main: &str,
    files: &[SourceFile],
    data: &[DataFile],
    opts: &ParseOptions,
) -> Result<Parsed, SdlError> {
    let loader = MemoryLoader::new(files.iter().map(|f| (f.name.clone(), f.text.to_string())))
        .with_data(data.iter().map(|d| (d.name.clone(), d.bytes.clone())));
    let text = files
        .iter()
        .find(|f| f.name == main)
        .map(|f| f.text.clone())
        .ok_or_else(|| SdlError::Io {
            path: main.to_string(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not among the files given"),
        })?;
    parse_shared(main, text, opts, &loader, &Limits::default())
}

/// Parses scene text `text` named `name`, reading includes through `loader`.
pub fn parse_with(
    name: &str,
    text: &str,
    opts: &ParseOptions,
    loader: &dyn Loader,
) -> Result<Parsed, SdlError> {
    parse_with_limits(name, text, opts, loader, &Limits::default())
}

/// [`parse_with`] under explicit resource [`Limits`].
pub fn parse_with_limits(
    name: &str,
    text: &str,
    opts: &ParseOptions,
    loader: &dyn Loader,
    limits: &Limits,
) -> Result<Parsed, SdlError> {
    parse_shared(name, text.into(), opts, loader, limits)
}

/// [`parse_with_limits`] of a text the parse may keep (one copy however large).
fn parse_shared(
    name: &str,
    text: Arc<str>,
    opts: &ParseOptions,
    loader: &dyn Loader,
    limits: &Limits,
) -> Result<Parsed, SdlError> {
    let mut p = Parser::new(opts, loader, limits.clone());
    for (k, v) in &opts.declares {
        p.bind(k, Value::Num(Num::float(*v)), false);
    }
    p.recorded.push(SourceFile {
        name: name.to_string(),
        text: text.clone(),
    });
    p.push_file(name.to_string(), text, FrameKind::Main)?;
    p.scene()?;
    p.close_user_files()?;
    p.compatibility_notices();
    Ok(Parsed {
        scene: p.scene,
        files: p.recorded,
        data: p.recorded_data,
        messages: p.messages,
    })
}

/// Parses scene text with no file system access beyond the bundled library
/// (convenient for tests and generated scenes).
pub fn parse_str(text: &str, opts: &ParseOptions) -> Result<SceneDesc, SdlError> {
    parse_with("<scene>", text, opts, &MemoryLoader::default()).map(|p| p.scene)
}
