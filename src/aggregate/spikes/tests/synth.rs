//! Synthetic days: a minute series over 24 h with a diurnal traffic swing, per-minute
//! jitter, Poisson (or over-dispersed) error counts split over Zipf-distributed
//! templates, and injected incidents. Seeded, so every run sees the same days.

use super::super::{Options, Series, Spike, detect};

/// splitmix64: tiny, seedable, good enough for test data.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    pub(super) fn uniform(&mut self) -> f64 {
        ((self.next() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub(super) fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    pub(super) fn poisson(&mut self, lambda: f64) -> u64 {
        if lambda <= 0.0 {
            0
        } else if lambda < 60.0 {
            // Knuth: multiply uniforms until the product drops below e^−λ.
            let limit = (-lambda).exp();
            let mut k = 0;
            let mut p = self.uniform();
            while p > limit {
                k += 1;
                p *= self.uniform();
            }
            k
        } else {
            (lambda + lambda.sqrt() * self.normal() + 0.5)
                .floor()
                .max(0.0) as u64
        }
    }
}

/// How a synthetic day is made.
#[derive(Clone, Debug)]
pub(super) struct Model {
    pub(super) buckets: usize,
    /// Records per minute at the busiest time of day.
    pub(super) peak: f64,
    /// Busiest / quietest.
    pub(super) swing: f64,
    /// Errors per record.
    pub(super) error_rate: f64,
    /// Template rows passed to the detector; a few more rare ones form "other".
    pub(super) templates: usize,
    /// σ of a log-normal shock per minute shared by all error templates (bursty
    /// days: κ ≈ σ²); 0 for Poisson.
    pub(super) shared_sigma: f64,
    /// σ of an independent log-normal shock per template per minute.
    pub(super) template_sigma: f64,
}

impl Model {
    pub(super) fn poisson() -> Model {
        Model {
            buckets: 1440,
            peak: 600.0,
            swing: 3.0,
            error_rate: 0.02,
            templates: 20,
            shared_sigma: 0.0,
            template_sigma: 0.0,
        }
    }

    pub(super) fn bursty() -> Model {
        Model {
            shared_sigma: 0.3,
            template_sigma: 0.3,
            ..Model::poisson()
        }
    }

    /// About what `examples/gen` writes into 30 MB: 50–200 records a minute, a few
    /// errors.
    pub(super) fn sparse() -> Model {
        Model {
            peak: 200.0,
            swing: 4.0,
            error_rate: 0.025,
            ..Model::poisson()
        }
    }
}

/// Extra errors: for buckets `[start, start + len)` (only the first `on` of every
/// `on + off` when `off > 0`), `(factor − 1)×` the usual error count on top, shared over
/// `mix` (template, share); the rest of the extra follows the usual template mix.
#[derive(Clone, Debug)]
pub(super) struct Incident {
    pub(super) start: usize,
    pub(super) len: usize,
    pub(super) factor: f64,
    pub(super) on: usize,
    pub(super) off: usize,
    pub(super) mix: Vec<(usize, f64)>,
}

/// The templates an outage is made of (rare on a calm day), and their shares.
fn outage_mix() -> Vec<(usize, f64)> {
    vec![(11, 0.45), (6, 0.30), (15, 0.15)]
}

pub(super) fn incident(start: usize, len: usize, factor: f64) -> Incident {
    Incident {
        start,
        len,
        factor,
        on: len,
        off: 0,
        mix: outage_mix(),
    }
}

impl Incident {
    fn active(&self, t: usize) -> bool {
        t >= self.start
            && t < self.start + self.len
            && (self.off == 0 || (t - self.start) % (self.on + self.off) < self.on)
    }
}

/// Traffic ×factor over `[start, start + len)`, errors at the usual rate.
#[derive(Clone, Copy, Debug)]
pub(super) struct Surge {
    pub(super) start: usize,
    pub(super) len: usize,
    pub(super) factor: f64,
}

pub(super) struct Day {
    pub(super) records: Vec<u64>,
    pub(super) errors: Vec<u64>,
    pub(super) templates: Vec<Vec<u64>>,
}

impl Day {
    pub(super) fn series(&self) -> Series<'_> {
        Series {
            start: 1_795_824_000,
            width: 60,
            records: &self.records,
            errors: &self.errors,
            templates: &self.templates,
        }
    }

    pub(super) fn detect(&self) -> Vec<Spike> {
        detect(&self.series(), &Options::default())
    }
}

pub(super) fn day(model: &Model, seed: u64, incidents: &[Incident], surge: Option<Surge>) -> Day {
    let mut rng = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED);
    let total = model.templates + 4;
    let weights: Vec<f64> = (0..total)
        .map(|k| 1.0 / ((k + 1) as f64).powf(1.1))
        .collect();
    let sum: f64 = weights.iter().sum();
    let shares: Vec<f64> = weights.iter().map(|w| w / sum).collect();
    let trough = model.peak / model.swing;
    // Quietest at 04:00, busiest at 16:00; a random phase shift per day.
    let phase = 240.0 + rng.uniform() * 60.0;
    let mut d = Day {
        records: Vec::with_capacity(model.buckets),
        errors: Vec::with_capacity(model.buckets),
        templates: vec![Vec::with_capacity(model.buckets); model.templates],
    };
    for t in 0..model.buckets {
        let cycle = (1.0 - (2.0 * std::f64::consts::PI * (t as f64 - phase) / 1440.0).cos()) / 2.0;
        let mut lam = (trough + (model.peak - trough) * cycle) * (0.85 + 0.3 * rng.uniform());
        if let Some(s) = surge
            && t >= s.start
            && t < s.start + s.len
        {
            lam *= s.factor;
        }
        let n = rng.poisson(lam);
        let shock = lognormal(&mut rng, model.shared_sigma);
        let usual = model.error_rate * n as f64;
        let mut extra_mix = vec![0.0; total];
        for inc in incidents.iter().filter(|i| i.active(t)) {
            let extra = (inc.factor - 1.0) * usual;
            let named: f64 = inc.mix.iter().map(|m| m.1).sum();
            for (k, s) in shares.iter().enumerate() {
                extra_mix[k] += extra * (1.0 - named) * s;
            }
            for &(k, s) in &inc.mix {
                extra_mix[k] += extra * s;
            }
        }
        let mut errors = 0;
        for k in 0..total {
            let lam_k = usual * shares[k] * shock * lognormal(&mut rng, model.template_sigma)
                + extra_mix[k];
            let c = rng.poisson(lam_k);

            errors += c;
            if k < model.templates {
                d.templates[k].push(c);
            }
        }
        d.records.push(n.max(errors));
        d.errors.push(errors);
    }
    d
}

/// A log-normal multiplier with mean 1 (1 when σ = 0).
fn lognormal(rng: &mut Rng, sigma: f64) -> f64 {
    if sigma == 0.0 {
        1.0
    } else {
        (sigma * rng.normal() - sigma * sigma / 2.0).exp()
    }
}

/// A rise of template `j` by `share` of all errors, for `len` buckets from `start`.
pub(super) fn template_rise(j: usize, start: usize, len: usize, share: f64) -> Incident {
    Incident {
        mix: vec![(j, 1.0)],
        ..incident(start, len, 1.0 + share)
    }
}
