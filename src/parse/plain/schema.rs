//! The header schema: learned once per input from a sample of its records, then
//! matched against every line.
//!
//! The schema is a sequence of field classes (`T T L B C`: date, time, level,
//! `[thread]`, `logger:`). Learning picks the *longest* class prefix that at least 40%
//! of the sample lines share exactly and at least 80% share exactly or loosely, subject
//! to the shape rules in [`plausible`] (research note §1; the thresholds held over
//! 0.3–0.5 and 0.6–0.95 there). A *loose* match keeps the anchor classes (T, B, C) in
//! the same order and finds the schema's last class within two fields of where the
//! schema puts it: it absorbs a process name with a space in it, or an optional field.
//!
//! Everything a line needs is decided here, once: which fields make the timestamp
//! (the span that parses on most sample lines, preferring the most precise), which
//! field is the level, whether a padded component column follows the header, and
//! which fields have a shortcut (`shortcut.rs`).

use std::cmp::Reverse;
use std::collections::HashMap;

use super::fields::{CAP, Class, Fields, MAX_FIELDS};
use super::shortcut::{self, Shortcut};
use crate::parse::time::scan;

/// Share of sample lines that must match a schema exactly.
const EXACT_SUPPORT: f64 = 0.4;
/// Share of sample lines that must match it exactly or loosely.
const LOOSE_SUPPORT: f64 = 0.8;
/// Share of sample lines whose header is followed by a padded column (`CBS    msg`)
/// for that column to count as part of the header.
const COMPONENT_SUPPORT: f64 = 0.9;
/// How far (in fields) a loose match may find the schema's last class from its place.
const LOOSE_WINDOW: usize = 2;
/// The most fields one timestamp spans (`Sun Dec 04 04:47:44 2005` is five words but
/// one bracket group; `Jun 14 15:16:01` is three).
const MAX_TS_FIELDS: usize = 4;

/// A learned header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Schema {
    pub cls: Vec<Class>,
    /// The anchor classes of `cls`, in order (what a loose match must keep).
    sig: Vec<Class>,
    /// The schema field holding the level.
    pub level: Option<usize>,
    /// The schema fields (first, last) holding the timestamp.
    pub ts: Option<(usize, usize)>,
    /// Other spans that read as timestamps (`1117838570 2005.06.03` before BGL's full
    /// timestamp): not fields of their own.
    pub other_ts: Vec<(usize, usize)>,
    /// A padded component column follows the header (`Info   CBS    Loaded …`).
    pub component: bool,
    /// How a line that fits exactly is read, field by field.
    pub steps: Vec<Step>,
}

/// Reading one schema field of a line that fits exactly: the class it must have, a
/// quick way to read it when the sample shows one, and what the record takes from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Step {
    pub class: Class,
    pub shortcut: Shortcut,
    /// [`TS_START`], [`TS_END`], [`TS_GROUP`] and [`LEVEL`], or 0.
    pub role: u8,
}

/// The field starts the timestamp.
pub(super) const TS_START: u8 = 1;
/// The field ends the timestamp.
pub(super) const TS_END: u8 = 2;
/// The field is the whole timestamp, and a bracket group holds it.
pub(super) const TS_GROUP: u8 = 4;
/// The field is the level.
pub(super) const LEVEL: u8 = 8;

/// How a line fits the schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Fit {
    Exact,
    /// `last` is the line field holding the schema's last class; the first `agree`
    /// fields have the schema's classes.
    Loose {
        last: usize,
        agree: usize,
    },
    None,
}

impl Schema {
    fn new(cls: Vec<Class>) -> Schema {
        let sig = cls.iter().copied().filter(|c| c.is_anchor()).collect();
        Schema {
            cls,
            sig,
            level: None,
            ts: None,
            other_ts: Vec::new(),
            component: false,
            steps: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.cls.len()
    }

    /// How `fl` fits: one class comparison per field for the common exact case.
    #[inline]
    pub(super) fn fit(&self, fl: &mut Fields) -> Fit {
        let k = self.cls.len();
        let mut agree = 0;
        while agree < k && fl.class(agree) == Some(self.cls[agree]) {
            agree += 1;
        }
        if agree == k {
            return Fit::Exact;
        }
        self.fit_loose(fl, agree)
    }

    #[cold]
    fn fit_loose(&self, fl: &mut Fields, agree: usize) -> Fit {
        let k = self.cls.len();
        let last = self.cls[k - 1];
        // Nearest to the schema's own position first; the shorter header on a tie.
        for d in 0..=LOOSE_WINDOW {
            let longer = (d > 0).then_some(k - 1 + d);
            for j in [(k - 1).checked_sub(d), longer].into_iter().flatten() {
                if j < CAP && fl.class(j) == Some(last) && self.anchors_match(fl, j) {
                    return Fit::Loose {
                        last: j,
                        agree: agree.min(j),
                    };
                }
            }
        }
        Fit::None
    }

    /// Do the anchor classes of line fields `0..=j` equal the schema's?
    fn anchors_match(&self, fl: &mut Fields, j: usize) -> bool {
        let mut s = 0;
        for i in 0..=j {
            let Some(c) = fl.class(i) else { return false };
            if c.is_anchor() {
                if self.sig.get(s) != Some(&c) {
                    return false;
                }
                s += 1;
            }
        }
        s == self.sig.len()
    }

    /// The line field of schema field `i` under `fit`: the same index in the agreeing
    /// prefix, counted back from the last field after it; `None` when the line has
    /// no field of that class there.
    #[inline]
    pub(super) fn map(&self, fl: &mut Fields, fit: Fit, i: usize) -> Option<usize> {
        match fit {
            Fit::Exact => Some(i),
            Fit::Loose { last, agree } => {
                if i < agree {
                    return Some(i);
                }
                let back = self.cls.len() - 1 - i;
                let li = last.checked_sub(back).filter(|&li| li >= agree)?;
                (fl.class(li) == Some(self.cls[i])).then_some(li)
            }
            Fit::None => None,
        }
    }

    /// The line field holding the schema's last class.
    pub(super) fn last(&self, fit: Fit) -> Option<usize> {
        match fit {
            Fit::Exact => Some(self.cls.len() - 1),
            Fit::Loose { last, .. } => Some(last),
            Fit::None => None,
        }
    }
}

/// The shape rules of a schema: it ends in something other than X (a free word
/// cannot end a header: it is where messages start), has a C only at its end (a
/// `word:` is a logger or process once, then it is message text), contains a
/// timestamp, level or bracket group, and has at most 3 X in a row.
fn plausible(p: &[Class]) -> bool {
    let Some((&last, init)) = p.split_last() else {
        return false;
    };
    if last == Class::X || init.contains(&Class::C) {
        return false;
    }
    if !p
        .iter()
        .any(|c| matches!(c, Class::T | Class::L | Class::B))
    {
        return false;
    }
    let mut run = 0;
    for &c in p {
        run = if c == Class::X { run + 1 } else { 0 };
        if run > 3 {
            return false;
        }
    }
    true
}

/// Learns a schema from sample lines (first lines of records); `None` when no class
/// prefix has the support the module documentation describes.
pub(super) fn learn(lines: &[&[u8]]) -> Option<Schema> {
    let n = lines.len();
    if n == 0 {
        return None;
    }
    let seqs: Vec<Vec<Class>> = lines
        .iter()
        .map(|l| {
            let mut fl = Fields::new(l);
            (0..MAX_FIELDS).map_while(|i| fl.class(i)).collect()
        })
        .collect();
    let mut counts: HashMap<&[Class], usize> = HashMap::new();
    for s in &seqs {
        for k in 1..=s.len() {
            *counts.entry(&s[..k]).or_default() += 1;
        }
    }
    let mut cands: Vec<(&[Class], usize)> = counts
        .into_iter()
        .filter(|&(p, c)| c as f64 >= EXACT_SUPPORT * n as f64 && plausible(p))
        .collect();
    // Longest first; then the best supported; then a fixed order, for determinism.
    cands.sort_by(|a, b| {
        b.0.len()
            .cmp(&a.0.len())
            .then(b.1.cmp(&a.1))
            .then(a.0.cmp(b.0))
    });
    for (p, _) in cands {
        let mut schema = Schema::new(p.to_vec());
        let fits: Vec<Fit> = lines
            .iter()
            .map(|l| schema.fit(&mut Fields::new(l)))
            .collect();
        let loose = fits.iter().filter(|f| **f != Fit::None).count();
        if (loose as f64) < LOOSE_SUPPORT * n as f64 {
            continue;
        }
        schema.level = schema.cls.iter().position(|&c| c == Class::L);
        let mut spans = learn_ts(&schema, lines, &fits).into_iter();
        schema.ts = spans.next();
        schema.other_ts = spans.collect();
        schema.component = learn_component(&schema, lines, &fits);
        let exact: Vec<&[u8]> = lines
            .iter()
            .zip(&fits)
            .filter(|(_, f)| **f == Fit::Exact)
            .map(|(l, _)| *l)
            .collect();
        let shortcuts = shortcut::learn(&schema.cls, &exact);
        schema.steps = steps(&schema, shortcuts);
        return Some(schema);
    }
    None
}

/// The steps of reading a line that fits `schema` exactly.
fn steps(schema: &Schema, shortcuts: Vec<Shortcut>) -> Vec<Step> {
    schema
        .cls
        .iter()
        .zip(shortcuts)
        .enumerate()
        .map(|(i, (&class, shortcut))| {
            let mut role = 0;
            if let Some((a, b)) = schema.ts {
                if i == a {
                    role |= TS_START;
                }
                if i == b {
                    role |= TS_END;
                }
                if a == b && i == a {
                    role |= TS_GROUP;
                }
            }
            if schema.level == Some(i) {
                role |= LEVEL;
            }
            Step {
                class,
                shortcut,
                role,
            }
        })
        .collect()
}

/// The spans of schema fields that read as a timestamp on at least half of the
/// exactly matching lines, best first and not overlapping: the most precise (year,
/// time of day, fraction), then the one that parses most often, then the longest,
/// then the first. The best is the record's timestamp.
fn learn_ts(schema: &Schema, lines: &[&[u8]], fits: &[Fit]) -> Vec<(usize, usize)> {
    let exact: Vec<&[u8]> = lines
        .iter()
        .zip(fits)
        .filter(|(_, f)| **f == Fit::Exact)
        .map(|(l, _)| *l)
        .collect();
    let k = schema.len();
    // (precision, hits, extra fields, earlier first) and the span.
    type Key = (u8, usize, usize, Reverse<usize>);
    let mut cands: Vec<(Key, (usize, usize))> = Vec::new();
    for a in 0..k {
        for b in a..k.min(a + MAX_TS_FIELDS) {
            let span = &schema.cls[a..=b];
            let ok = if a == b {
                matches!(span[0], Class::T | Class::N | Class::B)
            } else {
                span.iter().all(|c| matches!(c, Class::T | Class::N))
            };
            if !ok {
                break;
            }
            let mut hits = 0;
            let mut precision = 0;
            for l in &exact {
                let mut fl = Fields::new(l);
                let (Some((fa, _)), Some((fb, _))) = (fl.get(a), fl.get(b)) else {
                    continue;
                };
                if let Some(st) = scan(&l[fa.start as usize..fb.end as usize]) {
                    if hits == 0 {
                        precision = st.precision();
                    }
                    hits += 1;
                }
            }
            if hits > 0 && hits * 2 >= exact.len() {
                cands.push(((precision, hits, b - a, Reverse(a)), (a, b)));
            }
        }
    }
    cands.sort_by_key(|c| Reverse(c.0));
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (_, (a, b)) in cands {
        if out.iter().all(|&(x, y)| b < x || a > y) {
            out.push((a, b));
        }
    }
    out
}

/// Does a padded X column follow the header on nearly every line (`Info   CBS    Loaded`)?
fn learn_component(schema: &Schema, lines: &[&[u8]], fits: &[Fit]) -> bool {
    let hits = lines
        .iter()
        .zip(fits)
        .filter(|(l, fit)| {
            let mut fl = Fields::new(l);
            let Some(last) = schema.last(**fit) else {
                return false;
            };
            fl.class(last + 1) == Some(Class::X) && fl.wide_gap_after(last + 1)
        })
        .count();
    hits as f64 >= COMPONENT_SUPPORT * lines.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use Class::*;

    fn learn_str(lines: &[&str]) -> Option<Schema> {
        let v: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        learn(&v)
    }

    #[test]
    fn plausibility() {
        assert!(plausible(&[T, T, L, B, C]));
        assert!(!plausible(&[T, L, X]));
        assert!(!plausible(&[T, C, X, C]));
        assert!(!plausible(&[N, X, S]));
        assert!(!plausible(&[T, X, X, X, X, S]));
        assert!(plausible(&[S, T, T, X, T, X, X, X, L]));
    }

    #[test]
    fn learns_the_longest_supported_prefix() {
        let s = learn_str(&[
            "2026-11-28T13:04:05.123Z INFO  [api-1] a.B - Connection to x timed out",
            "2026-11-28T13:04:06.123Z WARN  [api-2] a.C - Slow: query",
            "2026-11-28T13:04:07.123Z INFO  [web-1] d.E - GET /x 200",
        ])
        .unwrap();
        assert_eq!(s.cls, [T, L, B, X, S]);
        assert_eq!((s.level, s.ts, s.component), (Some(1), Some((0, 0)), false));
    }

    #[test]
    fn loose_match_absorbs_a_spaced_process_name() {
        let s = learn_str(&[
            "Jul  1 09:00:55 host kernel[0]: a",
            "Jul  1 09:00:56 host kernel[0]: b c",
            "Jul  1 09:00:57 host sshd[12]: d",
            "Jul  1 09:00:58 host Google Chrome Helper[12]: e",
        ])
        .unwrap();
        assert_eq!(s.cls, [T, N, T, X, C]);
        assert_eq!(s.ts, Some((0, 2)));
        let line = b"Jul  1 09:00:58 host Google Chrome Helper[12]: e";
        let mut fl = Fields::new(line);
        let fit = s.fit(&mut fl);
        assert_eq!(fit, Fit::Loose { last: 6, agree: 4 });
        assert_eq!(s.map(&mut fl, fit, 3), Some(3));
        assert_eq!(s.map(&mut fl, fit, 4), Some(6));
        assert_eq!(s.map(&mut fl, fit, 2), Some(2));
    }

    #[test]
    fn nothing_to_learn() {
        assert_eq!(learn_str(&[]), None);
        assert_eq!(
            learn_str(&["hello world", "foo bar baz", "no header here"]),
            None
        );
    }
}
