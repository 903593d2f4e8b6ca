//! A mergeable summary of a numeric field: exact count, min, max and sum, and
//! quantiles from log-spaced buckets (DDSketch-like) with a relative error of at most
//! 1% — for p50/p95/p99 of a value v, the answer lies within v·(1 ± 0.01).
//!
//! Merging adds bucket counts, so it is associative and commutative and the result does
//! not depend on thread count or chunking. The sum is kept in exact fixed point (10⁻⁹
//! units, i128) for the same reason: float addition depends on order.

use std::collections::BTreeMap;

/// Relative accuracy α; buckets grow by γ = (1+α)/(1−α).
const ALPHA: f64 = 0.01;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sketch {
    count: u64,
    min: f64,
    max: f64,
    /// Σ value in units of 10⁻⁹.
    sum_nano: i128,
    zeros: u64,
    pos: BTreeMap<i32, u64>,
    neg: BTreeMap<i32, u64>,
}

fn gamma_ln() -> f64 {
    ((1.0 + ALPHA) / (1.0 - ALPHA)).ln()
}

fn bucket(v: f64) -> i32 {
    (v.ln() / gamma_ln()).ceil() as i32
}

fn bucket_value(i: i32) -> f64 {
    // The bucket (γ^(i−1), γ^i] is represented by 2γ^i/(γ+1): within α of any member.
    let g = gamma_ln().exp();
    2.0 * (i as f64 * gamma_ln()).exp() / (g + 1.0)
}

impl Sketch {
    pub fn add(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        if self.count == 0 {
            self.min = v;
            self.max = v;
        } else {
            self.min = self.min.min(v);
            self.max = self.max.max(v);
        }
        self.count += 1;
        self.sum_nano += (v * 1e9).round() as i128;
        if v.abs() < 1e-9 {
            self.zeros += 1;
        } else if v > 0.0 {
            *self.pos.entry(bucket(v)).or_default() += 1;
        } else {
            *self.neg.entry(bucket(-v)).or_default() += 1;
        }
    }

    pub fn merge(&mut self, o: &Sketch) {
        if o.count == 0 {
            return;
        }
        if self.count == 0 {
            *self = o.clone();
            return;
        }
        self.count += o.count;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.sum_nano += o.sum_nano;
        self.zeros += o.zeros;
        for (k, v) in &o.pos {
            *self.pos.entry(*k).or_default() += v;
        }
        for (k, v) in &o.neg {
            *self.neg.entry(*k).or_default() += v;
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn min(&self) -> Option<f64> {
        (self.count > 0).then_some(self.min)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum_nano as f64 / 1e9 / self.count as f64)
    }

    /// The q-quantile (0–1), nearest rank, within 1% relative error; clamped to
    /// [min, max].
    pub fn quantile(&self, q: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = (q.clamp(0.0, 1.0) * (self.count - 1) as f64).round() as u64;
        let mut seen = 0u64;
        let mut found = None;
        for (&i, &n) in self.neg.iter().rev() {
            seen += n;
            if seen > rank {
                found = Some(-bucket_value(i));
                break;
            }
        }
        if found.is_none() {
            seen += self.zeros;
            if seen > rank {
                found = Some(0.0);
            }
        }
        if found.is_none() {
            for (&i, &n) in &self.pos {
                seen += n;
                if seen > rank {
                    found = Some(bucket_value(i));
                    break;
                }
            }
        }
        found.map(|v| v.clamp(self.min, self.max))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quantiles_within_one_percent() {
        let mut s = Sketch::default();
        for i in 1..=10_000 {
            s.add(i as f64);
        }
        for (q, exact) in [(0.5, 5000.0), (0.95, 9500.0), (0.99, 9900.0)] {
            let got = s.quantile(q).unwrap();
            assert!(
                (got - exact).abs() / exact <= 0.0101,
                "q{q}: {got} vs {exact}"
            );
        }
        assert_eq!(s.min(), Some(1.0));
        assert_eq!(s.max(), Some(10_000.0));
        assert_eq!(s.mean(), Some(5000.5));
    }

    #[test]
    fn negatives_and_zero() {
        let mut s = Sketch::default();
        for v in [-5.0, 0.0, 0.0, 5.0, 10.0] {
            s.add(v);
        }
        assert_eq!(s.quantile(0.5), Some(0.0));
        assert!((s.quantile(0.0).unwrap() + 5.0).abs() < 0.06);
    }

    proptest! {
        #[test]
        fn merge_is_order_free(a in proptest::collection::vec(-1e6f64..1e6, 0..200),
                               b in proptest::collection::vec(-1e6f64..1e6, 0..200)) {
            let mut x = Sketch::default();
            let mut y = Sketch::default();
            a.iter().for_each(|v| x.add(*v));
            b.iter().for_each(|v| y.add(*v));
            let mut xy = x.clone();
            xy.merge(&y);
            let mut yx = y.clone();
            yx.merge(&x);
            prop_assert_eq!(&xy, &yx);
            let mut all = Sketch::default();
            a.iter().chain(&b).for_each(|v| all.add(*v));
            prop_assert_eq!(xy, all);
        }
    }
}
