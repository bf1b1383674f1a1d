//! The PVM options `getopt` and `setopt` know by name.
//!
//! The console addresses options by their pvm3.h names (`PvmRoute`, `PvmShowTids`...);
//! the library by number. The order is the order `getopt` lists them in.

use pvm::constants;

/// Names an option by its constant: the name is the constant's own, the number is
/// `pvm::constants`', so neither can be mistyped.
macro_rules! options {
    ($($name:ident),* $(,)?) => {
        &[$((stringify!($name), constants::$name)),*]
    };
}

/// Name and number of every option `getopt` shows.
pub const OPTIONS: &[(&str, i32)] = options![
    PvmRoute,
    PvmDebugMask,
    PvmAutoErr,
    PvmOutputTid,
    PvmOutputCode,
    PvmTraceTid,
    PvmTraceCode,
    PvmTraceBuffer,
    PvmTraceOptions,
    PvmFragSize,
    PvmResvTids,
    PvmSelfOutputTid,
    PvmSelfOutputCode,
    PvmSelfTraceTid,
    PvmSelfTraceCode,
    PvmSelfTraceBuffer,
    PvmSelfTraceOptions,
    PvmShowTids,
    PvmOutputContext,
    PvmTraceContext,
    PvmSelfOutputContext,
    PvmSelfTraceContext,
    PvmNoReset,
];

/// The number of the option called `name`.
pub fn by_name(name: &str) -> Option<i32> {
    OPTIONS.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// What the console says about a name that is no option.
pub fn unknown(name: &str) -> String {
    format!("PVM Option \"{name}\" Unknown.")
}

/// An option value as typed: decimal, or hex after `0x`, possibly negative.
pub fn parse_value(word: &str) -> Option<i32> {
    let (neg, digits) = match word.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, word),
    };
    let v = match digits.strip_prefix("0x") {
        Some(hex) => i64::from_str_radix(hex, 16).ok()?,
        None => digits.parse::<i64>().ok()?,
    };
    i32::try_from(if neg { -v } else { v }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_pvm3_h_numbers() {
        assert_eq!(by_name("PvmRoute"), Some(1));
        assert_eq!(by_name("PvmShowTids"), Some(18));
        assert_eq!(by_name("PvmNoReset"), Some(25));
        assert_eq!(by_name("Route"), None);
        assert_eq!(unknown("Foo"), "PVM Option \"Foo\" Unknown.");
        let mut numbers: Vec<i32> = OPTIONS.iter().map(|(_, v)| *v).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), OPTIONS.len());
    }

    #[test]
    fn values() {
        assert_eq!(parse_value("2"), Some(2));
        assert_eq!(parse_value("-1"), Some(-1));
        assert_eq!(parse_value("0x40001"), Some(0x40001));
        assert_eq!(parse_value("x"), None);
        assert_eq!(parse_value("99999999999"), None);
    }
}
