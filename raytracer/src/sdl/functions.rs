//! Built-in functions: maths, vectors, strings, `defined`, and the random streams.

use super::error::{Result, SdlError};

use super::parser::{PTok, Parser};
use super::value::Num;
use crate::desc::Transform;
use glam::DVec3;

/// Longest string a scene may build (stops runaway concatenation loops).
const MAX_STRING_LEN: usize = 1 << 20;

/// Functions that return a string.
const STRING_FUNCTIONS: [&str; 8] = [
    "str", "concat", "chr", "substr", "strupr", "strlwr", "vstr", "datetime",
];

/// True if `w` names a built-in returning a string.
pub(crate) fn is_string_function(w: &str) -> bool {
    STRING_FUNCTIONS.contains(&w)
}

impl Parser<'_> {
    /// Evaluates built-in numeric function `w` (its name already read), or returns
    /// None if `w` is not one.
    pub(crate) fn builtin(&mut self, w: &str, t: &PTok) -> Result<Option<Num>> {
        let unary = unary_math(w);
        if let Some(f) = unary {
            let a = self.args(1, t)?;
            let v = f(a[0].c[0]);
            return self.finite(w, v).map(|v| Some(Num::float(v)));
        }
        let r = match w {
            "atan2" | "pow" | "mod" | "div" | "bitwise_and" | "bitwise_or" | "bitwise_xor" => {
                let a = self.args(2, t)?;
                let (x, y) = (a[0].c[0], a[1].c[0]);
                if matches!(w, "mod" | "div") && y == 0.0 {
                    return Err(self.err_at(t, format!("{w}: division by zero")));
                }
                let v = match w {
                    "atan2" => x.atan2(y),
                    "pow" => x.powf(y),
                    "mod" => x % y,
                    "div" => (x / y).trunc(),
                    "bitwise_and" => ((x as i64) & (y as i64)) as f64,
                    "bitwise_or" => ((x as i64) | (y as i64)) as f64,
                    _ => ((x as i64) ^ (y as i64)) as f64,
                };
                Num::float(self.finite(w, v)?)
            }
            "min" | "max" => {
                let a = self.var_args(t)?;
                let fold = if w == "min" { f64::min } else { f64::max };
                Num::float(a.iter().map(|n| n.c[0]).fold(a[0].c[0], fold))
            }
            "select" => {
                let a = self.var_args(t)?;
                match a.len() {
                    3 => {
                        if a[0].c[0] < 0.0 {
                            a[1]
                        } else {
                            a[2]
                        }
                    }
                    4 => {
                        if a[0].c[0] < 0.0 {
                            a[1]
                        } else if a[0].c[0] == 0.0 {
                            a[2]
                        } else {
                            a[3]
                        }
                    }
                    _ => return Err(self.err_at(t, "select takes 3 or 4 arguments")),
                }
            }
            _ => return self.vector_builtin(w, t),
        };
        Ok(Some(r))
    }

    /// Vector built-ins (vlength, vnormalize, vdot, vcross, vrotate, vaxis_rotate).
    fn vector_builtin(&mut self, w: &str, t: &PTok) -> Result<Option<Num>> {
        let r = match w {
            "vlength" => Num::float(self.args(1, t)?[0].to_vec3().length()),
            "vnormalize" => {
                let v = self.args(1, t)?[0].to_vec3();
                let l = v.length();
                Num::vec3(if l > 0.0 { v / l } else { DVec3::ZERO })
            }
            "vdot" => {
                let a = self.args(2, t)?;
                Num::float(a[0].to_vec3().dot(a[1].to_vec3()))
            }
            "vcross" => {
                let a = self.args(2, t)?;
                Num::vec3(a[0].to_vec3().cross(a[1].to_vec3()))
            }
            "vrotate" => {
                let a = self.args(2, t)?;
                Num::vec3(Transform::rotate(a[1].to_vec3()).point(a[0].to_vec3()))
            }
            "vaxis_rotate" => {
                let a = self.args(3, t)?;
                let axis = a[1].to_vec3().try_normalize().unwrap_or(DVec3::Y);
                let m = glam::DMat3::from_axis_angle(axis, a[2].c[0].to_radians());
                Num::vec3(m * a[0].to_vec3())
            }
            "vturbulence" => {
                let a = self.args(4, t)?;
                let turb = crate::pattern::Turbulence {
                    amount: DVec3::ONE,
                    // POV-Ray clamps the octaves to 1..=10 (avoids domain errors).
                    octaves: a[2].c[0].clamp(1.0, 10.0) as u32,
                    omega: a[1].c[0],
                    lambda: a[0].c[0],
                };
                Num::vec3(crate::pattern::dturbulence(a[3].to_vec3(), &turb))
            }
            _ => return self.other_builtin(w, t),
        };
        Ok(Some(r))
    }

    /// Random streams, `defined`, string measures and array sizes.
    fn other_builtin(&mut self, w: &str, t: &PTok) -> Result<Option<Num>> {
        let r = match w {
            "seed" => {
                let a = self.args(1, t)?;
                Num::float(self.rand_streams.seed(a[0].c[0]) as f64)
            }
            "rand" => {
                let a = self.args(1, t)?;
                match self.rand_streams.next(a[0].c[0]) {
                    Some(v) => Num::float(v),
                    None => {
                        return Err(self.err_at(t, "rand: argument is not a stream made by seed()"))
                    }
                }
            }
            "defined" => {
                self.expect("(")?;
                let name = self.raw_ident("an identifier")?;
                let defined = self.is_defined(&name)?;
                self.expect(")")?;
                Num::float(f64::from(u8::from(defined)))
            }
            "strlen" | "val" | "asc" | "file_exists" => {
                self.expect("(")?;
                let s = self.string_expr()?;
                self.expect(")")?;
                Num::float(match w {
                    "strlen" => s.chars().count() as f64,
                    "val" => leading_float(&s),
                    "asc" => s.chars().next().map_or(0.0, |c| f64::from(u32::from(c))),
                    _ => f64::from(u8::from(self.user_file_exists(&s, t))),
                })
            }
            "strcmp" => {
                self.expect("(")?;
                let a = self.string_expr()?;
                self.expect(",")?;
                let b = self.string_expr()?;
                self.expect(")")?;
                Num::float(match a.cmp(&b) {
                    std::cmp::Ordering::Less => -1.0,
                    std::cmp::Ordering::Equal => 0.0,
                    std::cmp::Ordering::Greater => 1.0,
                })
            }
            "dimension_size" | "dimensions" => {
                Num::float(self.array_dimension_query(w == "dimension_size", t)?)
            }
            _ => return self.object_query(w, t),
        };
        Ok(Some(r))
    }

    fn finite(&self, name: &str, v: f64) -> Result<f64> {
        if v.is_nan() {
            return Err(self.err(format!("{name}: argument out of its domain")));
        }
        Ok(v)
    }

    /// `(a, b, ...)` with exactly `n` numeric arguments.
    fn args(&mut self, n: usize, t: &PTok) -> Result<Vec<Num>> {
        let a = self.var_args(t)?;
        if a.len() != n {
            let name = t.tok.describe();
            return Err(self.err_at(
                t,
                format!("{name} takes {n} argument(s) but {} were given", a.len()),
            ));
        }
        Ok(a)
    }

    /// `(a, b, ...)`: one or more numeric arguments.
    fn var_args(&mut self, _t: &PTok) -> Result<Vec<Num>> {
        self.expect("(")?;
        let mut out = vec![self.expr()?];
        while self.accept(",")? {
            out.push(self.expr()?);
        }
        self.expect(")")?;
        Ok(out)
    }

    /// Evaluates string function `w` (name already read), or None if it is not one.
    pub(crate) fn string_function(&mut self, w: &str) -> Result<Option<String>> {
        if !is_string_function(w) {
            return Ok(None);
        }
        self.expect("(")?;
        let s = match w {
            "str" => {
                let v = self.full_float()?;
                self.expect(",")?;
                let len = self.full_float()?;
                self.expect(",")?;
                let prec = self.full_float()?;
                format_float(v, len, prec)
            }
            "vstr" => {
                let n = self.full_float()? as usize;
                self.expect(",")?;
                let v = self.expr()?.promote(n.clamp(1, 5));
                self.expect(",")?;
                let sep = self.string_expr()?;
                self.expect(",")?;
                let len = self.full_float()?;
                self.expect(",")?;
                let prec = self.full_float()?;
                let parts: Vec<String> = v.c[..n.clamp(1, 5)]
                    .iter()
                    .map(|&c| format_float(c, len, prec))
                    .collect();
                parts.join(&sep)
            }
            "concat" => {
                let mut s = self.string_expr()?;
                while self.accept(",")? {
                    s.push_str(&self.string_expr()?);
                    if s.len() > MAX_STRING_LEN {
                        return Err(self.err(format!("string longer than {MAX_STRING_LEN} bytes")));
                    }
                }
                s
            }
            "chr" => {
                let n = self.full_float()?;
                char::from_u32(n as u32)
                    .map(String::from)
                    .unwrap_or_default()
            }
            "substr" => {
                let s = self.string_expr()?;
                self.expect(",")?;
                let p = self.full_float()?;
                self.expect(",")?;
                let l = self.full_float()?;
                let chars: Vec<char> = s.chars().collect();
                let start = (p.max(1.0) as usize - 1).min(chars.len());
                let end = (start + l.max(0.0) as usize).min(chars.len());
                chars[start..end].iter().collect()
            }
            "strupr" => self.string_expr()?.to_uppercase(),
            "strlwr" => self.string_expr()?.to_lowercase(),
            "datetime" => {
                let days = self.full_float()?;
                let format = if self.accept(",")? {
                    let here = self.here();
                    let f = self.string_expr()?;
                    if f.is_empty() {
                        return Err(SdlError::at(here, "empty format string in datetime"));
                    }
                    Some((here, f))
                } else {
                    None
                };
                match format {
                    Some((here, f)) => match datetime(days, &f) {
                        Some(s) => s,
                        None => {
                            return Err(SdlError::at(
                                here,
                                format!("invalid formatting code in datetime's format '{f}'"),
                            ))
                        }
                    },
                    None => datetime(days, DATETIME_FORMAT).unwrap_or_default(),
                }
            }
            other => return Err(self.err(format!("internal: string function '{other}'"))),
        };
        self.expect(")")?;
        Ok(Some(s))
    }
}

/// 2000-01-01 00:00 UTC, the epoch of `now` and `datetime`, in seconds since
/// the Unix epoch.
const Y2K: f64 = 946_684_800.0;
const SECONDS_PER_DAY: f64 = 86_400.0;

/// The current time as POV-Ray's `now` gives it: days (with their fraction)
/// since 2000-01-01 00:00 UTC.
pub fn days_since_2000() -> f64 {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    (unix - Y2K) / SECONDS_PER_DAY
}

/// `datetime`'s format when the scene gives none (POV-Ray's: UTC, ISO order).
const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%SZ";

/// POV-Ray's `datetime(days, format)`: the time `days` after 2000-01-01 00:00
/// UTC (rounded to the second), formatted by strftime's codes; None when the
/// format has a code strftime does not know or the time is out of range.
fn datetime(days: f64, format: &str) -> Option<String> {
    use std::fmt::Write as _;
    let seconds = (days * SECONDS_PER_DAY + Y2K + 0.5).floor();
    if !seconds.is_finite() || seconds.abs() > 1e15 {
        return None;
    }
    let time = chrono::DateTime::from_timestamp(seconds as i64, 0)?;
    let items = chrono::format::StrftimeItems::new(format);
    let mut out = String::new();
    write!(out, "{}", time.format_with_items(items)).ok()?;
    Some(out)
}

/// The one-argument maths functions.
fn unary_math(w: &str) -> Option<fn(f64) -> f64> {
    let f1 = |f: fn(f64) -> f64| Some(f);
    match w {
        "abs" => f1(f64::abs),
        "sin" => f1(f64::sin),
        "cos" => f1(f64::cos),
        "tan" => f1(f64::tan),
        "asin" => f1(f64::asin),
        "acos" => f1(f64::acos),
        "atan" => f1(f64::atan),
        "sinh" => f1(f64::sinh),
        "cosh" => f1(f64::cosh),
        "tanh" => f1(f64::tanh),
        "asinh" => f1(f64::asinh),
        "acosh" => f1(f64::acosh),
        "atanh" => f1(f64::atanh),
        "sqrt" => f1(f64::sqrt),
        "exp" => f1(f64::exp),
        "log" => f1(f64::log10),
        "ln" => f1(f64::ln),
        "int" => f1(f64::trunc),
        "floor" => f1(f64::floor),
        "ceil" => f1(f64::ceil),
        "radians" => f1(f64::to_radians),
        "degrees" => f1(f64::to_degrees),
        _ => None,
    }
}

/// POV-Ray's `str(value, length, precision)`: a negative length pads with zeros,
/// a negative precision means the default of 6 places.
fn format_float(v: f64, len: f64, prec: f64) -> String {
    let places = if prec < 0.0 {
        6
    } else {
        prec.min(20.0) as usize
    };
    let s = format!("{v:.places$}");
    let width = len.abs().min(100.0) as usize;
    if len < 0.0 {
        format!("{s:0>width$}")
    } else {
        format!("{s:>width$}")
    }
}

/// The float at the start of `s` (0 if none), as C's atof.
fn leading_float(s: &str) -> f64 {
    // No number is longer than this; bounding it keeps the scan cheap.
    let s: String = s.trim_start().chars().take(64).collect();
    let s = s.as_str();
    let mut end = 0;
    for (i, _) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        if s[..i].parse::<f64>().is_ok() {
            end = i;
        }
    }
    s[..end].parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_formats_like_pov() {
        assert_eq!(format_float(1.23456, 0.0, 2.0), "1.23");
        assert_eq!(format_float(5.0, -3.0, 0.0), "005");
        assert_eq!(format_float(2.5, 0.0, -1.0), "2.500000");
        assert_eq!(format_float(123.456, 8.0, 2.0), "  123.46");
        assert_eq!(leading_float(" 12.5abc"), 12.5);
        assert_eq!(leading_float("abc"), 0.0);
    }
}
