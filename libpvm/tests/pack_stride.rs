//! `Strided` against a direct reading of PVM's rule: item `i` of `pvm_pk*(p, n, s)` is
//! `p[i*s]`, and a slice must hold every item touched.

use proptest::prelude::*;
use pvm::error::PvmError;
use pvm::pack::Strided;

proptest! {
    #[test]
    fn indices_are_what_c_pointer_arithmetic_touches(
        n in -3i32..20,
        s in -6i32..6,
        len in 0usize..80,
    ) {
        let got = Strided::new(n, s, len);
        if n < 0 {
            prop_assert_eq!(got, Err(PvmError::BadParam));
            return Ok(());
        }
        // C offsets relative to p, then shifted so the lowest touched item is index 0.
        let offsets: Vec<i64> = (0..i64::from(n)).map(|i| i * i64::from(s)).collect();
        let lowest = offsets.iter().copied().min().unwrap_or(0);
        let want: Vec<usize> = offsets.iter().map(|o| (o - lowest) as usize).collect();
        let needed = want.iter().max().map_or(0, |m| m + 1);
        match got {
            Ok(st) => {
                prop_assert!(needed <= len);
                prop_assert_eq!(st.count(), n as usize);
                prop_assert_eq!(st.indices().collect::<Vec<_>>(), want);
                prop_assert_eq!(Strided::span(n, s), Ok((lowest as isize, needed)));
            }
            Err(e) => {
                prop_assert_eq!(e, PvmError::BadParam);
                prop_assert!(needed > len);
            }
        }
    }
}
