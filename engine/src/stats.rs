//! The association and keyness scores corpus tools report, from counts
//! alone, so that a test can recompute each one from a row's counts.
//!
//! - logDice (Rychlý 2008, Sketch Engine's default): 14 + log2(2·f(xy) / (f(x) + f(y)));
//!   at most 14, independent of the corpus size.
//! - MI: log2(f(xy)·N / (f(x)·f(y))).
//! - log-likelihood (Dunning 1993), G² of the 2×2 table of the counts.
//! - log ratio (Hardie 2014): log2 of the ratio of relative frequencies,
//!   with 0.5 for a zero count.
//! - DP (Gries 2008): how unevenly a unit spreads over parts of the corpus,
//!   0 when as expected from their sizes, near 1 when all in one small part.

/// logDice of a pair seen `together` times, of a node of `node` and a unit of `unit` occurrences.
pub fn log_dice(together: u64, node: u64, unit: u64) -> f64 {
    14.0 + (2.0 * together as f64 / (node + unit).max(1) as f64).log2()
}

/// Pointwise mutual information in a corpus of `size` positions.
pub fn mutual_information(together: u64, node: u64, unit: u64, size: u64) -> f64 {
    if together == 0 || node == 0 || unit == 0 {
        return 0.0;
    }
    (together as f64 * size as f64 / (node as f64 * unit as f64)).log2()
}

/// Dunning's G² of the 2×2 table: `a` of `a_size` against `b` of `b_size`
/// (a unit's count in two corpora, or a pair's count against the rest).
pub fn log_likelihood(a: u64, a_size: u64, b: u64, b_size: u64) -> f64 {
    let (a, b, a_size, b_size) = (a as f64, b as f64, a_size.max(1) as f64, b_size.max(1) as f64);
    let expected_a = a_size * (a + b) / (a_size + b_size);
    let expected_b = b_size * (a + b) / (a_size + b_size);
    let term = |observed: f64, expected: f64| if observed > 0.0 { observed * (observed / expected).ln() } else { 0.0 };
    // The two cells of the unit; the rest of each corpus complements them.
    let rest = |observed: f64, size: f64, expected: f64| term(size - observed, size - expected);
    2.0 * (term(a, expected_a) + term(b, expected_b) + rest(a, a_size, expected_a) + rest(b, b_size, expected_b))
}

/// log2 of `a / a_size` against `b / b_size`, a zero count taken as 0.5.
pub fn log_ratio(a: u64, a_size: u64, b: u64, b_size: u64) -> f64 {
    let share = |count: u64, size: u64| if count == 0 { 0.5 } else { count as f64 } / size.max(1) as f64;
    (share(a, a_size) / share(b, b_size)).log2()
}

/// Gries's DP of a unit over parts of the corpus: `parts` is each part's
/// size and the unit's count in it (parts without the unit included).
pub fn dispersion(parts: &[(u64, u64)]) -> f64 {
    let size: u64 = parts.iter().map(|p| p.0).sum();
    let count: u64 = parts.iter().map(|p| p.1).sum();
    if size == 0 || count == 0 {
        return 0.0;
    }
    let sum: f64 =
        parts.iter().map(|&(part, found)| (found as f64 / count as f64 - part as f64 / size as f64).abs()).sum();
    let smallest = parts.iter().map(|p| p.0).filter(|&p| p > 0).min().unwrap_or(size) as f64 / size as f64;
    // Normalized (Lijffijt & Gries 2012): 1 is the most uneven possible.
    (sum / 2.0 / (1.0 - smallest).max(f64::EPSILON)).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn scores_match_their_textbook_values() {
        // A unit always beside the node, as frequent as it: logDice's maximum.
        assert!(close(log_dice(10, 10, 10), 14.0));
        assert!(close(log_dice(1, 10, 10), 14.0 + (0.1f64).log2()));
        assert!(close(mutual_information(10, 100, 100, 10_000), (10.0f64).log2()));
        // Equal relative frequencies: nothing to tell.
        assert!(close(log_likelihood(10, 1000, 20, 2000), 0.0));
        assert!(close(log_ratio(10, 1000, 20, 2000), 0.0));
        assert!(close(log_ratio(20, 1000, 10, 1000), 1.0));
        // Dunning's own example figures, recomputed by hand: 2·Σ O·ln(O/E).
        let (a, b, n1, n2) = (110.0f64, 50.0f64, 1000.0f64, 1000.0f64);
        let e1 = n1 * (a + b) / (n1 + n2);
        let e2 = n2 * (a + b) / (n1 + n2);
        let by_hand = 2.0
            * (a * (a / e1).ln()
                + b * (b / e2).ln()
                + (n1 - a) * ((n1 - a) / (n1 - e1)).ln()
                + (n2 - b) * ((n2 - b) / (n2 - e2)).ln());
        assert!(close(log_likelihood(110, 1000, 50, 1000), by_hand));
    }

    #[test]
    fn dispersion_is_zero_when_even_and_one_when_in_one_small_part() {
        assert!(close(dispersion(&[(100, 10), (100, 10), (200, 20)]), 0.0));
        assert!(close(dispersion(&[(100, 30), (100, 0), (100, 0), (100, 0)]), 1.0));
        assert!(dispersion(&[(100, 20), (100, 10)]) > 0.0);
    }
}
