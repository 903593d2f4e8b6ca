//! Finding spikes on one count series: the open / continue / bridge / join rules.
//!
//! The series is walked once, bucket by bucket, as a live monitor would; the only
//! look-backs are the 16-bucket open window, the rewind of the baseline to its state
//! before a spike's first bucket, and the choice of a closed spike's last bucket.

use super::baseline::Baseline;
use super::score::z;

/// Windows (in buckets, ending at the current bucket) the open rule tries: 1 catches a
/// sharp outage at its first minute, 16 a slow or sparse rise that no single bucket shows.
const WINDOWS: [usize; 5] = [1, 2, 4, 8, 16];
/// A bucket is "hot" (starts or continues a spike) from this single-bucket score.
const Z_HOT: f64 = 2.0;
/// An open spike survives this many quieter buckets in a row (a flapping outage).
const BRIDGE: usize = 3;
/// After a quieter bucket, the spike resumes only from this score, and only with at
/// least this share of the spike's mean excess per hot bucket: at z ≥ 2 one bucket in 40
/// qualifies by chance, and with up to [`BRIDGE`] tries at every end about one spike in
/// ten would grow a tail of noise. A flapping outage resumes far above both; a weaker
/// wave that can open a spike of its own is still joined by the join rule.
const Z_RESUME: f64 = 3.0;
const RESUME_SHARE: f64 = 0.5;
/// A spike ends when its quiet buckets favour the baseline by this log-likelihood ratio
/// (e³ ≈ 20 to 1)...
const END_LLR: f64 = 3.0;
/// ...taking its height as at least the open rule's ratio.
const END_MIN_RATIO: f64 = 1.5;
/// And whatever that ratio says, a spike ends after this many quiet buckets in a row.
/// The frozen baseline was learnt from an hour or so of counts and can be a few tens of
/// percent low; the likelihood test alone would then keep a "spike" open all day.
const QUIET_MAX: usize = 16;
/// A new spike joins the previous one when the gap is at most
/// max(JOIN_MIN, min(JOIN_MAX, previous length / 2)) buckets.
const JOIN_MIN: usize = 3;
const JOIN_MAX: usize = 30;

/// What it takes to open a spike.
#[derive(Clone, Copy, Debug)]
pub(super) struct Thresholds {
    /// Window score.
    pub z_open: f64,
    /// Window excess Y − M, in counts.
    pub min_excess: f64,
    /// Window ratio Y / M.
    pub min_ratio: f64,
}

/// A spike on one series, bucket indices `[start, end)`.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Run {
    pub start: usize,
    pub end: usize,
    pub observed: u64,
    pub expected: f64,
    pub score: f64,
}

/// One bucket as it was scored.
#[derive(Clone, Copy, Debug)]
struct Stat {
    mu: f64,
    kappa: f64,
    z: f64,
}

impl Stat {
    fn new(y: u64, n: u64, base: &Baseline, kappa_floor: f64) -> Stat {
        let mu = base.mu(n);
        let kappa = base.kappa().max(kappa_floor);
        Stat {
            mu,
            kappa,
            z: z(y as f64, mu, kappa),
        }
    }

    /// κμ²: the bucket's variance beyond Poisson, summed over windows.
    fn k_mu2(&self) -> f64 {
        self.kappa * self.mu * self.mu
    }
}

/// The spike being followed.
struct Open {
    start: usize,
    last_hot: usize,
    /// Σ(y − μ) and the number of hot buckets: what "looks like this spike" means.
    hot_excess: f64,
    hot: usize,
    /// Σy and Σμ over `start..=last_hot`: the spike's height as a ratio.
    span_y: f64,
    span_mu: f64,
    /// Log-likelihood ratio, over the buckets after `last_hot`, of "back at the baseline"
    /// against "still raised" (see [`Open::ends`]).
    quiet_llr: f64,
}

impl Open {
    /// A spike proved at bucket `t`, starting at `start` (buckets scored against the
    /// frozen baseline). `t` counts as hot: the window that ends there proved the spike.
    fn new(start: usize, t: usize, y: &[u64], stats: &[Stat]) -> Open {
        let mut o = Open {
            start,
            last_hot: t,
            hot_excess: 0.0,
            hot: 0,
            span_y: 0.0,
            span_mu: 0.0,
            quiet_llr: 0.0,
        };
        for i in start..=t {
            o.span_y += y[i] as f64;
            o.span_mu += stats[i].mu;
            if stats[i].z >= Z_HOT {
                o.hot_excess += y[i] as f64 - stats[i].mu;
                o.hot += 1;
            }
        }
        if o.hot == 0 {
            // A sparse rise, proved by the window's sum and not by any one bucket.
            o.hot_excess = o.span_y - o.span_mu;
            o.hot = 1;
        }
        o
    }

    /// Bucket `t` is hot: the spike now reaches it.
    fn heat(&mut self, t: usize, y: &[u64], stats: &[Stat]) {
        for i in self.last_hot + 1..=t {
            self.span_y += y[i] as f64;
            self.span_mu += stats[i].mu;
        }
        self.hot_excess += y[t] as f64 - stats[t].mu;
        self.hot += 1;
        self.last_hot = t;
        self.quiet_llr = 0.0;
    }

    /// Does bucket `t` continue the spike? Right after a hot bucket, z ≥ 2 suffices; after
    /// a quieter one, the bucket must also look like the spike (z ≥ [`Z_RESUME`] and at
    /// least [`RESUME_SHARE`] of its mean excess per hot bucket).
    fn continues(&self, t: usize, y: u64, s: &Stat) -> bool {
        if self.last_hot + 1 == t {
            s.z >= Z_HOT
        } else {
            s.z >= Z_RESUME
                && y as f64 - s.mu >= RESUME_SHARE * self.hot_excess / self.hot.max(1) as f64
        }
    }

    /// Bucket `t` is quiet: is the spike over? Only after more than [`BRIDGE`] quiet
    /// buckets, and only once those buckets favour "back at the baseline" over "still
    /// raised ×√R" (R the spike's height so far, √R halfway on a log scale) by
    /// [`END_LLR`], a Poisson log-likelihood ratio Σ[μ(√R−1) − y ln √R]; or after
    /// [`QUIET_MAX`] quiet buckets in any case. A sharp outage ends at the first chance;
    /// a sparse series risen ×5, whose buckets often score below 2 one by one, is not
    /// cut into pieces.
    fn ends(&mut self, t: usize, y: u64, s: &Stat) -> bool {
        let height = if self.span_mu > 0.0 {
            self.span_y / self.span_mu
        } else {
            0.0
        };
        let raised = height.max(END_MIN_RATIO).sqrt();
        self.quiet_llr += s.mu * (raised - 1.0) - y as f64 * raised.ln();
        let quiet = t - self.last_hot;
        quiet > QUIET_MAX || (quiet > BRIDGE && self.quiet_llr >= END_LLR)
    }
}

/// The spikes found on one series, and the κ each bucket was scored with.
pub(super) struct Found {
    pub runs: Vec<Run>,
    pub kappa: Vec<f64>,
}

/// The spikes of count series `y` with exposure `n` (records), all three of the same
/// length. `kappa_floor`, when given, is a lower bound on each bucket's over-dispersion
/// (a template inherits the burstiness of all errors: a shock that multiplies all errors
/// multiplies each template, and one template's own estimate is too noisy to trust).
pub(super) fn find(y: &[u64], n: &[u64], kappa_floor: Option<&[f64]>, th: &Thresholds) -> Found {
    debug_assert_eq!(y.len(), n.len());
    let len = y.len();
    let floor_at = |t: usize| kappa_floor.map_or(0.0, |f| f[t]);
    let mut base = Baseline::warm(y, n);
    // The baseline before each bucket, so an opening spike can rewind to the state before
    // its first bucket: the buckets between its start and the bucket that proved it must
    // not have taught the baseline.
    let mut before: Vec<Baseline> = Vec::with_capacity(len);
    let mut stats: Vec<Stat> = Vec::with_capacity(len);
    let mut open: Option<Open> = None;
    // Open windows never reach back before this bucket (the end of the last spike), or
    // the tail of one spike would reopen the next bucket.
    let mut window_floor = 0;
    let mut runs = Vec::new();
    for t in 0..len {
        before.push(base);
        stats.push(Stat::new(y[t], n[t], &base, floor_at(t)));
        if let Some(o) = &mut open {
            // Inside a spike the baseline is frozen: the outage must not become normal.
            if o.continues(t, y[t], &stats[t]) {
                o.heat(t, y, &stats);
            } else if o.ends(t, y[t], &stats[t]) {
                let end = best_end(y, &stats, o.start, t);
                runs.push(run(y, &stats, o.start, end));
                open = None;
                window_floor = end;
                // The quiet buckets after it were scored against the frozen baseline;
                // now that they are known to be outside the spike, let them teach it.
                for i in end..=t {
                    before[i] = base;
                    stats[i] = Stat::new(y[i], n[i], &base, floor_at(i));
                    base.update(y[i], n[i], stats[i].kappa);
                }
            }
        } else if let Some(start) = opening(y, n, &before, kappa_floor, window_floor, t, th) {
            base = before[start];
            for i in start..=t {
                before[i] = base;
                stats[i] = Stat::new(y[i], n[i], &base, floor_at(i));
            }
            open = Some(Open::new(start, t, y, &stats));
        } else {
            base.update(y[t], n[t], stats[t].kappa);
        }
    }
    if let Some(o) = open {
        let end = best_end(y, &stats, o.start, len - 1);
        runs.push(run(y, &stats, o.start, end));
    }
    Found {
        runs: join(y, &stats, runs),
        kappa: stats.iter().map(|s| s.kappa).collect(),
    }
}

/// The open rule at bucket `t`: for the smallest window w ending at `t` (not reaching
/// before `window_floor`) with Y = Σy, M = Σμ, κ_w = κΣμ²/M², where μ and κ are the
/// baseline's as it stood *before the window's first bucket*: z(Y, M, κ_w) ≥ z_open,
/// Y − M ≥ min_excess and Y ≥ min_ratio·M. Returns the spike's first bucket (see
/// [`best_start`]).
///
/// Scoring against the baseline before the window, not each bucket's live one, matters
/// for sustained moderate rises: over 16 buckets the EWMA has already learnt a sixth of
/// the rise, which cost a template rising ×5 about a fifth of its score.
fn opening(
    y: &[u64],
    n: &[u64],
    before: &[Baseline],
    kappa_floor: Option<&[f64]>,
    window_floor: usize,
    t: usize,
    th: &Thresholds,
) -> Option<usize> {
    let kappa_at = |base: &Baseline, i: usize| base.kappa().max(kappa_floor.map_or(0.0, |f| f[i]));
    // The windows nest, so one backward pass sums all of them: Σy, Σn, Σn² (μ = rate·n).
    let (mut sy, mut sn, mut sn2) = (0.0, 0.0, 0.0);
    let deepest = WINDOWS[WINDOWS.len() - 1];
    for (k, i) in (window_floor..=t).rev().take(deepest).enumerate() {
        let ni = n[i] as f64;
        sy += y[i] as f64;
        sn += ni;
        sn2 += ni * ni;
        if !WINDOWS.contains(&(k + 1)) {
            continue;
        }
        let base = &before[i];
        let rate = base.rate();
        let sm = rate * sn;
        // Cheap tests first: most windows of a calm series fail on the excess.
        if sy - sm < th.min_excess || sy < th.min_ratio * sm {
            continue;
        }
        // κ_w = Σκμ²/M², with the window's κ taken at its first bucket.
        let kappa = kappa_at(base, i) * sn2 / (sn * sn);
        if z(sy, sm, kappa) >= th.z_open {
            return Some(best_start(y, n, base, kappa_at(base, i), i, t));
        }
    }
    None
}

/// Where a spike proved at `t` by the window `first..=t` starts: the start s whose
/// stretch `s..=t` scores highest (a scan statistic; ties go to the later start). A
/// sharp outage proved by one bucket starts there; a sparse rise proved by 16 buckets
/// of one error each starts where those begin, though no single one of them is hot.
fn best_start(y: &[u64], n: &[u64], base: &Baseline, kappa: f64, first: usize, t: usize) -> usize {
    let (mut sy, mut sm, mut sk) = (0.0, 0.0, 0.0);
    let (mut best, mut best_z) = (t, f64::NEG_INFINITY);
    for s in (first..=t).rev() {
        let mu = base.mu(n[s]);
        sy += y[s] as f64;
        sm += mu;
        sk += kappa * mu * mu;
        let score = z(sy, sm, if sm > 0.0 { sk / (sm * sm) } else { 0.0 });
        if score > best_z {
            (best, best_z) = (s, score);
        }
    }
    best
}

/// Where a spike that started at `start` ends, once bucket `last` has closed it: the
/// end e (exclusive, `start < e ≤ last + 1`) whose stretch `start..e` scores highest
/// against the frozen baseline; ties go to the earlier end. Quiet buckets at the
/// baseline lower the score and are left out; a trailing bucket only joins when it is
/// raised about as much as the spike itself.
fn best_end(y: &[u64], stats: &[Stat], start: usize, last: usize) -> usize {
    let (mut sy, mut sm, mut sk) = (0.0, 0.0, 0.0);
    let (mut best, mut best_z) = (start + 1, f64::NEG_INFINITY);
    for (i, s) in stats.iter().enumerate().take(last + 1).skip(start) {
        sy += y[i] as f64;
        sm += s.mu;
        sk += s.k_mu2();
        let score = z(sy, sm, if sm > 0.0 { sk / (sm * sm) } else { 0.0 });
        if score > best_z {
            (best, best_z) = (i + 1, score);
        }
    }
    best
}

/// The numbers of the spike `[start, end)`: its score is the window score of the whole
/// spike, so it grows with both height and length.
fn run(y: &[u64], stats: &[Stat], start: usize, end: usize) -> Run {
    let observed = y[start..end]
        .iter()
        .fold(0u64, |acc, &v| acc.saturating_add(v));
    let expected: f64 = stats[start..end].iter().map(|s| s.mu).sum();
    let k_mu2: f64 = stats[start..end].iter().map(Stat::k_mu2).sum();
    let kappa = if expected > 0.0 {
        k_mu2 / (expected * expected)
    } else {
        0.0
    };
    Run {
        start,
        end,
        observed,
        expected,
        score: z(observed as f64, expected, kappa),
    }
}

/// The join rule: a spike starting within max(3, min(30, length/2)) buckets of the end of
/// the previous one (its length so far) continues it, so a long outage that flaps for a
/// few minutes stays one spike, while two short bursts far apart stay two.
fn join(y: &[u64], stats: &[Stat], runs: Vec<Run>) -> Vec<Run> {
    let mut spans: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    for r in runs {
        if let Some(last) = spans.last_mut() {
            let length = last.1 - last.0;
            if r.start - last.1 <= JOIN_MIN.max(JOIN_MAX.min(length / 2)) {
                last.1 = r.end;
                continue;
            }
        }
        spans.push((r.start, r.end));
    }
    spans
        .into_iter()
        .map(|(s, e)| run(y, stats, s, e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TH: Thresholds = Thresholds {
        z_open: 5.0,
        min_excess: 5.0,
        min_ratio: 1.5,
    };

    #[test]
    fn flat_series_has_no_spike_and_a_step_has_one() {
        let n = vec![1000u64; 300];
        let mut y = vec![10u64; 300];
        assert!(find(&y, &n, None, &TH).runs.is_empty());
        for v in &mut y[100..110] {
            *v = 200;
        }
        let runs = find(&y, &n, None, &TH).runs;
        assert_eq!(runs.len(), 1, "{runs:?}");
        assert_eq!((runs[0].start, runs[0].end), (100, 110));
        assert_eq!(runs[0].observed, 2000);
        assert!((runs[0].expected - 100.0).abs() < 1.0, "{runs:?}");
    }

    #[test]
    fn gaps_bridge_and_join() {
        let n = vec![1000u64; 300];
        let mut y = vec![10u64; 300];
        // On 3, off 3 (bridged), on 3: one spike.
        for t in (100..103).chain(106..109) {
            y[t] = 200;
        }
        // 20 long, then 8 quiet (joined: 8 <= 20/2), then 2 more.
        for t in (150..170).chain(178..180) {
            y[t] = 200;
        }
        let runs = find(&y, &n, None, &TH).runs;
        let spans: Vec<_> = runs.iter().map(|r| (r.start, r.end)).collect();
        assert_eq!(spans, vec![(100, 109), (150, 180)]);
    }

    #[test]
    fn tiny_series() {
        assert!(find(&[], &[], None, &TH).runs.is_empty());
        assert!(find(&[50], &[100], None, &TH).runs.is_empty());
        assert!(find(&[0, 0], &[0, 0], None, &TH).runs.is_empty());
    }
}
