//! The expected count of each bucket, learnt online: a rate of traffic times the
//! bucket's records, and an over-dispersion κ for the variance μ + κμ².
//!
//! A rate rather than a count, because traffic swings 2–4× over a day and errors swing
//! with it; a count baseline calls every morning ramp a spike. EWMAs rather than a
//! rolling median, because they need O(1) state per series, adapt to slow drift and are
//! exact to replay after a frozen stretch.

use super::score::z;

/// The warm start looks at this many buckets (the first ones that have records).
const WARM_BUCKETS: usize = 60;
/// κ's warm start looks further: dispersion needs more data than a mean.
const WARM_KAPPA_BUCKETS: usize = 240;
/// Rounds of "drop the buckets that look like an incident, re-estimate".
const WARM_ROUNDS: usize = 4;
/// The first warm-up pass drops buckets scoring this much (Poisson): incidents only.
const WARM_GROSS_Z: f64 = 5.0;
/// A warm-up bucket is kept for the estimate while its score is below this.
const WARM_KEEP_Z: f64 = 3.0;
/// The warm-up median is a stable estimate only when a typical bucket has this many.
const WARM_MEDIAN_MIN: f64 = 5.0;
/// A bucket enters the rate EWMA at most this many standard deviations above μ (plus
/// one), so a burst too small to open a spike cannot drag the baseline up.
const WINSOR_SD: f64 = 4.0;
/// A cap on κ: at κ = 2 a bucket's standard deviation is already about 1.4μ, and more
/// would let any burst pass as normal.
const KAPPA_MAX: f64 = 2.0;
/// κ is learnt only as fast as the data can tell it: its denominator (the mean of μ²)
/// carries this much prior weight for κ = 0. On a series of a few errors a minute the
/// prior is negligible; on a template seen once in five minutes (μ² = 0.04) the moment
/// estimate swings by ±0.4 on noise alone, and a few buckets of a real rise would make
/// it huge and hide that rise — the prior shrinks it to what such a series can support.
const KAPPA_PRIOR_MU2: f64 = 1.0;
/// Pseudo-count: half an error per effective EWMA window keeps μ above zero after a
/// silent stretch, so the first error after a quiet night is not infinitely surprising.
const PRIOR_ERRORS: f64 = 0.5;

/// Weight of the newest bucket in the error and record EWMAs (the rate): a half-life of
/// 60 buckets, α = 1 − 2^(−1/60). Written out because `powf` is not `const` and `mu`
/// runs in the innermost loop; a test checks it against the formula.
const RATE_ALPHA: f64 = 0.011_485_979_647_103_85;
/// The same for κ's moment EWMAs, half-life 240: dispersion needs more data than a mean.
const KAPPA_ALPHA: f64 = 0.002_883_946_665_410_808;

/// The baseline of one series at one point in time. `Copy`, so the detector can keep the
/// state before every bucket and rewind to it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Baseline {
    /// EWMA of winsorised counts.
    errors: f64,
    /// EWMA of records (the exposure).
    records: f64,
    /// EWMA of (y − μ)² − y: the variance beyond Poisson.
    k_num: f64,
    /// EWMA of μ².
    k_den: f64,
}

impl Baseline {
    /// The baseline at the start of a series, robust to an incident in its first minutes:
    /// from the first [`WARM_BUCKETS`] buckets with records, the median rate (or the
    /// pooled rate when counts are too small for a median), then rounds that drop every
    /// bucket scoring z ≥ 3 against the current estimate and re-pool the rest. An
    /// incident covering less than about half the warm-up ends up excluded.
    ///
    /// κ is estimated the same way over the first [`WARM_KAPPA_BUCKETS`]: a dispersion
    /// from 60 buckets of a few errors each is mostly noise (measured: a third of the
    /// true κ on bursty nights), and an underestimated κ is a false spike in the morning.
    pub(super) fn warm(y: &[u64], n: &[u64]) -> Baseline {
        let wide: Vec<usize> = (0..y.len())
            .filter(|&t| n[t] > 0)
            .take(WARM_KAPPA_BUCKETS)
            .collect();
        let idx = &wide[..wide.len().min(WARM_BUCKETS)];
        if idx.is_empty() {
            return Baseline {
                errors: 0.0,
                records: 0.0,
                k_num: 0.0,
                k_den: 0.0,
            };
        }
        let mut counts: Vec<f64> = idx.iter().map(|&t| y[t] as f64).collect();
        counts.sort_by(f64::total_cmp);
        let mut rate = if median(&counts) >= WARM_MEDIAN_MIN {
            let mut rates: Vec<f64> = idx.iter().map(|&t| y[t] as f64 / n[t] as f64).collect();
            rates.sort_by(f64::total_cmp);
            median(&rates)
        } else {
            pooled(idx, y, n)
        };
        let below = |set: &[usize], rate: f64, kappa: f64, limit: f64| -> Vec<usize> {
            set.iter()
                .copied()
                .filter(|&t| z(y[t] as f64, rate * n[t] as f64, kappa) < limit)
                .collect()
        };
        // A first pass without κ removes only gross outliers (an incident), so the κ
        // estimated from the rest sees the series' real spread; then the rounds trim at
        // z ≥ 3 with that κ, which cuts off almost nothing of a calm series' own tail.
        let mut kept = below(idx, rate, 0.0, WARM_GROSS_Z);
        if kept.is_empty() {
            kept = idx.to_vec();
        }
        rate = pooled(&kept, y, n);
        let mut kappa = moment_kappa(&below(&wide, rate, 0.0, WARM_GROSS_Z), y, n, rate);
        for _ in 0..WARM_ROUNDS {
            let keep = below(idx, rate, kappa, WARM_KEEP_Z);
            if keep.is_empty() {
                break;
            }
            rate = pooled(&keep, y, n);
            kappa = moment_kappa(&below(&wide, rate, kappa, WARM_KEEP_Z), y, n, rate);
            kept = keep;
        }
        let m = kept.len() as f64;
        let records = kept.iter().map(|&t| n[t] as f64).sum::<f64>() / m;
        let k_den = kept
            .iter()
            .map(|&t| (rate * n[t] as f64).powi(2))
            .sum::<f64>()
            / m;
        Baseline {
            // Less the prior that `rate` adds back.
            errors: (rate * records - PRIOR_ERRORS * RATE_ALPHA).max(0.0),
            records,
            k_num: kappa * (k_den + KAPPA_PRIOR_MU2),
            k_den,
        }
    }

    /// The baseline rate: errors per record.
    pub(super) fn rate(&self) -> f64 {
        if self.records > 0.0 {
            (self.errors + PRIOR_ERRORS * RATE_ALPHA) / self.records
        } else {
            0.0
        }
    }

    /// Expected count of a bucket with `n` records.
    pub(super) fn mu(&self, n: u64) -> f64 {
        self.rate() * n as f64
    }

    /// Over-dispersion as estimated on this series: Var = μ + κμ².
    pub(super) fn kappa(&self) -> f64 {
        (self.k_num / (self.k_den + KAPPA_PRIOR_MU2)).clamp(0.0, KAPPA_MAX)
    }

    /// Learns from one bucket, winsorised with over-dispersion `kappa` (this series'
    /// own, or more when the caller knows better). A bucket without records says nothing
    /// about a rate and is skipped (it would also decay both EWMAs towards zero over a
    /// long silence).
    pub(super) fn update(&mut self, y: u64, n: u64, kappa: f64) {
        if n == 0 {
            return;
        }
        let mu = self.mu(n);
        let var = mu + kappa * mu * mu;
        let yw = (y as f64).min(mu + WINSOR_SD * var.sqrt() + 1.0);
        let a = RATE_ALPHA;
        self.errors += a * (yw - self.errors);
        self.records += a * (n as f64 - self.records);
        let k = KAPPA_ALPHA;
        self.k_num += k * ((yw - mu).powi(2) - yw - self.k_num);
        self.k_den += k * (mu * mu - self.k_den);
    }
}

/// Median of sorted values.
fn median(sorted: &[f64]) -> f64 {
    let m = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[m]
    } else {
        (sorted[m - 1] + sorted[m]) / 2.0
    }
}

/// Σy/Σn over the buckets, with half an error of prior so a warm-up without errors
/// still expects a little.
fn pooled(idx: &[usize], y: &[u64], n: &[u64]) -> f64 {
    let sy: f64 = idx.iter().map(|&t| y[t] as f64).sum();
    let sn: f64 = idx.iter().map(|&t| n[t] as f64).sum();
    (sy + PRIOR_ERRORS) / sn
}

/// Method-of-moments κ: Σ[(y−μ)² − y] / Σμ², floored at 0.
fn moment_kappa(idx: &[usize], y: &[u64], n: &[u64], rate: f64) -> f64 {
    if idx.is_empty() {
        return 0.0;
    }
    let mut num = 0.0;
    let mut den = 0.0;
    for &t in idx {
        let mu = rate * n[t] as f64;
        let yt = y[t] as f64;
        num += (yt - mu).powi(2) - yt;
        den += mu * mu;
    }
    let m = idx.len() as f64;
    (num / (den + KAPPA_PRIOR_MU2 * m)).clamp(0.0, KAPPA_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ewma_weights_match_their_half_lives() {
        assert_eq!(RATE_ALPHA, 1.0 - 0.5f64.powf(1.0 / 60.0));
        assert_eq!(KAPPA_ALPHA, 1.0 - 0.5f64.powf(1.0 / 240.0));
    }

    #[test]
    fn warm_start_ignores_an_early_incident() {
        // 60 buckets of 100 records at 5% errors, the first 5 at 20x.
        let n = vec![100u64; 60];
        let mut y = vec![5u64; 60];
        for v in &mut y[..5] {
            *v = 100;
        }
        let b = Baseline::warm(&y, &n);
        assert!((b.mu(100) - 5.0).abs() < 0.05, "{}", b.mu(100));
    }

    #[test]
    fn warm_start_on_sparse_and_empty_series() {
        let b = Baseline::warm(&[], &[]);
        assert_eq!(b.mu(100), 0.0);
        let b = Baseline::warm(&[0, 0, 0], &[0, 0, 0]);
        assert_eq!(b.mu(100), 0.0);
        // No errors: a little expected (the prior), never zero.
        let b = Baseline::warm(&[0; 60], &[50; 60]);
        assert!(b.mu(50) > 0.0 && b.mu(50) < 0.05);
        // One bucket.
        let b = Baseline::warm(&[3], &[10]);
        assert!((b.mu(10) - 3.5).abs() < 1e-9);
    }

    #[test]
    fn rate_follows_traffic_and_winsorises() {
        let mut b = Baseline::warm(&[10; 60], &[1000; 60]);
        // Traffic triples: the expected count triples, the rate does not move.
        assert!((b.mu(3000) / b.mu(1000) - 3.0).abs() < 1e-9);
        let before = b.mu(1000);
        // One enormous bucket moves the rate by at most a winsorised step.
        b.update(1_000_000, 1000, b.kappa());
        assert!(b.mu(1000) < before * 1.2, "{} vs {before}", b.mu(1000));
        // Empty buckets change nothing.
        let snapshot = b;
        b.update(0, 0, 0.0);
        assert_eq!(b, snapshot);
    }
}
