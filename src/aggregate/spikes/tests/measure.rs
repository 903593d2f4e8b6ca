//! Measurements over many synthetic days, and a check on logs from `examples/gen`:
//! ignored tests that print what they find.

use super::super::*;
use super::describe;
use super::synth::*;

/// The numbers behind the module's claims, over many more days than the tests above:
/// `cargo test --lib spikes::tests::measure::measure -- --ignored --nocapture`.
#[test]
#[ignore]
fn measure() {
    let days: u64 = std::env::var("SPIKES_DAYS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let models = [
        ("poisson", Model::poisson()),
        ("bursty", Model::bursty()),
        ("sparse", Model::sparse()),
    ];
    let only_calm = std::env::var("SPIKES_CALM_ONLY").is_ok();
    for (name, model) in &models {
        for (sens, opts) in [("default", Options::default()), ("high", Options::high())] {
            let (mut errs, mut tpls) = (0, 0);
            for seed in 0..days {
                let d = day(model, 10_000 + seed, &[], None);
                let spikes = detect(&d.series(), &opts);
                if !spikes.is_empty() {
                    eprintln!(
                        "  {name} {sens} calm seed {}: {}",
                        10_000 + seed,
                        describe(&spikes)
                    );
                }
                for s in spikes {
                    match s.kind {
                        SpikeKind::Errors => errs += 1,
                        SpikeKind::Template(_) => tpls += 1,
                    }
                }
            }
            eprintln!(
                "{name:8} calm, {sens} sensitivity: {errs} errors spikes, {tpls} template spikes in {days} days"
            );
        }
    }
    if only_calm {
        return;
    }
    for (name, model) in &models {
        for (label, len, factor) in [("10 min x20", 10, 20.0), ("2 min x8", 2, 8.0)] {
            let (mut one, mut found, mut extra, mut top3) = (0, 0, 0, 0);
            let (mut onset, mut end) = (Vec::new(), Vec::new());
            for seed in 0..days {
                let mut rng = Rng(seed ^ 0xABCD);
                let start = 20 + (rng.next() % 1400) as usize;
                let d = day(model, 20_000 + seed, &[incident(start, len, factor)], None);
                let spikes = d.detect();
                let hit: Vec<&Spike> = spikes
                    .iter()
                    .filter(|s| s.start < start + len && s.end > start)
                    .collect();
                extra += spikes.len() - hit.len();
                if let Some(s) = hit.first() {
                    found += 1;
                    onset.push(s.start as i64 - start as i64);
                    end.push(s.end as i64 - (start + len) as i64);
                    let tops: Vec<usize> = s.templates.iter().take(3).map(|a| a.template).collect();
                    top3 += usize::from(tops == [11, 6, 15]);
                }
                one += usize::from(spikes.len() == 1 && hit.len() == 1);
            }
            onset.sort();
            end.sort();
            let range = |v: &[i64]| v.first().zip(v.last()).map(|(a, b)| (*a, *b));
            eprintln!(
                "{name:8} {label}: found {found}/{days}, exactly one {one}, other spikes {extra}, \
                 dominant 3 first {top3}, onset {:?}, end {:?}",
                range(&onset),
                range(&end)
            );
        }
    }
    let mut one = 0;
    for seed in 0..days {
        let start = 20 + (seed as usize * 37) % 1380;
        let flap = Incident {
            on: 3,
            off: 2,
            ..incident(start, 20, 20.0)
        };
        let spikes = day(&Model::poisson(), 30_000 + seed, &[flap], None).detect();
        one += usize::from(spikes.len() == 1 && spikes[0].start.abs_diff(start) <= 1);
    }
    eprintln!("flapping 3 on / 2 off for 20 min: one spike {one}/{days}");
    for (name, model) in &models {
        let mut ok = 0;
        for seed in 0..days {
            let spikes = day(model, 40_000 + seed, &[incident(0, 5, 20.0)], None).detect();
            ok += usize::from(spikes.len() == 1 && spikes[0].start <= 1);
        }
        eprintln!("{name:8} incident in minutes 0-5: found and nothing else {ok}/{days}");
    }
    for (label, lo, span) in [("busy hours", 900, 120), ("any hour", 0, 1400)] {
        for share in [0.05, 0.1, 0.2] {
            let (mut found, mut errs, mut other) = (0, 0, 0);
            for seed in 0..days {
                let start = lo + (seed as usize * 53) % span;
                let d = day(
                    &Model::poisson(),
                    50_000 + seed,
                    &[template_rise(12, start, 30, share)],
                    None,
                );
                for s in d.detect() {
                    match s.kind {
                        SpikeKind::Template(12) if s.start < start + 30 && s.end > start => {
                            found += 1
                        }
                        SpikeKind::Errors => errs += 1,
                        _ => other += 1,
                    }
                }
            }
            eprintln!(
                "template rise {share} of errors for 30 min, {label}: found {found}/{days}, errors spikes {errs}, other {other}"
            );
        }
    }
    let mut spikes = 0;
    for seed in 0..days {
        let surge = Surge {
            start: (seed as usize * 71) % 1300,
            len: 60,
            factor: 3.0,
        };
        spikes += day(&Model::poisson(), 60_000 + seed, &[], Some(surge))
            .detect()
            .len();
    }
    eprintln!("traffic x3 for an hour, errors in step: {spikes} spikes in {days} days");
}

/// A check on real generated logs, bucketed crudely here (the report wires the real
/// pipeline): per minute, records (lines starting with a timestamp), ERROR/FATAL
/// records, and error templates as the message with every token holding a digit masked.
///
/// ```text
/// cargo run --example gen -- --format plain --size 30MB --seed 3 --clean --out day.log
/// LOGSIFT_SPIKES_LOG=day.log cargo test --lib spikes::tests::measure::generated_log -- --ignored --nocapture
/// ```
#[test]
#[ignore]
fn generated_log() {
    use std::collections::HashMap;
    use std::io::BufRead;
    let Ok(path) = std::env::var("LOGSIFT_SPIKES_LOG") else {
        eprintln!("set LOGSIFT_SPIKES_LOG to a plain log made by examples/gen");
        return;
    };
    let file = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
    let mut records = vec![0u64; 1440];
    let mut errors = vec![0u64; 1440];
    let mut by_template: HashMap<String, Vec<u64>> = HashMap::new();
    for line in file.split(b'\n') {
        let line = String::from_utf8_lossy(&line.unwrap()).into_owned();
        let mut words = line.split(' ');
        let (Some(ts), Some(level)) = (words.next(), words.next()) else {
            continue;
        };
        if !ts.starts_with("20") || ts.len() < 16 {
            continue;
        }
        let (Ok(h), Ok(m)) = (ts[11..13].parse::<usize>(), ts[14..16].parse::<usize>()) else {
            continue;
        };
        let minute = h * 60 + m;
        records[minute] += 1;
        if level == "ERROR" || level == "FATAL" {
            errors[minute] += 1;
            let msg = line.split_once(" - ").map_or("", |x| x.1);
            let key: Vec<&str> = msg
                .split(' ')
                .map(|w| {
                    if w.bytes().any(|b| b.is_ascii_digit()) {
                        "<*>"
                    } else {
                        w
                    }
                })
                .collect();
            by_template
                .entry(key.join(" "))
                .or_insert_with(|| vec![0; 1440])[minute] += 1;
        }
    }
    let mut ranked: Vec<(String, Vec<u64>)> = by_template.into_iter().collect();
    ranked.sort_by_key(|(k, row)| (std::cmp::Reverse(row.iter().sum::<u64>()), k.clone()));
    ranked.truncate(64);
    let names: Vec<&str> = ranked.iter().map(|(k, _)| k.as_str()).collect();
    let templates: Vec<Vec<u64>> = ranked.iter().map(|(_, row)| row.clone()).collect();
    let series = Series {
        start: 0,
        width: 60,
        records: &records,
        errors: &errors,
        templates: &templates,
    };
    let total: u64 = records.iter().sum();
    let errs: u64 = errors.iter().sum();
    eprintln!(
        "{total} records, {errs} errors, {} error templates",
        names.len()
    );
    for s in detect(&series, &Options::default()) {
        eprintln!(
            "{:?} {:02}:{:02}-{:02}:{:02} errors {} expected {:.1} score {:.1}",
            s.kind,
            s.start / 60,
            s.start % 60,
            s.end / 60,
            s.end % 60,
            s.errors,
            s.expected,
            s.score
        );
        for a in &s.templates {
            eprintln!(
                "    {:>5} vs {:>7.2} x{:<7.1} new={} {}",
                a.count, a.expected, a.ratio, a.new, names[a.template]
            );
        }
    }
}
