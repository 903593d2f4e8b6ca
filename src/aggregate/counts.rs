//! Grouped counts: a map from a group key (time bucket and `--by` values) to a count
//! and one [`Sketch`] per `--stats` field.
//!
//! Keys are encoded into a reused byte buffer ([`KeyBuf`]) and looked up by slice, so
//! a record whose group already exists costs a hash and a probe, no allocation.
//! Merging adds counts and merges sketches: associative and commutative.

use std::collections::HashMap;

use super::sketch::Sketch;

/// At most this many distinct groups per partial; later new groups fold into one
/// "other" group, and the output says so. Bounds memory when ids escape into `--by`.
pub const MAX_GROUPS: usize = 1_000_000;

type Map = HashMap<Box<[u8]>, Acc, foldhash::fast::FixedState>;

/// One group's numbers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Acc {
    pub count: u64,
    pub stats: Vec<Sketch>,
}

/// A mergeable grouped count.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    nstats: usize,
    map: Map,
    /// Records that fell into the "other" group because the map was full.
    pub folded: u64,
    /// Records left out of time buckets for lacking a timestamp.
    pub no_timestamp: u64,
}

/// The key of the group that absorbs new groups past [`MAX_GROUPS`].
pub const OTHER_KEY: &[u8] = b"\xffother";

impl Counts {
    pub fn new(nstats: usize) -> Counts {
        Counts {
            nstats,
            ..Counts::default()
        }
    }

    /// Adds one record to the group `key`, with its `--stats` values (`None`: missing).
    #[inline]
    pub fn add(&mut self, key: &[u8], values: &[Option<f64>]) {
        let acc = match self.map.get_mut(key) {
            Some(acc) => acc,
            None => {
                let k: &[u8] = if self.map.len() >= MAX_GROUPS {
                    self.folded += 1;
                    OTHER_KEY
                } else {
                    key
                };
                let nstats = self.nstats;
                self.map.entry(k.into()).or_insert_with(|| Acc {
                    count: 0,
                    stats: vec![Sketch::default(); nstats],
                })
            }
        };
        acc.count += 1;
        for (s, v) in acc.stats.iter_mut().zip(values) {
            if let Some(v) = v {
                s.add(*v);
            }
        }
    }

    /// Adds `n` records without `--stats` values to the group `key`: the same as `n`
    /// calls of [`Counts::add`] with no values (for counts kept outside the map, a
    /// few per chunk). It copies the key every time: calling `get_mut` here too made
    /// LLVM stop inlining it into `add`'s loop (callgrind: 24 more instructions per
    /// record for `count --by level --stats duration_ms`).
    pub fn add_n(&mut self, key: &[u8], n: u64) {
        let k: &[u8] = if self.map.len() >= MAX_GROUPS && !self.map.contains_key(key) {
            self.folded += n;
            OTHER_KEY
        } else {
            key
        };
        let nstats = self.nstats;
        self.map
            .entry(k.into())
            .or_insert_with(|| Acc {
                count: 0,
                stats: vec![Sketch::default(); nstats],
            })
            .count += n;
    }

    pub fn merge(&mut self, other: Counts) {
        self.folded += other.folded;
        self.no_timestamp += other.no_timestamp;
        if self.map.is_empty() {
            self.map = other.map;
            self.nstats = other.nstats;
            return;
        }
        for (k, acc) in other.map {
            match self.map.get_mut(&k) {
                Some(mine) => {
                    mine.count += acc.count;
                    for (a, b) in mine.stats.iter_mut().zip(&acc.stats) {
                        a.merge(b);
                    }
                }
                None => {
                    self.map.insert(k, acc);
                }
            }
        }
    }

    /// The groups, in no particular order.
    pub fn groups(&self) -> impl Iterator<Item = (&[u8], &Acc)> {
        self.map.iter().map(|(k, v)| (&**k, v))
    }

    pub fn into_groups(self) -> impl Iterator<Item = (Box<[u8]>, Acc)> {
        self.map.into_iter()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Builds group keys: an optional time bucket, then one optional value per `--by`.
#[derive(Default)]
pub struct KeyBuf {
    pub buf: Vec<u8>,
}

impl KeyBuf {
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    pub fn push_bucket(&mut self, start: i64) {
        self.buf.extend_from_slice(&start.to_be_bytes());
    }

    pub fn push_value(&mut self, v: Option<&[u8]>) {
        match v {
            None => self.buf.push(0),
            Some(b) => {
                self.buf.push(1);
                self.buf.extend_from_slice(&(b.len() as u32).to_le_bytes());
                self.buf.extend_from_slice(b);
            }
        }
    }
}

/// A decoded group key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Group {
    pub bucket: Option<i64>,
    pub values: Vec<Option<Vec<u8>>>,
    pub other: bool,
}

/// Decodes a key built by [`KeyBuf`] with `has_bucket` and `nby` values.
pub fn decode(key: &[u8], has_bucket: bool, nby: usize) -> Group {
    if key == OTHER_KEY {
        return Group {
            bucket: None,
            values: vec![None; nby],
            other: true,
        };
    }
    let mut at = 0;
    let bucket = has_bucket.then(|| {
        let b = i64::from_be_bytes(key[..8].try_into().expect("8 bytes"));
        at = 8;
        b
    });
    let mut values = Vec::with_capacity(nby);
    for _ in 0..nby {
        if key[at] == 0 {
            values.push(None);
            at += 1;
        } else {
            let len = u32::from_le_bytes(key[at + 1..at + 5].try_into().expect("4 bytes")) as usize;
            values.push(Some(key[at + 5..at + 5 + len].to_vec()));
            at += 5 + len;
        }
    }
    Group {
        bucket,
        values,
        other: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(bucket: Option<i64>, vals: &[Option<&[u8]>]) -> Vec<u8> {
        let mut k = KeyBuf::default();
        if let Some(b) = bucket {
            k.push_bucket(b);
        }
        for v in vals {
            k.push_value(*v);
        }
        k.buf
    }

    #[test]
    fn keys_round_trip() {
        let k = key(Some(-60), &[Some(b"api"), None, Some(b"")]);
        let g = decode(&k, true, 3);
        assert_eq!(g.bucket, Some(-60));
        assert_eq!(g.values, vec![Some(b"api".to_vec()), None, Some(vec![])]);
    }

    #[test]
    fn merge_adds() {
        let mut a = Counts::new(1);
        let mut b = Counts::new(1);
        let k1 = key(None, &[Some(b"x")]);
        let k2 = key(None, &[Some(b"y")]);
        a.add(&k1, &[Some(1.0)]);
        b.add(&k1, &[Some(3.0)]);
        b.add(&k2, &[None]);
        a.merge(b);
        let mut got: Vec<_> = a
            .groups()
            .map(|(k, v)| (k.to_vec(), v.count, v.stats[0].count()))
            .collect();
        got.sort();
        assert_eq!(got, vec![(k1, 2, 2), (k2, 1, 0)]);
    }
}
