//! From the merged [`Summary`] to the [`Report`]: cluster the distinct keys into
//! templates, rank them, draw the histogram's buckets, detect spikes and explain them.
//! Everything here works on distinct keys and buckets, never on records.

use std::collections::HashMap;

use crate::aggregate::spikes::{self, Series, SpikeKind};
use crate::aggregate::templates;
use crate::report::model::{
    self, Bucket, ByRow, Input, Levels, Report, Spike, SpikeTemplate, Template, Time, TimeSpan,
};

use super::state::{At, FixedState, Summary, min_opt};

const NS: i64 = 1_000_000_000;

/// How many error templates get their own series for spike detection and attribution.
const SPIKE_TEMPLATES: usize = 64;

/// What shapes the report besides the summary.
#[derive(Clone, Debug)]
pub struct Shape {
    /// Templates listed (overall and among errors).
    pub top: usize,
    /// Histogram bucket width in seconds (`None`: automatic, about 50–150 buckets).
    pub bucket: Option<i64>,
    /// `--by` field names, in the order the summary holds them.
    pub by: Vec<String>,
    /// The spike detector's opening threshold (z-score); 5.0 normally.
    pub sensitivity_z: f64,
}

/// The templates of a summary: one per cluster of keys, with the index of each key's
/// template. Shared by `report` and `templates`.
pub struct Templates {
    /// All templates, most frequent first (count, then text).
    pub list: Vec<Template>,
    /// Key → index into `list`.
    pub of_key: HashMap<u64, usize, FixedState>,
    /// Earliest example position per template, parallel to `list`.
    pub at: Vec<At>,
}

/// Clusters the summary's keys into ranked templates.
pub fn templates(s: &Summary, inputs: &[Input]) -> Templates {
    let mut keys: Vec<(&u64, &super::state::KeyStats)> = s.keys.iter().collect();
    keys.sort_unstable_by_key(|(k, _)| **k);
    let pairs: Vec<(&[u8], u64)> = keys.iter().map(|(_, v)| (&*v.masked, v.count)).collect();
    let clustering = templates::cluster(&pairs);

    struct Acc {
        count: u64,
        levels: Levels,
        first: Option<i64>,
        last: Option<i64>,
        at: At,
        example: Vec<u8>,
    }
    let mut acc: Vec<Option<Acc>> = (0..clustering.templates.len()).map(|_| None).collect();
    for ((_, v), &t) in keys.iter().zip(&clustering.template_of) {
        match &mut acc[t] {
            None => {
                acc[t] = Some(Acc {
                    count: v.count,
                    levels: v.levels,
                    first: v.first,
                    last: v.last,
                    at: v.example_at,
                    example: v.example.to_vec(),
                })
            }
            Some(a) => {
                a.count += v.count;
                a.levels.merge(&v.levels);
                a.first = min_opt(a.first, v.first);
                a.last = a.last.max(v.last);
                if v.example_at < a.at {
                    a.at = v.example_at;
                    a.example = v.example.to_vec();
                }
            }
        }
    }
    let records = s.records;
    let mut list: Vec<(Template, At, usize)> = acc
        .into_iter()
        .enumerate()
        .filter_map(|(i, a)| a.map(|a| (i, a)))
        .map(|(i, a)| {
            let path = inputs
                .get(a.at.input as usize)
                .map_or("?", |inp| inp.path.as_str());
            (
                Template {
                    template: clustering.templates[i].clone(),
                    count: a.count,
                    share: model::rate(a.count, records),
                    levels: a.levels,
                    first: Time(a.first),
                    last: Time(a.last),
                    example: String::from_utf8_lossy(&a.example).into_owned(),
                    example_at: format!("{path}:{}", a.at.line),
                },
                a.at,
                i,
            )
        })
        .collect();
    list.sort_by(|a, b| {
        b.0.count
            .cmp(&a.0.count)
            .then_with(|| a.0.template.cmp(&b.0.template))
            .then(a.1.cmp(&b.1))
    });
    let mut rank = vec![0usize; clustering.templates.len()];
    for (r, (_, _, i)) in list.iter().enumerate() {
        rank[*i] = r;
    }
    let of_key = keys
        .iter()
        .zip(&clustering.template_of)
        .map(|((k, _), &t)| (**k, rank[t]))
        .collect();
    let at = list.iter().map(|x| x.1).collect();
    Templates {
        list: list.into_iter().map(|x| x.0).collect(),
        of_key,
        at,
    }
}

/// Builds the report.
pub fn report(s: &Summary, inputs: Vec<Input>, shape: &Shape, mut notes: Vec<String>) -> Report {
    let tpls = templates(s, &inputs);
    let errors = s.levels.errors();

    // Bucket range at the summary's width.
    let width = s.width;
    let lo = s.buckets.keys().min().copied();
    let hi = s.buckets.keys().max().copied();
    let n = match (lo, hi) {
        (Some(lo), Some(hi)) => ((hi - lo) / width + 1) as usize,
        _ => 0,
    };
    let lo = lo.unwrap_or(0);
    let mut records_s = vec![0u64; n];
    let mut errors_s = vec![0u64; n];
    for (b, t) in &s.buckets {
        let i = ((b - lo) / width) as usize;
        records_s[i] += t.records;
        errors_s[i] += t.errors;
    }

    let display = display_width(shape.bucket, width, n as i64 * width);
    let histogram = histogram(&records_s, &errors_s, lo, width, display);

    // Spikes: on the fine buckets; templates ranked by their errors get series.
    let mut by_errors: Vec<usize> = (0..tpls.list.len())
        .filter(|&i| tpls.list[i].errors() > 0)
        .collect();
    by_errors.sort_by(|&a, &b| {
        tpls.list[b]
            .errors()
            .cmp(&tpls.list[a].errors())
            .then(a.cmp(&b))
    });
    by_errors.truncate(SPIKE_TEMPLATES);
    let mut series_of = vec![usize::MAX; tpls.list.len()];
    for (j, &t) in by_errors.iter().enumerate() {
        series_of[t] = j;
    }
    let mut tseries = vec![vec![0u64; n]; by_errors.len()];
    for ((k, b), c) in &s.key_errors {
        let Some(&t) = tpls.of_key.get(k) else {
            continue;
        };
        let j = series_of[t];
        if j != usize::MAX {
            tseries[j][((b - lo) / width) as usize] += c;
        }
    }
    let found = if n == 0 {
        Vec::new()
    } else {
        spikes::detect(
            &Series {
                start: lo,
                width,
                records: &records_s,
                errors: &errors_s,
                templates: &tseries,
            },
            &spikes::Options {
                sensitivity_z: shape.sensitivity_z,
            },
        )
    };
    let at = |i: usize| Time(Some((lo + i as i64 * width) * NS));
    let spikes: Vec<Spike> = found
        .into_iter()
        .map(|sp| Spike {
            kind: match sp.kind {
                SpikeKind::Errors => "errors",
                SpikeKind::Template(_) => "template",
            }
            .to_string(),
            start: at(sp.start),
            end: at(sp.end),
            errors: sp.errors,
            expected: round3(sp.expected),
            score: round3(sp.score),
            templates: sp
                .templates
                .iter()
                .map(|a| SpikeTemplate {
                    template: tpls.list[by_errors[a.template]].template.clone(),
                    count: a.count,
                    expected: round3(a.expected),
                    ratio: round3(a.ratio),
                    new: a.new,
                })
                .collect(),
        })
        .collect();

    let mut error_templates: Vec<Template> = by_errors
        .iter()
        .take(shape.top)
        .map(|&i| tpls.list[i].clone())
        .collect();
    error_templates.sort_by(|a, b| {
        b.errors()
            .cmp(&a.errors())
            .then(b.count.cmp(&a.count))
            .then_with(|| a.template.cmp(&b.template))
    });

    let by = shape
        .by
        .iter()
        .zip(&s.by)
        .map(|(name, b)| {
            let mut rows: Vec<ByRow> = b
                .values
                .iter()
                .map(|(v, t)| by_row(Some(String::from_utf8_lossy(v).into_owned()), *t))
                .collect();
            if b.missing.records > 0 {
                rows.push(by_row(None, b.missing));
            }
            rows.sort_by(|a, b| {
                b.errors
                    .cmp(&a.errors)
                    .then(b.records.cmp(&a.records))
                    .then_with(|| a.value.cmp(&b.value))
            });
            if b.other.records > 0 {
                rows.push(by_row(Some("other".into()), b.other));
                notes.push(format!(
                    "capped: --by {name} kept {} distinct values; {} records of the rest are counted as 'other'",
                    super::state::MAX_BY_VALUES,
                    b.other.records
                ));
            }
            (name.clone(), rows)
        })
        .collect();

    notes.extend(scan_notes(s, true));

    let mut templates = tpls.list;
    templates.truncate(shape.top);
    templates.extend(other_row(s));
    Report {
        version: model::VERSION,
        inputs,
        records: s.records,
        lines: s.lines,
        unparsed: s.unparsed,
        levels: s.levels,
        errors,
        error_rate: model::rate(errors, s.records),
        time: TimeSpan {
            first: Time(s.first),
            last: Time(s.last),
            bucket_seconds: display,
        },
        histogram,
        templates,
        error_templates,
        spikes,
        by,
        notes,
    }
}

/// The explicit "other" row for records whose keys were folded away by the cap.
pub fn other_row(s: &Summary) -> Option<Template> {
    (s.folded_keys > 0).then(|| Template {
        template: "other".to_string(),
        count: s.other.total(),
        share: model::rate(s.other.total(), s.records),
        levels: s.other,
        first: Time(None),
        last: Time(None),
        example: String::new(),
        example_at: String::new(),
    })
}

/// Notes about what the numbers leave out (caps, records without timestamps).
/// With `histogram`, also what is missing from the histogram and spikes.
pub fn scan_notes(s: &Summary, histogram: bool) -> Vec<String> {
    let mut out = Vec::new();
    if s.folded_keys > 0 {
        out.push(format!(
            "capped: {} distinct message keys beyond {} were folded into 'other' ({} records); ids may be escaping masking",
            s.folded_keys,
            super::state::MAX_KEYS,
            s.other.total()
        ));
    }
    if histogram && s.no_ts > 0 {
        out.push(format!(
            "{} records without a timestamp are not in the histogram",
            s.no_ts
        ));
    }
    if s.no_ts_filtered > 0 {
        out.push(format!(
            "{} records without a timestamp were left out by the time filter",
            s.no_ts_filtered
        ));
    }
    if histogram && s.width > super::state::BASE_SECS {
        out.push(format!(
            "long time span: spikes were detected on {}-second buckets",
            s.width
        ));
    }

    out
}

fn by_row(value: Option<String>, t: super::state::Tally) -> ByRow {
    ByRow {
        value,
        records: t.records,
        errors: t.errors,
        error_rate: model::rate(t.errors, t.records),
    }
}

/// The histogram's bucket width: the one asked for (at least the summary's), or the
/// round width that gives at most 150 buckets over the span.
fn display_width(asked: Option<i64>, base: i64, span: i64) -> i64 {
    match asked {
        Some(w) => w.max(base).div_euclid(base) * base,
        None => crate::aggregate::widths::auto_width(base, span),
    }
}

/// Sums fine buckets (starting at `lo`, `width` apart) into display buckets aligned
/// to multiples of `display`.
fn histogram(records: &[u64], errors: &[u64], lo: i64, width: i64, display: i64) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::new();
    for (i, (&r, &e)) in records.iter().zip(errors).enumerate() {
        let start = (lo + i as i64 * width).div_euclid(display) * display;
        match out.last_mut() {
            Some(b) if b.start == Time(Some(start * NS)) => {
                b.records += r;
                b.errors += e;
            }
            _ => out.push(Bucket {
                start: Time(Some(start * NS)),
                records: r,
                errors: e,
            }),
        }
    }
    out
}

fn round3(x: f64) -> f64 {
    if x.is_finite() {
        (x * 1000.0).round() / 1000.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths() {
        assert_eq!(display_width(None, 60, 60), 60);
        assert_eq!(display_width(None, 60, 24 * 3600), 600);
        assert_eq!(display_width(None, 60, 150 * 60), 60);
        assert_eq!(display_width(Some(300), 60, 10), 300);
        assert_eq!(display_width(Some(90), 60, 10), 60);
        assert_eq!(display_width(None, 120, 3600), 120);
        assert!(display_width(None, 60, 400 * 86400) >= 2 * 86400);
    }

    #[test]
    fn histogram_sums_fine_buckets() {
        let h = histogram(&[1, 2, 3, 4], &[0, 1, 0, 1], 60, 60, 120);
        let got: Vec<(Time, u64, u64)> = h.iter().map(|b| (b.start, b.records, b.errors)).collect();
        assert_eq!(
            got,
            vec![
                (Time(Some(0)), 1, 0),
                (Time(Some(120 * NS)), 5, 1),
                (Time(Some(240 * NS)), 4, 1)
            ]
        );
    }
}
