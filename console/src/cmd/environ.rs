//! Session environment commands: alias, unalias, setenv, export, unexport.
//!
//! `setenv` and `export` change the console's own process environment because that is
//! what spawned tasks inherit: the library passes every variable named in `PVM_EXPORT`
//! to the children. Only the console's main thread reads or writes the environment.

use crate::format;
use crate::print;
use crate::session::Session;

/// The variable listing what spawned tasks inherit.
const PVM_EXPORT: &str = "PVM_EXPORT";

/// `alias`, `alias name`, `alias name command args...`.
pub fn alias(s: &mut Session, mut args: Vec<String>) {
    match args.len() {
        0 => print::out(s.aliases.iter().map(|(n, w)| format::alias_line(n, w))),
        1 => {
            if let Some(words) = s.aliases.get(&args[0]) {
                print::line(format::alias_line(&args[0], words));
            }
        }
        _ => {
            let words = args.split_off(1);
            s.aliases.define(&args[0], words);
        }
    }
}

/// `unalias name...`; unknown names are ignored, as PVM does.
pub fn unalias(s: &mut Session, names: &[String]) {
    for n in names {
        s.aliases.remove(n);
    }
}

/// `setenv`, `setenv name`, `setenv name value`.
pub fn setenv(args: &[String]) {
    match args {
        [] => print::out(
            std::env::vars_os()
                .map(|(k, v)| format!("{}={}", k.to_string_lossy(), v.to_string_lossy())),
        ),
        [name] => {
            if let Some(v) = std::env::var_os(name) {
                print::line(v.to_string_lossy());
            }
        }
        [name, value, ..] => {
            if !valid_name(name) {
                print::line(format!("setenv: bad variable name {name:?}"));
            } else if value.contains('\0') {
                print::line(format!("setenv: {name}: value holds a NUL byte"));
            } else {
                std::env::set_var(name, value);
            }
        }
    }
}

/// A name `set_var` accepts without panicking: not empty, no `=` and no NUL.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && !name.contains(['=', '\0'])
}

fn export_list() -> Vec<String> {
    std::env::var(PVM_EXPORT)
        .unwrap_or_default()
        .split(':')
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

fn set_export_list(list: &[String]) {
    std::env::set_var(PVM_EXPORT, list.join(":"));
}

fn show_export_list() {
    print::line(format!("{PVM_EXPORT}={}", export_list().join(":")));
}

/// `export [name...]`: without names, shows the list.
pub fn export(names: &[String]) {
    if names.is_empty() {
        return show_export_list();
    }
    let mut list = export_list();
    for n in names {
        if !valid_name(n) || n.contains(':') {
            print::line(format!("export: bad variable name {n:?}"));
        } else if !list.contains(n) {
            list.push(n.clone());
        }
    }
    set_export_list(&list);
}

/// `unexport [name...]`: without names, shows the list.
pub fn unexport(names: &[String]) {
    if names.is_empty() {
        return show_export_list();
    }
    let mut list = export_list();
    list.retain(|n| !names.contains(n));
    set_export_list(&list);
}
