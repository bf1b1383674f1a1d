//! POV-Ray's term order for polynomial coefficients: x's power descending, then y's,
//! then z's (`x^4, x^3 y, x^3 z, x^3, x^2 y^2, ...` for a quartic). `poly` lists its
//! coefficients in this order; `polynomial` names terms by exponents, and the parser
//! files each into its place.

/// The highest polynomial order POV-Ray 3.7 accepts (its `MAX_ORDER`).
pub const MAX_POLY_ORDER: usize = 35;

/// How many terms a polynomial of this order has.
pub fn term_count(order: usize) -> usize {
    (order + 1) * (order + 2) * (order + 3) / 6
}

/// Where the coefficient of `x^i y^j z^k` sits; `None` when the term's degree exceeds
/// `order`.
pub fn term_index(order: usize, i: usize, j: usize, k: usize) -> Option<usize> {
    if i.checked_add(j)?.checked_add(k)? > order {
        return None;
    }
    // The terms of higher x powers fill a tetrahedron, those of higher y powers within
    // x^i's block a triangle, and z's place follows.
    let a = order - i;
    let b = order - i - j;
    Some((a + 2) * (a + 1) * a / 6 + (b + 1) * b / 2 + (b - k))
}

/// The exponents `(i, j, k)` of every term of an order, in term order.
pub fn exponents(order: usize) -> impl Iterator<Item = (usize, usize, usize)> {
    (0..=order).rev().flat_map(move |i| {
        (0..=order - i)
            .rev()
            .flat_map(move |j| (0..=order - i - j).rev().map(move |k| (i, j, k)))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn term_order_matches_the_index_formula() {
        for order in 1..=MAX_POLY_ORDER {
            let all: Vec<_> = exponents(order).collect();
            assert_eq!(all.len(), term_count(order));
            for (n, &(i, j, k)) in all.iter().enumerate() {
                assert_eq!(term_index(order, i, j, k), Some(n), "order {order}");
            }
        }
        // The quartic's documented layout: x^4 first, x^3 y next, y^4 at 20, constant last.
        assert_eq!(term_index(4, 4, 0, 0), Some(0));
        assert_eq!(term_index(4, 3, 1, 0), Some(1));
        assert_eq!(term_index(4, 0, 4, 0), Some(20));
        assert_eq!(term_index(4, 0, 0, 0), Some(34));
        assert_eq!(term_index(4, 3, 1, 1), None);
        assert_eq!(term_index(4, usize::MAX, 1, 0), None);
    }
}
