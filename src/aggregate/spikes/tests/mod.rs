//! Scenario tests on synthetic days: a minute series over 24 h with a diurnal traffic
//! swing, per-minute jitter, Poisson (or over-dispersed) error counts split over
//! Zipf-distributed templates, and injected incidents. Seeded, so every run sees the
//! same days.

mod measure;
mod synth;

use super::*;
use synth::*;

fn describe(spikes: &[Spike]) -> String {
    spikes
        .iter()
        .map(|s| {
            let tops: Vec<usize> = s.templates.iter().map(|a| a.template).collect();
            format!(
                "{:?} [{}, {}) errors {} expected {:.1} score {:.1} templates {:?}",
                s.kind, s.start, s.end, s.errors, s.expected, s.score, tops
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// (a) Calm days: no spikes.
fn calm_days(model: &Model, seeds: std::ops::Range<u64>) -> (usize, Vec<String>) {
    let mut total = 0;
    let mut seen = Vec::new();
    for seed in seeds {
        let spikes = day(model, seed, &[], None).detect();
        total += spikes.len();
        if !spikes.is_empty() {
            seen.push(format!("seed {seed}: {}", describe(&spikes)));
        }
    }
    (total, seen)
}

#[test]
fn a_calm_poisson_days_have_no_spikes() {
    let (n, seen) = calm_days(&Model::poisson(), 0..30);
    eprintln!("calm Poisson days: {n} spikes in 30 days {seen:?}");
    assert_eq!(n, 0, "{seen:#?}");
}

#[test]
fn a_calm_bursty_days_have_no_spikes() {
    let (n, seen) = calm_days(&Model::bursty(), 100..130);
    eprintln!("calm over-dispersed days: {n} spikes in 30 days {seen:?}");
    assert_eq!(n, 0, "{seen:#?}");
}

#[test]
fn a_calm_sparse_days_have_no_spikes() {
    let (n, seen) = calm_days(&Model::sparse(), 200..230);
    eprintln!("calm sparse days: {n} spikes in 30 days {seen:?}");
    assert_eq!(n, 0, "{seen:#?}");
}

/// Exactly one errors spike overlapping `[start, end)`, starting within one bucket of
/// `start` and ending within two of `end`; returns it. Spikes elsewhere are added to
/// `strays` (false spikes: the caller bounds them by the model's measured false rate).
fn one_errors_spike(
    spikes: &[Spike],
    start: usize,
    end: usize,
    what: &str,
    strays: &mut usize,
) -> Spike {
    let hits: Vec<&Spike> = spikes
        .iter()
        .filter(|s| s.start < end && s.end > start)
        .collect();
    *strays += spikes.len() - hits.len();
    assert_eq!(hits.len(), 1, "{what}: {}", describe(spikes));
    let s = hits[0];
    assert_eq!(s.kind, SpikeKind::Errors, "{what}: {}", describe(spikes));
    assert!(
        s.start.abs_diff(start) <= 1,
        "{what}: onset {}",
        describe(spikes)
    );
    assert!(s.end.abs_diff(end) <= 2, "{what}: end {}", describe(spikes));
    s.clone()
}

/// The bursty model's log-normal shocks give about 0.04 false spikes a day (see
/// `measure`); 10 days of it may show one. The Poisson and sparse days show none.
fn models() -> [(Model, usize); 3] {
    [
        (Model::poisson(), 0),
        (Model::bursty(), 1),
        (Model::sparse(), 0),
    ]
}

#[test]
fn b_ten_minute_outage_is_one_spike_with_its_templates_first() {
    for (m, (model, allowed)) in models().iter().enumerate() {
        let mut strays = 0;
        for seed in 0..10u64 {
            let start = 60 + seed as usize * 131;
            let d = day(model, 1000 + seed, &[incident(start, 10, 20.0)], None);
            let what = format!("model {m} seed {seed} at {start}");
            let s = one_errors_spike(&d.detect(), start, start + 10, &what, &mut strays);
            let tops: Vec<usize> = s.templates.iter().take(3).map(|a| a.template).collect();
            assert_eq!(tops, vec![11, 6, 15], "{what}: {s:?}");
            assert!(s.templates[0].ratio > 10.0, "{what}: {s:?}");
        }
        assert!(strays <= *allowed, "model {m}: {strays} other spikes");
    }
}

#[test]
fn c_two_minute_burst_is_found() {
    for (m, (model, allowed)) in models().iter().enumerate() {
        let mut strays = 0;
        for seed in 0..10u64 {
            // Night and day alike.
            let start = 30 + seed as usize * 140;
            let d = day(model, 2000 + seed, &[incident(start, 2, 8.0)], None);
            let what = format!("model {m} seed {seed} at {start}");
            one_errors_spike(&d.detect(), start, start + 2, &what, &mut strays);
        }
        assert!(strays <= *allowed, "model {m}: {strays} other spikes");
    }
}

#[test]
fn d_flapping_outage_stays_one_spike() {
    for (m, (model, allowed)) in models().iter().enumerate() {
        let mut strays = 0;
        for seed in 0..10u64 {
            let start = 300 + seed as usize * 97;
            let flap = Incident {
                on: 3,
                off: 2,
                ..incident(start, 20, 20.0)
            };
            let d = day(model, 3000 + seed, &[flap], None);
            // The last "on" minutes are 15..18.
            let what = format!("model {m} seed {seed} at {start}");
            one_errors_spike(&d.detect(), start, start + 18, &what, &mut strays);
        }
        assert!(strays <= *allowed, "model {m}: {strays} other spikes");
    }
}

#[test]
fn e_incident_in_the_first_minutes() {
    for (m, (model, allowed)) in models().iter().enumerate() {
        let mut strays = 0;
        for seed in 0..10u64 {
            let d = day(model, 4000 + seed, &[incident(0, 5, 20.0)], None);
            let what = format!("model {m} seed {seed}");
            one_errors_spike(&d.detect(), 0, 5, &what, &mut strays);
        }
        assert!(strays <= *allowed, "model {m}: {strays} other spikes");
    }
}

#[test]
fn f_one_template_rising_under_the_noise() {
    // Template 12 carries ~1.8% of errors; for 30 busy minutes (~12 errors a minute) it
    // adds 10% of all errors: ×6 for it, +10% (well within noise) for the total.
    let j = 12;
    let mut found = 0;
    for seed in 0..10u64 {
        let start = 900 + seed as usize * 6;
        let d = day(
            &Model::poisson(),
            5000 + seed,
            &[template_rise(j, start, 30, 0.1)],
            None,
        );
        let spikes = d.detect();
        let what = format!("seed {seed} at {start}: {}", describe(&spikes));
        assert!(spikes.len() <= 1, "{what}");
        if let Some(s) = spikes.first() {
            assert_eq!(s.kind, SpikeKind::Template(j), "{what}");
            assert!(s.start < start + 30 && s.end > start, "{what}");
            assert_eq!(s.templates[0].template, j, "{what}");
            found += 1;
        }
    }
    eprintln!("template rise found on {found}/10 days");
    assert!(found >= 9, "found {found}/10");
}

#[test]
fn g_errors_in_step_with_traffic_are_no_spike() {
    for seed in 0..10u64 {
        let surge = Surge {
            start: 500 + seed as usize * 50,
            len: 60,
            factor: 3.0,
        };
        let d = day(&Model::poisson(), 6000 + seed, &[], Some(surge));
        let spikes = d.detect();
        assert!(spikes.is_empty(), "seed {seed}: {}", describe(&spikes));
    }
}

#[test]
fn edge_cases() {
    let none: Vec<Vec<u64>> = Vec::new();
    let run = |records: &[u64], errors: &[u64], templates: &[Vec<u64>]| {
        detect(
            &Series {
                start: 0,
                width: 60,
                records,
                errors,
                templates,
            },
            &Options::default(),
        )
    };
    assert!(run(&[], &[], &none).is_empty());
    assert!(run(&[100], &[50], &[vec![50]]).is_empty());
    assert!(run(&[0; 500], &[0; 500], &none).is_empty());
    assert!(run(&[1000; 500], &[0; 500], &[vec![0; 500]]).is_empty());
    // Errors without records (inconsistent input): every error is then its own record,
    // a rate of 1, and nothing stands out.
    let mut errors = vec![0u64; 300];
    errors[200] = 40;
    assert!(run(&[0; 300], &errors, &none).is_empty());
    // Template rows shorter than the series read as zeros; a longer errors row is cut.
    let mut errors = vec![10u64; 301];
    errors[200] = 200;
    let spikes = run(&[1000; 300], &errors, &[vec![1; 10], vec![], vec![5; 400]]);
    assert_eq!(spikes.len(), 1, "{}", describe(&spikes));
    assert_eq!((spikes[0].start, spikes[0].end), (200, 201));
    // Silence, then errors, then silence.
    let mut records = vec![0u64; 300];
    for r in &mut records[100..200] {
        *r = 100;
    }
    let spikes = run(&records, &vec![0; 300], &none);
    assert!(spikes.is_empty());
}

#[test]
fn huge_counts() {
    let mut rng = Rng(7);
    let len = 600;
    let records: Vec<u64> = (0..len).map(|_| 1_000_000_000_000u64).collect();
    let mut errors: Vec<u64> = (0..len).map(|_| rng.poisson(1e9)).collect();
    let calm = run_plain(&records, &errors);
    assert!(calm.is_empty(), "{}", describe(&calm));
    for e in &mut errors[400..410] {
        *e *= 2;
    }
    let spikes = run_plain(&records, &errors);
    assert_eq!(spikes.len(), 1, "{}", describe(&spikes));
    assert_eq!((spikes[0].start, spikes[0].end), (400, 410));
    assert!(spikes[0].score.is_finite() && spikes[0].expected.is_finite());
    let max = vec![u64::MAX; 100];
    let spikes = run_plain(&max, &max);
    assert!(spikes.is_empty());
}

fn run_plain(records: &[u64], errors: &[u64]) -> Vec<Spike> {
    detect(
        &Series {
            start: 0,
            width: 60,
            records,
            errors,
            templates: &[],
        },
        &Options::default(),
    )
}

#[test]
fn shorter_than_the_warm_up() {
    let model = Model {
        buckets: 40,
        ..Model::poisson()
    };
    for seed in 0..10u64 {
        let d = day(&model, 7000 + seed, &[], None);
        assert!(d.detect().is_empty(), "seed {seed}");
        let d = day(&model, 7000 + seed, &[incident(25, 5, 20.0)], None);
        let mut strays = 0;
        one_errors_spike(&d.detect(), 25, 30, &format!("seed {seed}"), &mut strays);
        assert_eq!(strays, 0);
    }
}

#[test]
fn deterministic_and_sensitivity() {
    let d = day(&Model::poisson(), 8, &[incident(700, 10, 20.0)], None);
    assert_eq!(d.detect(), d.detect());
    // A milder burst that only the high sensitivity may see; never fewer spikes there.
    let d = day(&Model::poisson(), 9, &[incident(700, 3, 3.0)], None);
    let normal = detect(&d.series(), &Options::default());
    let high = detect(&d.series(), &Options::high());
    assert!(high.len() >= normal.len());
}

#[test]
fn times_and_names_for_the_report() {
    let d = day(&Model::poisson(), 11, &[incident(700, 10, 20.0)], None);
    let series = d.series();
    let spikes = d.detect();
    assert_eq!(spikes.len(), 1, "{}", describe(&spikes));
    assert_eq!(spikes[0].kind.name(), "errors");
    assert_eq!(SpikeKind::Template(3).name(), "template");
    assert_eq!(series.time_of(spikes[0].start), series.start + 700 * 60);
    assert_eq!(series.time_of(spikes[0].end), series.start + 710 * 60);
}
