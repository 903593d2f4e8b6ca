//! Clustering distinct masked keys into templates, once, at merge time.
//!
//! Masking leaves some variables as text (user names, enumerations, ids with no
//! digits), so one template can have several keys. Over the distinct keys only —
//! thousands, not millions of lines, and never dependent on threads or chunking —
//! this repeats until nothing changes: templates of equal length that differ at one
//! position only form a group, and the group becomes one template with `<*>` there
//! when the position is evidently variable:
//!
//! * a member already has `<*>` there, or
//! * the position holds at least [`MIN_VALUES`] distinct values, or
//! * it holds at least [`MIN_KNOWN_VALUES`], of which at least two were already
//!   merged into a variable elsewhere (user names recur across templates; an
//!   enumeration of states, each seen in one template only, does not merge).
//!
//! A merged template must keep at least [`MIN_CONSTANTS`] constant tokens, so short
//! messages (`onResume`, `onPause`) never merge. After each merge runs of `<*>`
//! collapse (a multi-word value becomes one `<*>`), and templates that became equal
//! are joined.
//!
//! The result depends only on the set of keys: input is sorted first, tokens are
//! numbered in sorted order, and every step iterates in an order derived from them.

use std::collections::HashMap;

use super::mask::VAR;

/// Distinct values at a position that make it a variable on their own.
pub const MIN_VALUES: usize = 5;
/// Distinct values at a position that make it a variable when two of them are known
/// variable values.
pub const MIN_KNOWN_VALUES: usize = 3;
/// Constant tokens a merged template keeps, at least.
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

/// The token id of `<*>`.
const V: u32 = 0;

struct Tpl {
    toks: Vec<u32>,
    count: u64,
    /// Where this template went when it merged into another; itself while alive.
    parent: usize,
}

/// Clusters distinct masked keys (masked text, count) into templates. The result does
/// not depend on the order of `keys`; a text given twice is one key.
pub fn cluster(keys: &[(&[u8], u64)]) -> Clustering {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| keys[a].0.cmp(keys[b].0));

    // Number tokens in sorted order, so ids (and every tie broken by them) depend only
    // on the set of keys.
    let mut ids: HashMap<&[u8], u32, foldhash::fast::FixedState> = HashMap::default();
    let mut names: Vec<&[u8]> = vec![VAR];
    ids.insert(VAR, V);
    let mut tpls: Vec<Tpl> = Vec::new();
    let mut key_tpl = vec![0usize; keys.len()];
    let mut prev: Option<&[u8]> = None;
    for &k in &order {
        let (text, count) = keys[k];
        if prev == Some(text) {
            let t = tpls.len() - 1;
            tpls[t].count += count;
            key_tpl[k] = t;
            continue;
        }
        prev = Some(text);
        let mut toks: Vec<u32> = text
            .split(|&b| b == b' ')
            .filter(|t| !t.is_empty())
            .map(|t| {
                *ids.entry(t).or_insert_with(|| {
                    names.push(t);
                    (names.len() - 1) as u32
                })
            })
            .collect();
        collapse(&mut toks);
        key_tpl[k] = tpls.len();
        tpls.push(Tpl {
            toks,
            count,
            parent: tpls.len(),
        });
    }
    join_equal(&mut tpls);

    let mut known = vec![false; names.len()];
    while merge_round(&mut tpls, &names, &mut known) {
        join_equal(&mut tpls);
    }

    // Roots, most frequent first.
    let mut roots: Vec<usize> = (0..tpls.len()).filter(|&t| tpls[t].parent == t).collect();
    let text = |t: &Tpl| -> Vec<u8> {
        let mut s = Vec::new();
        for (i, &id) in t.toks.iter().enumerate() {
            if i > 0 {
                s.push(b' ');
            }
            s.extend_from_slice(names[id as usize]);
        }
        s
    };
    let texts: HashMap<usize, Vec<u8>> = roots.iter().map(|&r| (r, text(&tpls[r]))).collect();
    roots.sort_by(|&a, &b| {
        tpls[b]
            .count
            .cmp(&tpls[a].count)
            .then_with(|| texts[&a].cmp(&texts[&b]))
    });
    let mut index = vec![usize::MAX; tpls.len()];
    for (i, &r) in roots.iter().enumerate() {
        index[r] = i;
    }
    Clustering {
        template_of: key_tpl.iter().map(|&t| index[find(&tpls, t)]).collect(),
        templates: roots
            .iter()
            .map(|r| String::from_utf8_lossy(&texts[r]).into_owned())
            .collect(),
        counts: roots.iter().map(|&r| tpls[r].count).collect(),
    }
}

/// The live template that `t` went into.
fn find(tpls: &[Tpl], mut t: usize) -> usize {
    while tpls[t].parent != t {
        t = tpls[t].parent;
    }
    t
}

/// Collapses runs of `<*>` into one.
fn collapse(toks: &mut Vec<u32>) {
    toks.dedup_by(|a, b| *a == V && *b == V);
}

/// Joins live templates with equal tokens (the first in token order survives).
fn join_equal(tpls: &mut [Tpl]) {
    let mut live: Vec<usize> = (0..tpls.len()).filter(|&t| tpls[t].parent == t).collect();
    live.sort_by(|&a, &b| tpls[a].toks.cmp(&tpls[b].toks).then(a.cmp(&b)));
    for w in 1..live.len() {
        let (a, b) = (live[w - 1], live[w]);
        let a = find(tpls, a);
        if tpls[a].toks == tpls[b].toks {
            tpls[b].parent = a;
            tpls[a].count += tpls[b].count;
        }
    }
}

/// A 64-bit mix of a token at a position; a template's signature without position
/// `p` is the sum over its other positions, so it is one subtraction away.
fn mix(tok: u32, pos: usize) -> u64 {
    let mut h = (tok as u64) << 32 | pos as u64;
    h = h.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    h ^= h >> 31;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 29)
}

/// Templates of one length that differ only at position `p`, with their distinct
/// values there (sorted by id).
struct Group {
    p: usize,
    members: Vec<usize>,
    values: Vec<u32>,
}

/// One round: finds every group of live templates that differ at one position only,
/// then decides them in order; returns whether anything merged.
fn merge_round(tpls: &mut Vec<Tpl>, names: &[&[u8]], known: &mut [bool]) -> bool {
    let groups = find_groups(tpls);
    // Values that fill the varying slot of two or more groups: a user name seen in
    // `session opened for user X` and `session closed for user X`.
    let mut slots = vec![0u32; names.len()];
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
            .filter(|&t| tpls[t].parent == t)
            .collect();
        if members.len() < 2 {
            continue;
        }
        let mut values: Vec<u32> = members.iter().map(|&t| tpls[t].toks[g.p]).collect();
        values.sort_unstable();
        values.dedup();
        let Some(slot) = decide(&tpls[members[0]].toks, g.p, &values, names, known, &slots) else {
            continue;
        };
        for &v in &values {
            known[v as usize] = true;
        }
        let mut merged = tpls[members[0]].toks.clone();
        merged[g.p] = slot;
        collapse(&mut merged);
        let new = tpls.len();
        let count = members.iter().map(|&t| tpls[t].count).sum();
        for &t in &members {
            tpls[t].parent = new;
        }
        tpls.push(Tpl {
            toks: merged,
            count,
            parent: new,
        });
        changed = true;
    }
    changed
}

/// Every group of two or more live templates of equal length that differ at exactly
/// one position, in a deterministic order (length, position, signature).
fn find_groups(tpls: &[Tpl]) -> Vec<Group> {
    let mut live: Vec<usize> = (0..tpls.len()).filter(|&t| tpls[t].parent == t).collect();
    live.sort_by_key(|&t| (tpls[t].toks.len(), t));
    let sums: Vec<u64> = live
        .iter()
        .map(|&t| {
            tpls[t]
                .toks
                .iter()
                .enumerate()
                .fold(0u64, |s, (i, &k)| s.wrapping_add(mix(k, i)))
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
        for p in 0..len {
            // (signature without p, value at p, template)
            let mut rows: Vec<(u64, u32, usize)> = (a..b)
                .map(|i| {
                    let v = tpls[live[i]].toks[p];
                    (sums[i].wrapping_sub(mix(v, p)), v, live[i])
                })
                .collect();
            rows.sort_unstable();
            let mut i = 0;
            while i < rows.len() {
                let mut j = i + 1;
                while j < rows.len() && rows[j].0 == rows[i].0 {
                    j += 1;
                }
                if j - i >= 2 {
                    // Signatures can collide: keep the members whose other tokens
                    // equal the first's.
                    let first = &tpls[rows[i].2].toks;
                    let members: Vec<(u32, usize)> = rows[i..j]
                        .iter()
                        .filter(|r| {
                            let toks = &tpls[r.2].toks;
                            (0..len).all(|k| k == p || toks[k] == first[k])
                        })
                        .map(|r| (r.1, r.2))
                        .collect();
                    let mut values: Vec<u32> = members.iter().map(|m| m.0).collect();
                    values.dedup();
                    if values.len() >= 2 {
                        groups.push(Group {
                            p,
                            members: members.iter().map(|m| m.1).collect(),
                            values,
                        });
                    }
                }
                i = j;
            }
        }
        a = b;
    }
    groups
}

/// Whether position `p` of a group is a variable, and the token that stands for it:
/// `None` keeps the group apart.
fn decide(
    toks: &[u32],
    p: usize,
    values: &[u32],
    names: &[&[u8]],
    known: &[bool],
    slots: &[u32],
) -> Option<u32> {
    let has_var = |id: u32| memchr::memmem::find(names[id as usize], VAR).is_some();
    let constants = toks
        .iter()
        .enumerate()
        .filter(|&(i, &k)| i != p && !has_var(k))
        .count();
    if constants < MIN_CONSTANTS {
        return None;
    }
    // A member's slot is already a pattern that matches every other value
    // (`<*>,` matches `LOCAL(<*>),`): it is the slot.
    if let Some(&g) = values.iter().find(|&&g| {
        has_var(g)
            && values
                .iter()
                .all(|&v| glob(names[g as usize], names[v as usize]))
    }) {
        return Some(g);
    }
    // Values that differ only in their digits (`CPU0`, `CPU1`; `eth0`, `eth1`).
    let shape = |id: u32| {
        names[id as usize]
            .iter()
            .map(|&b| if b.is_ascii_digit() { b'0' } else { b })
    };
    if names[values[0] as usize].iter().any(u8::is_ascii_digit)
        && values[1..].iter().all(|&v| shape(v).eq(shape(values[0])))
    {
        return Some(V);
    }
    let known_values = values
        .iter()
        .filter(|&&v| known[v as usize] || slots[v as usize] >= 2)
        .count();
    (values.len() >= MIN_VALUES || (values.len() >= MIN_KNOWN_VALUES && known_values >= 2))
        .then_some(V)
}

/// Whether `text` matches `pattern`, where each `<*>` in the pattern stands for one or
/// more bytes (so `rhost=<*>` does not match an empty `rhost=`).
fn glob(pattern: &[u8], text: &[u8]) -> bool {
    let segs: Vec<&[u8]> = split_var(pattern);
    let (first, last) = (segs[0], segs[segs.len() - 1]);
    if text.len() < first.len() + last.len() + segs.len() - 1
        || !text.starts_with(first)
        || !text.ends_with(last)
    {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len()];
    for seg in &segs[1..segs.len() - 1] {
        // The `<*>` before `seg` takes at least one byte.
        match rest.get(1..).and_then(|r| memchr::memmem::find(r, seg)) {
            Some(k) => rest = &rest[1 + k + seg.len()..],
            None => return false,
        }
    }
    !rest.is_empty()
}

/// The pieces of `pattern` between its `<*>`s (one more than the `<*>`s).
fn split_var(pattern: &[u8]) -> Vec<&[u8]> {
    let mut segs = Vec::new();
    let mut rest = pattern;
    while let Some(k) = memchr::memmem::find(rest, VAR) {
        segs.push(&rest[..k]);
        rest = &rest[k + VAR.len()..];
    }
    segs.push(rest);
    segs
}

#[cfg(test)]
#[path = "cluster_tests.rs"]
mod tests;
