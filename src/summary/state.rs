//! The mergeable summary behind `report` and `templates`: totals, levels, per-minute
//! counts, masked-message keys with their counts, levels, time range and first
//! example, and per-key error counts per minute (what spike attribution needs).
//!
//! Each worker fills one [`Summary`] per chunk; the sink merges them in input order.
//! Every field merges by addition, min/max, or "earliest example wins" — so the result
//! does not depend on thread count or chunking. The one exception is the distinct-key
//! cap ([`MAX_KEYS`]), applied by a deterministic rule (count, then key) when the map
//! grows past twice the cap; it only acts when ids escape masking.

use std::collections::HashMap;

use crate::parse::Level;
use crate::report::model::Levels;

pub type FixedState = foldhash::fast::FixedState;

/// Distinct masked keys kept; beyond, the least frequent fold into "other" (with a note).
pub const MAX_KEYS: usize = 100_000;
/// Distinct values kept per `--by` field; the rest fold into "other".
pub const MAX_BY_VALUES: usize = 10_000;
/// Longest example kept per key (bytes of the message's first line).
pub const MAX_EXAMPLE: usize = 1024;
/// The width of the buckets spikes are detected on (and the finest histogram).
pub const BASE_SECS: i64 = 60;
/// More buckets than this over the span double the width (past ~11 days at 1 minute).
pub const MAX_BUCKETS: i64 = 16_384;

/// Where a record is: input index and 1-based line number of its first line.
/// Within a worker's chunk summary the line is relative to the chunk (0-based);
/// the sink rebases it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct At {
    pub input: u32,
    pub line: u64,
}

/// What is known of one masked message key.
#[derive(Clone, Debug)]
pub struct KeyStats {
    pub masked: Box<[u8]>,
    pub count: u64,
    pub levels: Levels,
    pub first: Option<i64>,
    pub last: Option<i64>,
    pub example: Box<[u8]>,
    pub example_at: At,
}

/// The position of a [`KeyStats::stub`]: after every real one.
pub const NOWHERE: At = At {
    input: u32::MAX,
    line: u64::MAX,
};

impl KeyStats {
    /// A key's first entry: its masked text and an example at `at`.
    pub fn new(masked: &[u8], example: &[u8], at: At) -> KeyStats {
        KeyStats {
            masked: masked.into(),
            count: 0,
            levels: Levels::default(),
            first: None,
            last: None,
            example: example[..example.len().min(MAX_EXAMPLE)].into(),
            example_at: at,
        }
    }

    /// An entry without text or example, for a key whose worker already sent both in
    /// an earlier chunk: a worker's chunks rise in input order and the sink merges in
    /// input order, so that earlier entry is merged first and its example wins anyway.
    /// (Copying the text and example of each key again in every chunk cost ~4% of
    /// `report` with 2 MiB chunks.)
    pub fn stub() -> KeyStats {
        KeyStats {
            masked: Box::default(),
            count: 0,
            levels: Levels::default(),
            first: None,
            last: None,
            example: Box::default(),
            example_at: NOWHERE,
        }
    }

    fn merge(&mut self, o: KeyStats) {
        self.count += o.count;
        self.levels.merge(&o.levels);
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        if o.example_at < self.example_at {
            self.example = o.example;
            self.example_at = o.example_at;
        }
    }
}

/// Records and errors in one bucket.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub records: u64,
    pub errors: u64,
}

impl Tally {
    pub fn add(&mut self, o: Tally) {
        self.records += o.records;
        self.errors += o.errors;
    }
}

/// A mergeable summary of records.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub records: u64,
    pub lines: u64,
    pub unparsed: u64,
    pub levels: Levels,
    pub first: Option<i64>,
    pub last: Option<i64>,
    /// Records without a timestamp (in no bucket).
    pub no_ts: u64,
    /// Records left out by a time filter for lacking a timestamp.
    pub no_ts_filtered: u64,
    /// Bucket width in seconds (starts at [`BASE_SECS`], doubles on long spans).
    pub width: i64,
    /// Bucket start (Unix seconds) → tally.
    pub buckets: HashMap<i64, Tally, FixedState>,
    /// Masked key → stats.
    pub keys: HashMap<u64, KeyStats, FixedState>,
    /// (key, bucket start) → error + fatal records.
    pub key_errors: HashMap<(u64, i64), u64, FixedState>,
    /// Records (and their levels) whose keys were folded away by the cap.
    pub other: Levels,
    /// Distinct keys folded away by the cap.
    pub folded_keys: u64,
    /// Per `--by` field, the tallies of its values.
    pub by: Vec<ByValues>,
}

/// One `--by` field's tallies.
#[derive(Clone, Debug, Default)]
pub struct ByValues {
    pub values: HashMap<Box<[u8]>, Tally, FixedState>,
    /// Records without the field.
    pub missing: Tally,
    /// Records whose value was folded into "other" by the cap.
    pub other: Tally,
}

impl ByValues {
    #[inline]
    pub fn add(&mut self, v: Option<&[u8]>, t: Tally) {
        match v {
            None => self.missing.add(t),
            Some(v) => match self.values.get_mut(v) {
                Some(e) => e.add(t),
                None => {
                    self.values.insert(v.into(), t);
                }
            },
        }
    }

    fn merge(&mut self, o: ByValues) {
        for (v, t) in o.values {
            self.values.entry(v).or_default().add(t);
        }
        self.missing.add(o.missing);
        self.other.add(o.other);
    }

    fn cap(&mut self) {
        if self.values.len() <= 2 * MAX_BY_VALUES {
            return;
        }
        let mut all: Vec<(u64, Box<[u8]>)> = self
            .values
            .iter()
            .map(|(v, t)| (t.records, v.clone()))
            .collect();
        all.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, v) in all.drain(MAX_BY_VALUES..) {
            if let Some(t) = self.values.remove(&v) {
                self.other.add(t);
            }
        }
    }
}

impl Summary {
    pub fn new(nby: usize) -> Summary {
        Summary {
            width: BASE_SECS,
            by: vec![ByValues::default(); nby],
            ..Summary::default()
        }
    }

    /// Adds a record's key; `new` makes its entry when the key is new to this summary
    /// (finding a record's line number and cutting out its example cost a little, so
    /// only new keys pay it).
    pub fn add_key(
        &mut self,
        key: u64,
        level: Level,
        ts: Option<i64>,
        new: impl FnOnce() -> KeyStats,
    ) {
        let e = self.keys.entry(key).or_insert_with(new);
        e.count += 1;
        e.levels.add(level, 1);
        if let Some(t) = ts {
            e.first = min_opt(e.first, Some(t));
            e.last = max_opt(e.last, Some(t));
        }
    }

    /// Adds `other` into `self` (`other` comes later in input order, or is any
    /// partial: every field merges commutatively except examples, where the earliest
    /// position wins whatever the order).
    pub fn merge(&mut self, o: Summary) {
        self.records += o.records;
        self.lines += o.lines;
        self.unparsed += o.unparsed;
        self.levels.merge(&o.levels);
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        self.no_ts += o.no_ts;
        self.no_ts_filtered += o.no_ts_filtered;
        self.other.merge(&o.other);
        self.folded_keys += o.folded_keys;
        self.set_width(self.width.max(o.width));
        self.add_buckets(o.buckets, o.key_errors);
        for (k, s) in o.keys {
            match self.keys.get_mut(&k) {
                Some(e) => e.merge(s),
                // A stub whose key is not here: its first entry was folded away by the
                // cap (or lost with a chunk whose worker failed): count it as "other".
                None if s.example_at == NOWHERE => self.other.merge(&s.levels),
                None => {
                    self.keys.insert(k, s);
                }
            }
        }
        for (a, b) in self.by.iter_mut().zip(o.by) {
            a.merge(b);
        }
        self.widen();
        self.cap();
    }

    /// Re-buckets at `width` (a multiple of the current width).
    fn set_width(&mut self, width: i64) {
        if width == self.width {
            return;
        }
        self.width = width;
        let buckets = std::mem::take(&mut self.buckets);
        let key_errors = std::mem::take(&mut self.key_errors);
        self.add_buckets(buckets, key_errors);
    }

    /// Adds bucketed counts (at this width or a finer one that divides it).
    fn add_buckets(
        &mut self,
        buckets: HashMap<i64, Tally, FixedState>,
        key_errors: HashMap<(u64, i64), u64, FixedState>,
    ) {
        let w = self.width;
        for (b, t) in buckets {
            self.buckets.entry(b.div_euclid(w) * w).or_default().add(t);
        }
        for ((k, b), n) in key_errors {
            *self.key_errors.entry((k, b.div_euclid(w) * w)).or_default() += n;
        }
    }

    /// Doubles the bucket width while the span holds more than [`MAX_BUCKETS`].
    fn widen(&mut self) {
        let (Some(lo), Some(hi)) = (self.buckets.keys().min(), self.buckets.keys().max()) else {
            return;
        };
        let (lo, hi) = (*lo, *hi);
        let mut w = self.width;
        while (hi - lo) / w >= MAX_BUCKETS {
            w *= 2;
        }
        self.set_width(w);
    }

    /// Keeps the map of keys (and of `--by` values) bounded: past twice the cap, the
    /// least frequent keys (count, then key) fold into "other".
    fn cap(&mut self) {
        if self.keys.len() > 2 * MAX_KEYS {
            let mut all: Vec<(u64, u64)> = self.keys.iter().map(|(k, s)| (s.count, *k)).collect();
            all.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            for &(_, k) in &all[MAX_KEYS..] {
                if let Some(s) = self.keys.remove(&k) {
                    self.other.merge(&s.levels);
                    self.folded_keys += 1;
                }
            }
            self.key_errors
                .retain(|(k, _), _| self.keys.contains_key(k));
        }
        for b in &mut self.by {
            b.cap();
        }
    }
}

pub fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

pub fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    a.max(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn partial(keys: &[(u64, u32, u64)], bucket: i64) -> Summary {
        let mut s = Summary::new(0);
        for &(k, input, line) in keys {
            s.records += 1;
            s.levels.add(Level::Error, 1);
            let example = format!("m {line}");
            s.add_key(k, Level::Error, Some(bucket * 1_000_000_000), || {
                KeyStats::new(b"m <*>", example.as_bytes(), At { input, line })
            });
            s.buckets.entry(bucket).or_default().add(Tally {
                records: 1,
                errors: 1,
            });
            *s.key_errors.entry((k, bucket)).or_default() += 1;
        }
        s
    }

    fn digest(s: &Summary) -> String {
        let mut keys: Vec<_> = s
            .keys
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    v.count,
                    v.example.clone(),
                    v.example_at,
                    v.first,
                    v.last,
                )
            })
            .collect();
        keys.sort();
        let mut b: Vec<_> = s.buckets.iter().map(|(k, v)| (*k, *v)).collect();
        b.sort_by_key(|x| x.0);
        let mut e: Vec<_> = s.key_errors.iter().map(|(k, v)| (*k, *v)).collect();
        e.sort();
        format!("{} {:?} {keys:?} {b:?} {e:?}", s.records, s.levels)
    }

    #[test]
    fn merge_is_commutative_and_earliest_example_wins() {
        let a = partial(&[(1, 0, 5), (2, 0, 6)], 60);
        let b = partial(&[(1, 0, 2), (3, 1, 1)], 120);
        let mut ab = Summary::new(0);
        ab.merge(a.clone());
        ab.merge(b.clone());
        let mut ba = Summary::new(0);
        ba.merge(b);
        ba.merge(a);
        assert_eq!(digest(&ab), digest(&ba));
        assert_eq!(&*ab.keys[&1].example, b"m 2");
        assert_eq!(ab.keys[&1].count, 2);
    }

    #[test]
    fn long_spans_widen_buckets() {
        let mut s = Summary::new(0);
        s.merge(partial(&[(1, 0, 1)], 0));
        s.merge(partial(&[(1, 0, 2)], 60 * MAX_BUCKETS * 3));
        assert!(s.width >= 4 * BASE_SECS, "width {}", s.width);
        assert_eq!(s.buckets.len(), 2);
        assert_eq!(s.buckets.values().map(|t| t.records).sum::<u64>(), 2);
        assert!(s.key_errors.keys().all(|(_, b)| b % s.width == 0));
    }
}
