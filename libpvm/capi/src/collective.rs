//! Collective group calls: pvm_reduce, pvm_gather, pvm_scatter, and the predefined
//! reduction functions PvmMax, PvmMin, PvmSum and PvmProduct.
//!
//! The work is libpvm's ([`pvm::Pvm::reduce`] and friends); this module only turns C
//! arrays into slices of the type the `PVM_*` code names. The reduction functions have
//! PVM's C signature, so a program may pass them or its own function of that shape to
//! `pvm_reduce`, and may also call them directly.

use std::ffi::{c_char, c_int, c_void};

use pvm::pack::{Complex32, Complex64, Scalar};
use pvm::PvmError;

use crate::groups::group_name;
use crate::{global, guard};

/// PVM's reduction function type: `void f(int *datatype, void *x, void *y, int *num,
/// int *info)`, folding `y` into `x` element-wise and setting `*info` (`< 0`: failed).
pub type ReduceFn =
    unsafe extern "C" fn(*mut c_int, *mut c_void, *mut c_void, *mut c_int, *mut c_int);

/// A C array argument of `n` items as a slice; NULL is only allowed when it is empty.
///
/// # Safety
/// `p` is NULL or points to `n` readable items of `T` that live for `'a`.
unsafe fn items<'a, T>(p: *const c_void, n: usize) -> Result<&'a [T], PvmError> {
    if n == 0 {
        return Ok(&[]);
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: non-NULL, `n` items of `T` by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p.cast::<T>(), n) })
}

/// The writable twin of [`items`].
///
/// # Safety
/// `p` is NULL or points to `n` writable items of `T`, not aliased, living for `'a`.
unsafe fn items_mut<'a, T>(p: *mut c_void, n: usize) -> Result<&'a mut [T], PvmError> {
    if n == 0 {
        return Ok(&mut []);
    }
    if p.is_null() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: non-NULL, `n` writable items of `T` by the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(p.cast::<T>(), n) })
}

fn count(count: c_int) -> Result<usize, PvmError> {
    usize::try_from(count).map_err(|_| PvmError::BadParam)
}

/// Whether this task is the group's root instance (gather and scatter only touch the
/// big array there, so only there may it be made a slice).
fn is_root(group: &str, root: c_int) -> Result<bool, PvmError> {
    let pvm = global();
    Ok(pvm.getinst(group, pvm.mytid()?)? == root)
}

/// The length of the root's big array: `n` items per member.
fn per_member(group: &str, n: usize) -> Result<usize, PvmError> {
    let size = usize::try_from(global().gsize(group)?).map_err(|_| PvmError::SysErr)?;
    n.checked_mul(size).ok_or(PvmError::BadParam)
}

/// # Safety
/// `data` holds `n` writable items of `T`; `func` has PVM's reduction signature.
#[allow(clippy::too_many_arguments)]
unsafe fn reduce_as<T: Scalar>(
    func: ReduceFn,
    data: *mut c_void,
    n: usize,
    datatype: c_int,
    tag: c_int,
    group: &str,
    root: c_int,
) -> Result<(), PvmError> {
    // SAFETY: the caller's contract.
    let data = unsafe { items_mut::<T>(data, n) }?;
    let num = c_int::try_from(n).map_err(|_| PvmError::BadParam)?;
    let op = |acc: &mut [T], other: &[T]| {
        // The function may write through `y`, so it gets a copy of its own.
        let mut y = other.to_vec();
        let (mut dt, mut num, mut info) = (datatype, num, 0);
        // SAFETY: `func` is a reduction function by the caller's contract; `acc` and
        // `y` are `num` items of the type `dt` names, the others point to locals.
        unsafe {
            func(
                &mut dt,
                acc.as_mut_ptr().cast(),
                y.as_mut_ptr().cast(),
                &mut num,
                &mut info,
            )
        };
        match info {
            0.. => Ok(()),
            code => Err(PvmError::from_code(code).unwrap_or(PvmError::SysErr)),
        }
    };
    global().reduce(op, data, tag, group, root)
}

/// `pvm_reduce`: combines every member's `data` with `func`; the result is left in the
/// root instance's `data`.
///
/// # Safety
/// `data` holds `count` writable items of the type `datatype` names; `group` is NULL or
/// a C string; `func` is NULL or a function of PVM's reduction signature.
#[no_mangle]
pub unsafe extern "C" fn pvm_reduce(
    func: Option<ReduceFn>,
    data: *mut c_void,
    count: c_int,
    datatype: c_int,
    msgtag: c_int,
    group: *const c_char,
    rootginst: c_int,
) -> c_int {
    guard("pvm_reduce", || {
        let func = func.ok_or(PvmError::BadParam)?;
        // SAFETY: caller's contract.
        let group = unsafe { group_name(group) }?;
        let n = self::count(count)?;
        if datatype == 0 {
            return Err(PvmError::BadParam);
        }
        // SAFETY: forwarded caller's contract.
        unsafe { by_type!(datatype, reduce_as, func, data, n, datatype, msgtag, &group, rootginst) }
            .map(|_| 0)
    })
}

/// # Safety
/// As [`pvm_gather`], with `T` the type `datatype` names.
unsafe fn gather_as<T: Scalar>(
    result: *mut c_void,
    data: *const c_void,
    n: usize,
    tag: c_int,
    group: &str,
    root: c_int,
) -> Result<(), PvmError> {
    // SAFETY: the caller's contract.
    let data = unsafe { items::<T>(data, n) }?;
    let out = if is_root(group, root)? {
        let len = per_member(group, n)?;
        // SAFETY: at the root `result` holds `count * gsize` items by contract.
        Some(unsafe { items_mut::<T>(result, len) }?)
    } else {
        None
    };
    global().gather(out, data, tag, group, root)
}

/// `pvm_gather`: the root instance receives every member's `count` items into
/// `result`, in instance order.
///
/// # Safety
/// `data` holds `count` items of the type `datatype` names; at the root `result` is
/// writable for `count * gsize` of them (elsewhere it is not used); `group` is NULL or
/// a C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_gather(
    result: *mut c_void,
    data: *const c_void,
    count: c_int,
    datatype: c_int,
    msgtag: c_int,
    group: *const c_char,
    rootginst: c_int,
) -> c_int {
    guard("pvm_gather", || {
        // SAFETY: caller's contract.
        let group = unsafe { group_name(group) }?;
        let n = self::count(count)?;
        // SAFETY: forwarded caller's contract.
        unsafe { by_type!(datatype, gather_as, result, data, n, msgtag, &group, rootginst) }
            .map(|_| 0)
    })
}

/// # Safety
/// As [`pvm_scatter`], with `T` the type `datatype` names.
unsafe fn scatter_as<T: Scalar>(
    result: *mut c_void,
    data: *const c_void,
    n: usize,
    tag: c_int,
    group: &str,
    root: c_int,
) -> Result<(), PvmError> {
    // SAFETY: the caller's contract.
    let result = unsafe { items_mut::<T>(result, n) }?;
    let data = if is_root(group, root)? {
        let len = per_member(group, n)?;
        // SAFETY: at the root `data` holds `count * gsize` items by contract.
        Some(unsafe { items::<T>(data, len) }?)
    } else {
        None
    };
    global().scatter(result, data, tag, group, root)
}

/// `pvm_scatter`: the root instance sends the `i`-th run of `count` items of `data` to
/// instance `i`; every member receives its run in `result`.
///
/// # Safety
/// `result` is writable for `count` items of the type `datatype` names; at the root
/// `data` holds `count * gsize` of them (elsewhere it is not used); `group` is NULL or a
/// C string.
#[no_mangle]
pub unsafe extern "C" fn pvm_scatter(
    result: *mut c_void,
    data: *const c_void,
    count: c_int,
    datatype: c_int,
    msgtag: c_int,
    group: *const c_char,
    rootginst: c_int,
) -> c_int {
    guard("pvm_scatter", || {
        // SAFETY: caller's contract.
        let group = unsafe { group_name(group) }?;
        let n = self::count(count)?;
        // SAFETY: forwarded caller's contract.
        unsafe { by_type!(datatype, scatter_as, result, data, n, msgtag, &group, rootginst) }
            .map(|_| 0)
    })
}

/// The predefined reductions.
#[derive(Clone, Copy)]
enum Op {
    Max,
    Min,
    Sum,
    Product,
}

/// Element arithmetic for the predefined reductions. Integers wrap on overflow, as C's
/// unsigned arithmetic does (and as signed arithmetic does in practice).
trait Element: Scalar {
    /// `a op b`, or `None` when the type has no such operation (complex numbers are
    /// not ordered).
    fn combine(a: Self, b: Self, op: Op) -> Option<Self>;
}

macro_rules! integer_element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            fn combine(a: Self, b: Self, op: Op) -> Option<Self> {
                Some(match op {
                    Op::Max => a.max(b),
                    Op::Min => a.min(b),
                    Op::Sum => a.wrapping_add(b),
                    Op::Product => a.wrapping_mul(b),
                })
            }
        }
    )*};
}
integer_element!(i8, i16, i32, i64, u16, u32, u64);

macro_rules! float_element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            fn combine(a: Self, b: Self, op: Op) -> Option<Self> {
                // C's `a > b ? a : b`: keeps `a` when either is NaN.
                Some(match op {
                    Op::Max => if b > a { b } else { a },
                    Op::Min => if b < a { b } else { a },
                    Op::Sum => a + b,
                    Op::Product => a * b,
                })
            }
        }
    )*};
}
float_element!(f32, f64);

macro_rules! complex_element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            fn combine(a: Self, b: Self, op: Op) -> Option<Self> {
                match op {
                    Op::Max | Op::Min => None,
                    Op::Sum => Some(Self { re: a.re + b.re, im: a.im + b.im }),
                    Op::Product => Some(Self {
                        re: a.re * b.re - a.im * b.im,
                        im: a.re * b.im + a.im * b.re,
                    }),
                }
            }
        }
    )*};
}
complex_element!(Complex32, Complex64);

/// Folds `y` into `x` element-wise.
///
/// # Safety
/// `x` and `y` hold `n` items of `T` (`x` writable).
unsafe fn fold<T: Element>(
    op: Op,
    x: *mut c_void,
    y: *const c_void,
    n: usize,
) -> Result<(), PvmError> {
    // Checked before anything is written so an unsupported type leaves `x` alone.
    if T::combine(T::default(), T::default(), op).is_none() {
        return Err(PvmError::BadParam);
    }
    // SAFETY: the caller's contract; `y` is only read, and copied first in case the
    // caller passed the same array twice.
    let y = unsafe { items::<T>(y, n) }?.to_vec();
    // SAFETY: the caller's contract.
    let x = unsafe { items_mut::<T>(x, n) }?;
    for (a, &b) in x.iter_mut().zip(&y) {
        *a = T::combine(*a, b, op).ok_or(PvmError::BadParam)?;
    }
    Ok(())
}

/// The body of the four predefined reductions: checks the pointers, folds, and stores
/// the outcome in `*info`.
///
/// # Safety
/// Each pointer is NULL or valid as PVM's reduction signature describes.
unsafe fn predefined(
    op: Op,
    datatype: *mut c_int,
    x: *mut c_void,
    y: *mut c_void,
    num: *mut c_int,
    info: *mut c_int,
) {
    let outcome = (|| {
        if datatype.is_null() || num.is_null() {
            return Err(PvmError::BadParam);
        }
        // SAFETY: non-NULL ints by the caller's contract.
        let (dt, num) = unsafe { (*datatype, *num) };
        let n = count(num)?;
        if dt == 0 {
            return Err(PvmError::BadParam);
        }
        // SAFETY: forwarded caller's contract.
        unsafe { by_type!(dt, fold, op, x, y, n) }
    })();
    if !info.is_null() {
        // SAFETY: non-NULL and writable by contract.
        unsafe { *info = outcome.map_or_else(|e| e.code(), |_| 0) };
    }
}

macro_rules! reduction_fn {
    ($name:ident, $op:expr, $what:literal) => {
        #[doc = concat!("`", stringify!($name), "`: ", $what, " for `pvm_reduce`.")]
        ///
        /// # Safety
        /// Each pointer is NULL or valid as PVM's reduction signature describes.
        #[no_mangle]
        pub unsafe extern "C" fn $name(
            datatype: *mut c_int,
            x: *mut c_void,
            y: *mut c_void,
            num: *mut c_int,
            info: *mut c_int,
        ) {
            // SAFETY: forwarded caller's contract.
            unsafe { predefined($op, datatype, x, y, num, info) }
        }
    };
}

reduction_fn!(PvmMax, Op::Max, "element-wise maximum");
reduction_fn!(PvmMin, Op::Min, "element-wise minimum");
reduction_fn!(PvmSum, Op::Sum, "element-wise sum");
reduction_fn!(PvmProduct, Op::Product, "element-wise product");
