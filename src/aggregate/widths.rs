//! Choosing a time bucket width: the one place `count --every auto` and the report's
//! histogram pick from, so that both show the same round widths for the same span.

/// Round widths, in seconds, that `auto` chooses from.
const NICE: [i64; 18] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/// At most this many buckets over the span.
pub const MAX_BUCKETS: i64 = 150;

/// The smallest round width that is a multiple of `base` (the width the counts were
/// taken at, in seconds, ≥ 1) and splits `span` seconds into at most [`MAX_BUCKETS`]
/// buckets; past a day, a day doubled until it does.
pub fn auto_width(base: i64, span: i64) -> i64 {
    let base = base.max(1);
    let fits = |w: i64| span / w <= MAX_BUCKETS;
    NICE.iter()
        .map(|&w| w.max(base).div_euclid(base) * base)
        .find(|&w| fits(w))
        .unwrap_or_else(|| {
            let mut w = 86400i64.max(base).div_euclid(base) * base;
            while !fits(w) {
                w *= 2;
            }
            w
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(auto_width(1, 0), 1);
        assert_eq!(auto_width(1, 150), 1);
        assert_eq!(auto_width(1, 151), 2);
        assert_eq!(auto_width(1, 3600), 30);
        assert_eq!(auto_width(60, 60), 60);
        assert_eq!(auto_width(60, 24 * 3600), 600);
        assert_eq!(auto_width(60, 150 * 60), 60);
        assert_eq!(auto_width(120, 3600), 120);
        assert_eq!(auto_width(60, 10 * 86400), 7200);
        assert_eq!(auto_width(60, 400 * 86400), 4 * 86400);
        // Always a multiple of the base.
        assert_eq!(auto_width(7, 3600), 28);
        for span in [0, 59, 3600, 86400 * 3, 86400 * 900] {
            for base in [1, 7, 60, 120, 3600] {
                let w = auto_width(base, span);
                assert!(
                    w % base == 0 && span / w <= MAX_BUCKETS,
                    "{base} {span} {w}"
                );
            }
        }
    }
}
