//! Sort keys: an `f32` as an unsigned integer whose order is the one wanted, so that a
//! sort or a selection over many candidates compares integers packed with their other
//! fields instead of calling a comparison closure on every pair. In: a float. Out: its
//! key and back, bit for bit. Never changes an order: a key sorts exactly as
//! `f32::total_cmp` puts the floats, most first.

/// The key of `value` that sorts the largest first, in `f32::total_cmp`'s order.
pub(super) fn descending(value: f32) -> u32 {
    !total_order_bits(value.to_bits())
}

/// The float of a [`descending`] key, bit for bit.
pub(super) fn from_descending(key: u32) -> f32 {
    let signed_order = !key ^ SIGN_BIT;
    f32::from_bits(signed_order ^ negative_rest(signed_order))
}

const SIGN_BIT: u32 = 0x8000_0000;

/// `f32::total_cmp`'s order as an unsigned integer's: total_cmp compares the bits as a
/// signed integer with a negative's other bits flipped; flipping the sign bit too makes
/// that the unsigned order.
fn total_order_bits(bits: u32) -> u32 {
    bits ^ negative_rest(bits) ^ SIGN_BIT
}

/// All bits but the sign for a negative, none for a positive.
fn negative_rest(bits: u32) -> u32 {
    ((bits as i32 >> 31) as u32) >> 1
}

/// Floats at the edges of the order (zeros of both signs, infinities, subnormals, NaNs of
/// both signs), for the tests of keys built from them.
#[cfg(test)]
pub(super) const EDGE_VALUES: [f32; 13] = [
    0.0,
    -0.0,
    1.5,
    -1.5,
    0.25,
    f32::MAX,
    f32::MIN,
    f32::INFINITY,
    f32::NEG_INFINITY,
    1e-40,
    -1e-40,
    f32::NAN,
    -f32::NAN,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_most_first_as_total_cmp_and_give_their_float_back() {
        for a in EDGE_VALUES {
            for b in EDGE_VALUES {
                assert_eq!(descending(a).cmp(&descending(b)), b.total_cmp(&a), "{a} / {b}");
            }
            assert_eq!(from_descending(descending(a)).to_bits(), a.to_bits());
        }
    }
}
