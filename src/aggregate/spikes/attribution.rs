//! Which templates drove a spike: a G-test of each template's count inside the spike
//! against its rate outside all spikes.
//!
//! The baseline is the whole series outside spikes (±2 buckets, so ramps do not count
//! as normal), not the online EWMA: attribution happens once, after the fact, and the
//! longest clean baseline gives the steadiest rates. Rates are per record, so a
//! template that merely follows traffic into a busy hour is not blamed.

use super::Attribution;

/// G ≥ 10.83 is p < 0.001 for one degree of freedom: with ~64 templates tested per
/// spike, a template listed by chance is rare.
const G_MIN: f64 = 10.83;
/// Half a count of prior for the baseline, so a template never seen outside the spike
/// has a finite expected count (and is marked `new`).
const PRIOR: f64 = 0.5;
/// Margin, in buckets, cut from the baseline on each side of a spike.
const MARGIN: usize = 2;

/// The template rows and exposure the tests run on.
pub(super) struct Attributor<'a> {
    pub exposure: &'a [u64],
    pub templates: &'a [&'a [u64]],
}

/// A template that rose significantly, with its G statistic.
pub(super) struct Ranked {
    pub attribution: Attribution,
    pub g: f64,
}

/// Marks `[start, end)` ± [`MARGIN`] as not baseline.
pub(super) fn exclude(mask: &mut [bool], start: usize, end: usize) {
    let len = mask.len();
    for m in &mut mask[start.saturating_sub(MARGIN)..(end + MARGIN).min(len)] {
        *m = true;
    }
}

impl Attributor<'_> {
    /// Every template whose count in `[start, end)` rose significantly over its rate in
    /// the buckets not `excluded`, most significant first (ties: lower index first).
    pub(super) fn rank(&self, excluded: &[bool], start: usize, end: usize) -> Vec<Ranked> {
        let Some(scale) = self.scale(excluded, start, end) else {
            return Vec::new();
        };
        let mut out: Vec<Ranked> = (0..self.templates.len())
            .filter_map(|j| {
                let r = self.one(j, excluded, start, end, scale);
                (r.g >= G_MIN).then_some(r)
            })
            .collect();
        out.sort_by(|a, b| {
            b.g.total_cmp(&a.g)
                .then(a.attribution.template.cmp(&b.attribution.template))
        });
        out
    }

    /// Template `j`'s numbers for `[start, end)`, significant or not (`None` when there
    /// is no baseline to compare with).
    pub(super) fn single(
        &self,
        j: usize,
        excluded: &[bool],
        start: usize,
        end: usize,
    ) -> Option<Attribution> {
        let scale = self.scale(excluded, start, end)?;
        Some(self.one(j, excluded, start, end, scale).attribution)
    }

    /// N_S / N_B: records in the spike over records in the baseline.
    fn scale(&self, excluded: &[bool], start: usize, end: usize) -> Option<f64> {
        let base: f64 = self
            .exposure
            .iter()
            .zip(excluded)
            .filter(|(_, x)| !**x)
            .map(|(&n, _)| n as f64)
            .sum();
        let spike: f64 = self.exposure[start..end].iter().map(|&n| n as f64).sum();
        (base > 0.0 && spike > 0.0).then(|| spike / base)
    }

    fn one(&self, j: usize, excluded: &[bool], start: usize, end: usize, scale: f64) -> Ranked {
        let row = self.templates[j];
        let b = row
            .iter()
            .zip(excluded)
            .filter(|(_, x)| !**x)
            .fold(0u64, |acc, (&c, _)| acc.saturating_add(c));
        let c = row[start..end]
            .iter()
            .fold(0u64, |acc, &v| acc.saturating_add(v));
        let expected = (b as f64 + PRIOR) * scale;
        let cf = c as f64;
        let g = if cf > expected {
            2.0 * (cf * (cf / expected).ln() - (cf - expected))
        } else {
            0.0
        };
        Ranked {
            attribution: Attribution {
                template: j,
                count: c,
                expected,
                ratio: cf / expected,
                new: b == 0,
            },
            g,
        }
    }
}
