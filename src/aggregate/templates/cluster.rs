//! Clustering distinct masked keys into templates, once, at merge time.
//!
//! Masking leaves some variables as text (user names, enumerations, ids with no
//! digits), so one template can have several keys. Over the distinct keys only —
//! thousands, not millions of lines, and never dependent on threads or chunking —
//! this repeats until nothing changes:
//!
//! * Templates of equal length that differ at one position only form a group, and the
//!   group becomes one template when that position is evidently variable
//!   ([`decide`]): a member's token there is already a pattern that matches every
//!   other value (`<*>`, or `<*>,` against `LOCAL(<*>),`); the values differ only in
//!   their digits (`CPU0`, `CPU1`); there are at least [`MIN_VALUES`] of them; or at
//!   least [`MIN_KNOWN_VALUES`], two of which also vary in another group or were
//!   merged before (user names recur across templates; an enumeration of states,
//!   each in one template only, does not merge).
//! * A parenthesised token right after a variable, `<*> (host.name)`, goes when the
//!   same template exists without it — masking absorbs `(<*>)` after a variable, so
//!   that template is the evidence that the parentheses hold a value.
//! * A variable may span words: `{ read write }` joins `{ <*> }` when every word in
//!   the span is a known value (merged into a slot before), so that
//!   `for invalid user <*>` does not join `for <*>`.
//! * When nothing else merges: templates that differ in two or three positions at
//!   once, each holding a word no other template of that length has there (two ids
//!   that escaped masking), merge when [`MIN_VALUES`] of them agree elsewhere.
//!
//! A merged template keeps at least [`MIN_CONSTANTS`] constant tokens, so short
//! messages (`onResume`, `cupsd startup succeeded`) never merge. After each merge runs
//! of `<*>` collapse (a multi-word value becomes one `<*>`), and templates that became
//! equal are joined.
//!
//! The result depends only on the set of keys: input is sorted first, tokens are
//! numbered in sorted order, and every step iterates in an order derived from them.

use std::borrow::Cow;
use std::collections::HashMap;

use memchr::memmem;

use super::mask::VAR;

/// Distinct values at a position that make it a variable on their own.
pub const MIN_VALUES: usize = 5;
/// Distinct values at a position that make it a variable when two of them are known
/// variable values.
pub const MIN_KNOWN_VALUES: usize = 3;
/// Words a variable may span beyond its first when a template joins a shorter one.
pub const MAX_SPAN: usize = 3;
/// Constant tokens (with no `<*>` in them) a merged template keeps, at least.
pub const MIN_CONSTANTS: usize = 3;

/// The result of clustering distinct masked keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Clustering {
    /// For each input key (same index as given to [`cluster`]), the index of its template.
    pub template_of: Vec<usize>,
    /// Template texts (`<*>` for variables), most frequent first, then by text.
    pub templates: Vec<String>,
    /// The summed count of each template's keys (same index as `templates`).
    pub counts: Vec<u64>,
}

/// Clusters distinct masked keys (masked text, count) into templates. The result does
/// not depend on the order of `keys`; a text given twice is one key.
pub fn cluster(keys: &[(&[u8], u64)]) -> Clustering {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].0.cmp(keys[b].0));
    let mut m = Miner::default();
    m.intern(Cow::Borrowed(VAR));
    let mut key_tpl = vec![0usize; keys.len()];
    let mut prev: Option<&[u8]> = None;
    for &k in &order {
        let (text, count) = keys[k];
        if prev == Some(text) {
            let t = m.tpls.len() - 1;
            m.tpls[t].count += count;
            key_tpl[k] = t;
            continue;
        }
        prev = Some(text);
        let mut toks: Vec<u32> = text
            .split(|&b| b == b' ')
            .filter(|t| !t.is_empty())
            .map(|t| m.intern(Cow::Borrowed(t)))
            .collect();
        collapse(&mut toks);
        key_tpl[k] = m.tpls.len();
        m.push(toks, count);
    }
    m.join_equal();
    loop {
        let absorbed = m.absorb_parens();
        let spanned = m.absorb_spans();
        let merged = m.merge_round();
        m.join_equal();
        if !absorbed && !spanned && !merged && !m.merge_rare() {
            break;
        }
    }
    m.finish(&key_tpl)
}

/// The token id of `<*>`.
const V: u32 = 0;

struct Tpl {
    toks: Vec<u32>,
    count: u64,
    /// Where this template went when it merged into another; itself while alive.
    parent: usize,
}

/// Templates of one length that differ only at position `p`, with their distinct
/// values there.
struct Group {
    p: usize,
    members: Vec<usize>,
    values: Vec<u32>,
}

#[derive(Default)]
struct Miner<'a> {
    names: Vec<Cow<'a, [u8]>>,
    ids: HashMap<Cow<'a, [u8]>, u32, foldhash::fast::FixedState>,
    /// Per token: whether it holds a `<*>`.
    has_var: Vec<bool>,
    /// Per token: whether it has been merged into a variable slot.
    known: Vec<bool>,
    tpls: Vec<Tpl>,
}

impl<'a> Miner<'a> {
    fn intern(&mut self, t: Cow<'a, [u8]>) -> u32 {
        if let Some(&id) = self.ids.get(&t) {
            return id;
        }
        let id = self.names.len() as u32;
        self.has_var.push(memmem::find(&t, VAR).is_some());
        self.known.push(false);
        self.names.push(t.clone());
        self.ids.insert(t, id);
        id
    }

    fn push(&mut self, toks: Vec<u32>, count: u64) -> usize {
        let t = self.tpls.len();
        self.tpls.push(Tpl {
            toks,
            count,
            parent: t,
        });
        t
    }

    fn alive(&self, t: usize) -> bool {
        self.tpls[t].parent == t
    }

    /// The live template that `t` went into.
    fn find(&self, mut t: usize) -> usize {
        while self.tpls[t].parent != t {
            t = self.tpls[t].parent;
        }
        t
    }

    /// Merges live templates `members` into a new one with `toks`.
    fn merge(&mut self, members: &[usize], mut toks: Vec<u32>) {
        collapse(&mut toks);
        let count = members.iter().map(|&t| self.tpls[t].count).sum();
        let new = self.push(toks, count);
        for &t in members {
            self.tpls[t].parent = new;
        }
    }

    fn constants(&self, toks: &[u32], except: usize) -> usize {
        toks.iter()
            .enumerate()
            .filter(|&(i, &k)| i != except && !self.has_var[k as usize])
            .count()
    }

    /// Joins live templates with equal tokens (the first in token order survives).
    fn join_equal(&mut self) {
        let mut live: Vec<usize> = (0..self.tpls.len()).filter(|&t| self.alive(t)).collect();
        live.sort_by(|&a, &b| self.tpls[a].toks.cmp(&self.tpls[b].toks).then(a.cmp(&b)));
        for w in 1..live.len() {
            let a = self.find(live[w - 1]);
            let b = live[w];
            if self.tpls[a].toks == self.tpls[b].toks {
                self.tpls[b].parent = a;
                self.tpls[a].count += self.tpls[b].count;
            }
        }
    }

    /// A variable can span words (`{ read write }` where most have `{ <*> }`): a
    /// template goes into a shorter one whose `<*>` stands where it has up to
    /// [`MAX_SPAN`] words, all of them known variable values (merged into a slot
    /// before) or variables. `Failed password for invalid user <*>` stays apart from
    /// `Failed password for <*>`: `invalid` and `user` were never values. Returns
    /// whether anything moved.
    fn absorb_spans(&mut self) -> bool {
        let live: Vec<usize> = (0..self.tpls.len()).filter(|&t| self.alive(t)).collect();
        // (length, hash before the slot, hash after it) → template, for every `<*>`.
        let mut slots: HashMap<(usize, u64, u64), usize, foldhash::fast::FixedState> =
            HashMap::default();
        for &t in &live {
            let toks = &self.tpls[t].toks;
            if self.constants(toks, usize::MAX) < MIN_CONSTANTS {
                continue;
            }
            let (pre, suf) = (prefix_hashes(toks), suffix_hashes(toks));
            for (p, &k) in toks.iter().enumerate() {
                if k == V {
                    slots.entry((toks.len(), pre[p], suf[p + 1])).or_insert(t);
                }
            }
        }
        if slots.is_empty() {
            return false;
        }
        let mut changed = false;
        for &t in &live {
            let toks = &self.tpls[t].toks;
            let (pre, suf) = (prefix_hashes(toks), suffix_hashes(toks));
            let valueish = |k: u32| self.known[k as usize] || self.has_var[k as usize];
            let mut into = None;
            'find: for p in 0..toks.len() {
                if !valueish(toks[p]) {
                    continue;
                }
                for m in 1..=MAX_SPAN {
                    let end = p + m + 1;
                    if end > toks.len() || !valueish(toks[p + m]) {
                        break;
                    }
                    let Some(&f) = slots.get(&(toks.len() - m, pre[p], suf[end])) else {
                        continue;
                    };
                    let short = &self.tpls[f].toks;
                    if short[..p] == toks[..p] && short[p] == V && short[p + 1..] == toks[end..] {
                        into = Some(f);
                        break 'find;
                    }
                }
            }
            if let Some(f) = into {
                let f = self.find(f);
                if f != t && self.alive(t) {
                    self.tpls[t].parent = f;
                    self.tpls[f].count += self.tpls[t].count;
                    changed = true;
                }
            }
        }
        changed
    }

    /// `<*> (x)` goes into `<*>` when a live template is exactly this one without
    /// `(x)`; returns whether anything moved.
    fn absorb_parens(&mut self) -> bool {
        let live: Vec<usize> = (0..self.tpls.len()).filter(|&t| self.alive(t)).collect();
        let index: HashMap<Vec<u32>, usize> = live
            .iter()
            .map(|&t| (self.tpls[t].toks.clone(), t))
            .collect();
        let mut changed = false;
        for &t in &live {
            let toks = &self.tpls[t].toks;
            let Some(i) = (1..toks.len()).find(|&i| {
                let name = &self.names[toks[i] as usize];
                toks[i - 1] == V && name.len() >= 2 && name[0] == b'(' && name.ends_with(b")")
            }) else {
                continue;
            };
            let mut without = toks.clone();
            without.remove(i);
            collapse(&mut without);
            if self.constants(&without, usize::MAX) < MIN_CONSTANTS {
                continue;
            }
            if let Some(&f) = index.get(&without) {
                let f = self.find(f);
                if f != t {
                    self.tpls[t].parent = f;
                    self.tpls[f].count += self.tpls[t].count;
                    changed = true;
                }
            }
        }
        changed
    }

    /// One round: finds every group of live templates that differ at one position
    /// only, then decides them in order; returns whether anything merged.
    fn merge_round(&mut self) -> bool {
        let groups = self.find_groups();
        // How many groups each value varies in: a user name seen in both `session
        // opened for user X` and `session closed for user X`.
        let mut slots = vec![0u32; self.names.len()];
        for g in &groups {
            for &v in &g.values {
                slots[v as usize] += 1;
            }
        }
        let mut changed = false;
        for g in &groups {
            let members: Vec<usize> = g
                .members
                .iter()
                .copied()
                .filter(|&t| self.alive(t))
                .collect();
            if members.len() < 2 {
                continue;
            }
            let mut values: Vec<u32> = members.iter().map(|&t| self.tpls[t].toks[g.p]).collect();
            values.sort_unstable();
            values.dedup();
            let Some(slot) = self.decide(&self.tpls[members[0]].toks, g.p, &values, &slots) else {
                continue;
            };
            let slot = slot.unwrap_or_else(|| self.slot(&values));
            for &v in &values {
                self.known[v as usize] = true;
            }
            let mut toks = self.tpls[members[0]].toks.clone();
            toks[g.p] = slot;
            self.merge(&members, toks);
            changed = true;
        }
        changed
    }

    /// Templates that differ in two or three positions at once, where each has a word
    /// no other template of its length has there (`cache key X evicted in region Y`,
    /// X and Y ids that escaped masking): [`MIN_VALUES`] or more of them with equal
    /// other words become one template. Tried when nothing else merges; returns
    /// whether anything did.
    fn merge_rare(&mut self) -> bool {
        let mut live: Vec<usize> = (0..self.tpls.len()).filter(|&t| self.alive(t)).collect();
        live.sort_by_key(|&t| (self.tpls[t].toks.len(), t));
        let mut changed = false;
        let lens: Vec<usize> = live.iter().map(|&t| self.tpls[t].toks.len()).collect();
        let mut start = 0;
        while start < live.len() {
            let end = start
                + lens[start..]
                    .iter()
                    .take_while(|&&l| l == lens[start])
                    .count();
            let same_len = &live[start..end];
            start = end;
            if same_len.len() < MIN_VALUES {
                continue;
            }
            let mut count: HashMap<(usize, u32), u32, foldhash::fast::FixedState> =
                HashMap::default();
            for &t in same_len {
                for (p, &k) in self.tpls[t].toks.iter().enumerate() {
                    *count.entry((p, k)).or_default() += 1;
                }
            }
            // (hash of the rare positions and of the other words, template)
            let mut rows: Vec<(u64, usize)> = Vec::new();
            for &t in same_len {
                let toks = &self.tpls[t].toks;
                let rare = |p: usize| toks[p] != V && count[&(p, toks[p])] == 1;
                let n = (0..toks.len()).filter(|&p| rare(p)).count();
                if !(2..=3).contains(&n) {
                    continue;
                }
                let h = toks.iter().enumerate().fold(0u64, |h, (p, &k)| {
                    let k = if rare(p) { u32::MAX } else { k };
                    mix(k, h ^ p as u64)
                });
                rows.push((h, t));
            }
            rows.sort_unstable();
            for run in rows
                .chunk_by(|a, b| a.0 == b.0)
                .filter(|r| r.len() >= MIN_VALUES)
            {
                let first = &self.tpls[run[0].1].toks;
                let rare: Vec<usize> = (0..first.len())
                    .filter(|&p| first[p] != V && count[&(p, first[p])] == 1)
                    .collect();
                let members: Vec<usize> = run
                    .iter()
                    .map(|r| r.1)
                    .filter(|&t| {
                        let toks = &self.tpls[t].toks;
                        (0..toks.len()).all(|p| rare.contains(&p) || toks[p] == first[p])
                    })
                    .collect();
                let mut toks = first.clone();
                for &p in &rare {
                    toks[p] = V;
                }
                if members.len() < MIN_VALUES || self.constants(&toks, usize::MAX) < MIN_CONSTANTS {
                    continue;
                }
                for &t in &members {
                    for &p in &rare {
                        let v = self.tpls[t].toks[p];
                        self.known[v as usize] = true;
                    }
                }
                self.merge(&members, toks);
                changed = true;
            }
        }
        changed
    }

    /// Every group of two or more live templates of equal length that differ at
    /// exactly one position, in a deterministic order (length, position, signature).
    fn find_groups(&self) -> Vec<Group> {
        let tpls = &self.tpls;
        let mut live: Vec<usize> = (0..tpls.len()).filter(|&t| self.alive(t)).collect();
        live.sort_by_key(|&t| (tpls[t].toks.len(), t));
        // A template's signature without position p is its sum minus one term.
        let sums: Vec<u64> = live
            .iter()
            .map(|&t| {
                tpls[t]
                    .toks
                    .iter()
                    .enumerate()
                    .fold(0u64, |s, (i, &k)| s.wrapping_add(mix(k, i as u64)))
            })
            .collect();
        let mut groups = Vec::new();
        let mut a = 0;
        while a < live.len() {
            let len = tpls[live[a]].toks.len();
            let mut b = a + 1;
            while b < live.len() && tpls[live[b]].toks.len() == len {
                b += 1;
            }
            if b - a < 2 {
                a = b;
                continue;
            }
            for p in 0..len {
                // (signature without p, value at p, template)
                let mut rows: Vec<(u64, u32, usize)> = (a..b)
                    .map(|i| {
                        let v = tpls[live[i]].toks[p];
                        (sums[i].wrapping_sub(mix(v, p as u64)), v, live[i])
                    })
                    .collect();
                rows.sort_unstable();
                for run in rows.chunk_by(|x, y| x.0 == y.0).filter(|r| r.len() >= 2) {
                    // Signatures can collide: keep the members whose other tokens
                    // equal the first's.
                    let first = &tpls[run[0].2].toks;
                    let members: Vec<&(u64, u32, usize)> = run
                        .iter()
                        .filter(|r| {
                            let toks = &tpls[r.2].toks;
                            (0..len).all(|k| k == p || toks[k] == first[k])
                        })
                        .collect();
                    let mut values: Vec<u32> = members.iter().map(|m| m.1).collect();
                    values.dedup();
                    if values.len() >= 2 {
                        groups.push(Group {
                            p,
                            members: members.iter().map(|m| m.2).collect(),
                            values,
                        });
                    }
                }
            }
            a = b;
        }
        groups
    }

    /// Whether position `p` of a group (template `toks`, distinct `values` there) is a
    /// variable: `None` keeps the group apart; `Some(Some(g))` makes value `g` the
    /// slot, `Some(None)` a new `<*>` slot.
    fn decide(&self, toks: &[u32], p: usize, values: &[u32], slots: &[u32]) -> Option<Option<u32>> {
        if self.constants(toks, p) < MIN_CONSTANTS {
            return None;
        }
        let name = |id: u32| &*self.names[id as usize];
        if let Some(&g) = values
            .iter()
            .find(|&&g| self.has_var[g as usize] && values.iter().all(|&v| glob(name(g), name(v))))
        {
            return Some(Some(g));
        }
        // Values that differ only in their digits: numbered things.
        let shape = |id: u32| {
            name(id)
                .iter()
                .map(|&b| if b.is_ascii_digit() { b'0' } else { b })
        };
        if values.len() >= MIN_KNOWN_VALUES
            && name(values[0]).iter().any(u8::is_ascii_digit)
            && values[1..].iter().all(|&v| shape(v).eq(shape(values[0])))
        {
            return Some(None);
        }
        let known = values
            .iter()
            .filter(|&&v| self.known[v as usize] || slots[v as usize] >= 2)
            .count();
        (values.len() >= MIN_VALUES || (values.len() >= MIN_KNOWN_VALUES && known >= 2))
            .then_some(None)
    }

    /// A new slot for `values`: `<*>` with the punctuation they all share around it
    /// (`tmpfs),` and `sysfs),` → `<*>),`).
    fn slot(&mut self, values: &[u32]) -> u32 {
        let texts: Vec<&[u8]> = values.iter().map(|&v| &*self.names[v as usize]).collect();
        let shortest = texts.iter().map(|t| t.len()).min().unwrap_or(0);
        let punct = |b: u8| b.is_ascii_punctuation() && !matches!(b, b'<' | b'*' | b'>');
        let mut pre = 0;
        while pre < shortest
            && punct(texts[0][pre])
            && texts.iter().all(|t| t[pre] == texts[0][pre])
        {
            pre += 1;
        }
        let mut suf = 0;
        let at = |t: &[u8], k: usize| t[t.len() - 1 - k];
        while pre + suf < shortest
            && punct(at(texts[0], suf))
            && texts.iter().all(|t| at(t, suf) == at(texts[0], suf))
        {
            suf += 1;
        }
        if pre == 0 && suf == 0 {
            return V;
        }
        let t = texts[0];
        let mut s = t[..pre].to_vec();
        s.extend_from_slice(VAR);
        s.extend_from_slice(&t[t.len() - suf..]);
        self.intern(Cow::Owned(s))
    }

    fn finish(&self, key_tpl: &[usize]) -> Clustering {
        let mut roots: Vec<usize> = (0..self.tpls.len()).filter(|&t| self.alive(t)).collect();
        let texts: HashMap<usize, Vec<u8>> = roots
            .iter()
            .map(|&r| {
                let toks: Vec<&[u8]> = self.tpls[r]
                    .toks
                    .iter()
                    .map(|&k| &*self.names[k as usize])
                    .collect();
                (r, toks.join(&b' '))
            })
            .collect();
        roots.sort_by(|&a, &b| {
            self.tpls[b]
                .count
                .cmp(&self.tpls[a].count)
                .then_with(|| texts[&a].cmp(&texts[&b]))
        });
        let mut index = vec![usize::MAX; self.tpls.len()];
        for (i, &r) in roots.iter().enumerate() {
            index[r] = i;
        }
        Clustering {
            template_of: key_tpl.iter().map(|&t| index[self.find(t)]).collect(),
            templates: roots
                .iter()
                .map(|r| String::from_utf8_lossy(&texts[r]).into_owned())
                .collect(),
            counts: roots.iter().map(|&r| self.tpls[r].count).collect(),
        }
    }
}

/// `h[i]`: a hash of `toks[..i]`.
fn prefix_hashes(toks: &[u32]) -> Vec<u64> {
    let mut h = vec![0u64; toks.len() + 1];
    for (i, &k) in toks.iter().enumerate() {
        h[i + 1] = mix(k, h[i]);
    }
    h
}

/// `h[i]`: a hash of `toks[i..]`.
fn suffix_hashes(toks: &[u32]) -> Vec<u64> {
    let mut h = vec![0u64; toks.len() + 1];
    for i in (0..toks.len()).rev() {
        h[i] = mix(toks[i], h[i + 1]) ^ 0x5bd1_e995;
    }
    h
}

/// Collapses runs of `<*>` into one.
fn collapse(toks: &mut Vec<u32>) {
    toks.dedup_by(|a, b| *a == V && *b == V);
}

/// A 64-bit mix of a token at a position; a template's signature is the sum over its
/// positions, so the signature without one position is one subtraction away.
fn mix(tok: u32, pos: u64) -> u64 {
    let mut h = ((tok as u64) << 32) ^ pos;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// Whether `text` matches `pattern`, where each `<*>` in the pattern stands for one
/// or more bytes — or none right after `=` or `:`, where an empty value is a value
/// (`rhost=<*>` matches `rhost=`).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let segs: Vec<&[u8]> = split_var(pattern);
    let least = |seg: &[u8]| !matches!(seg.last(), Some(b'=' | b':')) as usize;
    let (first, last) = (segs[0], segs[segs.len() - 1]);
    if !text.starts_with(first) || text.len() < first.len() + last.len() || !text.ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for w in segs.windows(2).take(segs.len() - 2) {
        // The `<*>` between w[0] and w[1] takes at least `least(w[0])` bytes.
        let skip = least(w[0]);
        match rest.get(skip..).and_then(|r| memmem::find(r, w[1])) {
            Some(k) => rest = &rest[skip + k + w[1].len()..],
            None => return false,
        }
    }
    rest.len() >= least(segs[segs.len() - 2])
}

/// The pieces of `pattern` between its `<*>`s (one more than the `<*>`s).
fn split_var(pattern: &[u8]) -> Vec<&[u8]> {
    let mut segs = Vec::new();
    let mut rest = pattern;
    while let Some(k) = memmem::find(rest, VAR) {
        segs.push(&rest[..k]);
        rest = &rest[k + VAR.len()..];
    }
    segs.push(rest);
    segs
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
