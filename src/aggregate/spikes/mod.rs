//! Spike detection: which stretches of time had more errors than usual, and which
//! message templates drove them. A pure function of per-bucket counts ([`Series`]); the
//! report feeds it and renders the result. Deterministic: plain `f64` arithmetic in a
//! fixed order, no randomness, no hashing.
//!
//! # The method, and why each rule
//!
//! It follows the method measured in the project's research note on spikes, with the
//! changes listed at the end (each one measured on the synthetic days in `tests/`).
//!
//! **Fine buckets.** Detection runs on the 1-minute buckets, not on the 50–150 display
//! buckets: on coarse buckets a 2-minute burst drowns.
//!
//! **A rate, not a count** (`baseline.rs`). The expected count of a bucket is μ = p̂·n,
//! p̂ the baseline error rate per record and n the bucket's records. Traffic swings 2–4×
//! over a day and errors swing with it; a count baseline calls every morning ramp a
//! spike, a rate baseline does not (so errors rising in step with traffic are no spike).
//!
//! **Warm start.** p̂ starts from the first 60 buckets with records: the median rate when
//! a typical bucket has ≥ 5 errors, else the pooled rate; one pass drops gross outliers
//! (z ≥ 5), then four rounds drop every bucket with z ≥ 3 and re-pool. An incident in the
//! first minutes is thus left out of the baseline that must find it.
//!
//! **EWMA baseline.** p̂ = E/N, EWMAs (half-life 60 buckets) of errors and records, with
//! half an error of prior so μ never reaches 0 after a silent night. Each bucket enters E
//! winsorised at μ + 4√V + 1, so a burst too small to open a spike cannot drag the
//! baseline up. V = μ + κμ², κ the over-dispersion: EWMAs (half-life 240) of
//! (y − μ)² − y over those of μ² (+1, a prior that keeps κ near 0 on series too sparse to
//! estimate it), started from the first 240 buckets. A template's κ is at least that of
//! all errors at the same bucket: a shock that multiplies all errors multiplies each
//! template, and one sparse template's own estimate is mostly noise.
//!
//! **Score** (`score.rs`). The signed root of the negative-binomial deviance, which
//! behaves like a standard normal on counts of 2 and of 2,000 alike, so one threshold
//! means about the same false-alarm rate at night and at noon.
//!
//! **Open** (`detector.rs`). For windows of 1, 2, 4, 8 and 16 buckets ending at the current
//! one (Y = Σy, M = Σμ, κ_w = κΣμ²/M²): z(Y, M, κ_w) ≥ 5 ([`Options::sensitivity_z`]),
//! Y − M ≥ 5 and Y ≥ 1.5·M. One bucket catches an outage at its first minute; 16 catch
//! a slower or sparser rise. The excess and ratio floors keep a handful of errors, or a
//! statistically certain 3% rise on huge counts, from being a spike.
//!
//! **Freeze.** Inside an open spike the baseline is frozen — at its state before the
//! spike's first bucket — so an outage never becomes normal; outside spikes it always
//! learns (freezing on merely raised buckets made it lag drift, the main source of false
//! spikes in the prototype). Quiet buckets scored during a spike's last moments are
//! replayed into the baseline once the spike has ended.
//!
//! **Continue, bridge, end, join.** A bucket right after a hot one continues the spike at
//! z ≥ 2; after quieter buckets it resumes only at z ≥ 3 with at least half the spike's
//! mean excess (else noise grows tails on one spike in ten). Up to 3 quiet buckets are
//! bridged (a flapping outage); the spike ends once its quiet buckets favour "back at the
//! baseline" over "still raised ×√R" (R its height so far) by a log-likelihood ratio of
//! 3, or after 16 quiet buckets whatever that says. A spike starting within
//! max(3, min(30, length/2)) buckets of the previous one joins it: one flapping outage
//! stays one spike, two bursts an hour apart stay two.
//!
//! **Start and end.** A spike starts where the stretch up to the bucket that proved it
//! scores highest, and ends where the stretch from its start scores highest (scan
//! statistics): a sharp outage starts at its first bucket; a sparse rise proved by 16
//! buckets of one error each starts where they begin, though none of them is hot alone.
//!
//! **Attribution** (`attribution.rs`). Per template, its count c inside the spike against
//! E = (b + 0.5)/N_B·N_S, b its count and N_B the records outside all spikes ±2 buckets,
//! N_S the spike's records; the G statistic 2[c ln(c/E) − (c − E)] when c > E. The top 5
//! with G ≥ 10.83 (p < 0.001) are listed, most significant first; `new` when b = 0.
//!
//! **Template spikes.** The same detector on each template row, opening at z ≥ 5.5 with
//! an excess ≥ 8 (up to 64 series are tested, so each needs more evidence). It finds one
//! template rising by a tenth of all errors, which the errors series cannot see. A
//! template spike is dropped when an overlapping errors spike already names the template
//! among its significant ones.
//!
//! # Measured
//!
//! On synthetic days (1440 minutes, traffic swinging 3–4×, ~2% errors; `tests/synth.rs`)
//! over 100 fresh seeds per model (`tests/measure.rs`), default sensitivity:
//!
//! | | Poisson | over-dispersed (log-normal shocks, κ ≈ 0.1) | sparse (1–5 errors/min) |
//! |---|---|---|---|
//! | false spikes per calm day | 0.01 | 0.04 | 0.01 |
//! | 10-min ×20 outage found, onset error | 100%, 0 | 100%, 0 | 100%, 0 |
//! | 2-min ×8 burst found, onset error | 100%, 0 | 100%, 0–1 | 99%, ±1 |
//!
//! A flapping outage (3 min on, 2 off, for 20) is one spike on 99 days in 100 (the other
//! day adds an unrelated false spike); an incident in the first 5 minutes is found, with
//! nothing else all day, on 100/100 Poisson and sparse days and 98/100 over-dispersed
//! ones (two unrelated false spikes); the outage's dominant templates rank first on every
//! 10-minute outage; one template rising by 10% of all errors for 30 busy minutes is
//! found on 94% of days (67% at any hour: at night a tenth of the errors is too few);
//! traffic ×3 for an hour with errors in step gives no spike. `--sensitivity high`
//! (z ≥ 4.5) raises the false rate about fourfold (0.06, 0.18 and 0.02 a day).
//!
//! # Limits
//!
//! Rate-based: a volume spike or a silence with errors in step is no spike (that needs a
//! count detector). Below about one error a minute a 2-minute burst cannot be told from
//! noise at under one false alarm a day. A series needs a few buckets of history: a single
//! bucket is never a spike. A lasting step up in the error rate stays one long spike
//! while its buckets keep scoring hot against the frozen baseline.
//!
//! # Changes from the research note
//!
//! Each measured on the synthetic days: windows are scored against the baseline before
//! the window (the live EWMA had learnt a sixth of a 16-bucket rise, hiding template
//! rises); start and end by scan statistic, not "first/last bucket with z ≥ 2"; the
//! likelihood end rule, stricter resume and 16-bucket quiet cap (noise tails, sparse
//! rises cut in pieces, a frozen low baseline holding a spike open all day); κ's prior,
//! its 240-bucket warm start and the errors κ as a floor for templates (κ of a sparse
//! template swung to its cap during a real rise and hid it).

mod attribution;
mod baseline;
mod detector;
mod score;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use attribution::{Attributor, exclude};
use detector::{Run, Thresholds};

/// Counts per clock-aligned bucket (normally 60 s; wider when the caller had to double it).
///
/// The method counts in buckets, not seconds (`start` and `width` are carried for the
/// caller). Rows shorter than `records` are read as zeros past their end; `errors` longer
/// or shorter than `records` is cut to the shorter of the two.
#[derive(Clone, Copy, Debug)]
pub struct Series<'a> {
    /// Unix seconds of bucket 0.
    pub start: i64,
    /// Bucket width in seconds.
    pub width: i64,
    /// Records per bucket (dense, one per bucket).
    pub records: &'a [u64],
    /// Error + fatal records per bucket.
    pub errors: &'a [u64],
    /// Error counts per template per bucket (dense, same length), for the top error
    /// templates (the caller caps at ~64 plus an "other" row it does not pass).
    pub templates: &'a [Vec<u64>],
}

impl Series<'_> {
    /// Unix seconds at which bucket `i` starts (a spike's `end` gives its exclusive end).
    pub fn time_of(&self, i: usize) -> i64 {
        self.start + i as i64 * self.width
    }
}

/// What a spike is a spike of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpikeKind {
    /// All errors, as a rate of traffic.
    Errors,
    /// One template (an index into [`Series::templates`]) that rose while the overall
    /// error series did not show it.
    Template(usize),
}

impl SpikeKind {
    /// The `kind` of the JSON report: `errors` or `template`.
    pub fn name(&self) -> &'static str {
        match self {
            SpikeKind::Errors => "errors",
            SpikeKind::Template(_) => "template",
        }
    }
}

/// A template's part in a spike.
#[derive(Clone, Debug, PartialEq)]
pub struct Attribution {
    /// Index into [`Series::templates`].
    pub template: usize,
    /// Its errors inside the spike.
    pub count: u64,
    /// What its rate outside spikes predicts for the spike's records.
    pub expected: f64,
    /// `count / expected`.
    pub ratio: f64,
    /// Never seen outside spikes.
    pub new: bool,
}

/// One spike: buckets `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub struct Spike {
    pub kind: SpikeKind,
    /// First bucket (index into the series).
    pub start: usize,
    /// One past the last bucket.
    pub end: usize,
    /// Errors in the spike (for a template spike, that template's errors).
    pub errors: u64,
    /// What the baseline expected over the same buckets.
    pub expected: f64,
    /// Signed root of the deviance of `errors` against `expected`: about how many
    /// standard deviations of surprise; grows with height and length.
    pub score: f64,
    /// The templates that rose most, most significant first (at most
    /// [`MAX_ATTRIBUTIONS`]). A template spike lists its own template first.
    pub templates: Vec<Attribution>,
}

/// Tuning the user may touch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Score a window must reach to open an errors spike (template spikes need 0.5
    /// more). 5.0 by default; [`Options::high`] gives 4.5.
    pub sensitivity_z: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options { sensitivity_z: 5.0 }
    }
}

impl Options {
    /// `--sensitivity high`.
    pub fn high() -> Options {
        Options { sensitivity_z: 4.5 }
    }
}

/// At most this many templates are listed per spike.
pub const MAX_ATTRIBUTIONS: usize = 5;

/// Errors spikes (as a rate of traffic) then per-template spikes that the overall error
/// series hides (not repeating a template already explaining an errors spike over the
/// same buckets), sorted by start.
pub fn detect(series: &Series, opts: &Options) -> Vec<Spike> {
    let len = series.records.len().min(series.errors.len());
    if len == 0 {
        return Vec::new();
    }
    let errors = &series.errors[..len];
    // Errors are a subset of records; if a caller's counts disagree, the rate stays ≤ 1.
    let exposure: Vec<u64> = series.records[..len]
        .iter()
        .zip(errors)
        .map(|(&n, &e)| n.max(e))
        .collect();
    let rows: Vec<Cow<[u64]>> = series.templates.iter().map(|r| fit(r, len)).collect();
    let rows: Vec<&[u64]> = rows.iter().map(|r| &**r).collect();
    let attributor = Attributor {
        exposure: &exposure,
        templates: &rows,
    };

    let errors_th = Thresholds {
        z_open: opts.sensitivity_z,
        min_excess: ERRORS_MIN_EXCESS,
        min_ratio: MIN_RATIO,
    };
    let found = detector::find(errors, &exposure, None, &errors_th);
    let mut in_spikes = vec![false; len];
    for r in &found.runs {
        exclude(&mut in_spikes, r.start, r.end);
    }
    let mut spikes = Vec::new();
    // Per errors spike, every template significantly behind it (not only the listed 5).
    let mut explained: Vec<(usize, usize, Vec<usize>)> = Vec::new();
    for r in &found.runs {
        let ranked = attributor.rank(&in_spikes, r.start, r.end);
        let js = ranked.iter().map(|x| x.attribution.template).collect();
        explained.push((r.start, r.end, js));
        let templates = ranked.into_iter().map(|x| x.attribution);
        spikes.push(spike(SpikeKind::Errors, r, templates));
    }

    let template_th = Thresholds {
        z_open: opts.sensitivity_z + TEMPLATE_EXTRA_Z,
        min_excess: TEMPLATE_MIN_EXCESS,
        min_ratio: MIN_RATIO,
    };
    for (j, row) in rows.iter().enumerate() {
        if row.iter().all(|&c| c == 0) {
            continue;
        }
        let runs = detector::find(row, &exposure, Some(&found.kappa), &template_th).runs;
        // This template's own spikes are not its baseline either.
        let mut excluded = in_spikes.clone();
        for r in &runs {
            exclude(&mut excluded, r.start, r.end);
        }
        for r in &runs {
            let repeats = explained
                .iter()
                .any(|(s, e, js)| r.start < *e && *s < r.end && js.contains(&j));
            if repeats {
                continue;
            }
            // The template itself first, then whatever else rose with it.
            let own = attributor.single(j, &excluded, r.start, r.end);
            let others = attributor
                .rank(&excluded, r.start, r.end)
                .into_iter()
                .map(|x| x.attribution)
                .filter(|a| a.template != j);
            spikes.push(spike(
                SpikeKind::Template(j),
                r,
                own.into_iter().chain(others),
            ));
        }
    }
    spikes.sort_by_key(|s| {
        let kind = match s.kind {
            SpikeKind::Errors => 0,
            SpikeKind::Template(j) => j + 1,
        };
        (s.start, kind)
    });
    spikes
}

/// A template row cut or zero-padded to `len` buckets.
fn fit(row: &[u64], len: usize) -> Cow<'_, [u64]> {
    if row.len() >= len {
        Cow::Borrowed(&row[..len])
    } else {
        let mut padded = row.to_vec();
        padded.resize(len, 0);
        Cow::Owned(padded)
    }
}

fn spike(kind: SpikeKind, r: &Run, templates: impl Iterator<Item = Attribution>) -> Spike {
    Spike {
        kind,
        start: r.start,
        end: r.end,
        errors: r.observed,
        expected: r.expected,
        score: r.score,
        templates: templates.take(MAX_ATTRIBUTIONS).collect(),
    }
}

/// An errors spike needs at least this many errors over what was expected: below it, a
/// service logging a handful of errors a day would alert on every little cluster.
const ERRORS_MIN_EXCESS: f64 = 5.0;
/// A template spike is tested on up to 64 series at once, so it needs a higher score
/// and excess than the one errors series for the same false-alarm rate.
const TEMPLATE_EXTRA_Z: f64 = 0.5;
const TEMPLATE_MIN_EXCESS: f64 = 8.0;
/// A spike is at least 1.5× the expected count: on huge counts a 3% rise is
/// statistically certain and operationally nothing.
const MIN_RATIO: f64 = 1.5;
