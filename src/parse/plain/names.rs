//! Names for the header fields a schema learned, decided once from the classes and
//! positions of the fields (never from what a dataset is called).
//!
//! The rule, in order (a name is given once; a field that gets none is `f<N>`, its
//! 1-based position in the header):
//!
//! 1. The timestamp's fields are `ts` (in [`Parsed`](crate::parse::Parsed)), the level
//!    field is `level`, punctuation (`-`, `|`) is nothing, and neither are other spans
//!    that read as timestamps (an epoch before a full date): none of them is a field.
//! 2. A header that ends in `word:` names its writer there: `proc[pid]:` (most sample
//!    lines carry a `[digits]` before the colon) gives `proc` and `pid`; any other
//!    `word:` (`dfs.DataNode$PacketResponder:`, `WindowManager:`) is `logger`.
//! 3. The word right before `proc[pid]:` is `host` (the syslog shape `ts host proc[pid]:`).
//! 4. Without a trailing `word:`, the last free word of the header followed only by
//!    numbers, brackets, a level or punctuation is `logger` (`search.Handler -`,
//!    `nova.osapi_compute.wsgi.server [req-…]`, `… KERNEL INFO`, `|Step_LSC|`).
//! 5. Else the first free word right after a timestamp is `host` (`ts host …`).
//! 6. Integers after the timestamp start are `pid`, then `tid` (`1702  2395 D`).
//! 7. The first bracket group that is not the level or timestamp is `thread`, without
//!    its brackets (`[main]` → `main`).
//! 8. A padded component column after the header (`Info   CBS    Loaded …`) is `logger`
//!    when no other field is, else `component`.
//!
//! `service`, which `--by service` asks every format for, is `proc` when the header
//! has one (the syslog program, as the syslog parser reports it), else `logger`: the
//! component that wrote the line is the closest thing a plain log header has to a
//! service, and it needs no configuration.

use super::fields::{Class, Fields, split_group};
use super::schema::{Fit, Schema};

/// Which part of a field's text a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Part {
    Whole,
    /// Without brackets (a group) or the trailing `:` (a `word:`).
    Inner,
    /// `proc` of `proc[pid]:`.
    Proc,
    /// `pid` of `proc[pid]:`.
    Pid,
}

/// Where a named field lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    /// A schema field, by index.
    Schema(usize),
    /// The padded component column after the header.
    Component,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Named {
    pub name: String,
    pub slot: Slot,
    pub part: Part,
}

/// Names the fields of `s` (see the module documentation); `lines` are the sample
/// lines, to tell whether the header's `word:` is a `proc[pid]:`.
pub(super) fn name_fields(s: &Schema, lines: &[&[u8]]) -> Vec<Named> {
    let k = s.len();
    let cls = &s.cls;
    let in_ts = |i: usize| {
        s.ts.iter()
            .chain(&s.other_ts)
            .any(|&(a, b)| a <= i && i <= b)
    };
    let mut out: Vec<Named> = Vec::new();
    let taken = |out: &Vec<Named>, n: &str| out.iter().any(|x| x.name == n);
    let add = |out: &mut Vec<Named>, name: &str, i: usize, part: Part| {
        out.push(Named {
            name: name.to_string(),
            slot: Slot::Schema(i),
            part,
        })
    };
    let named = |out: &Vec<Named>, i: usize| out.iter().any(|x| x.slot == Slot::Schema(i));

    // 2. and 3.: the trailing `word:`.
    let last = k - 1;
    if cls[last] == Class::C {
        if proc_shaped(s, lines) {
            add(&mut out, "proc", last, Part::Proc);
            add(&mut out, "pid", last, Part::Pid);
            if last > 0 && cls[last - 1] == Class::X && !in_ts(last - 1) {
                add(&mut out, "host", last - 1, Part::Whole);
            }
        } else {
            add(&mut out, "logger", last, Part::Inner);
        }
    }
    // 4.
    if !taken(&out, "logger") && !taken(&out, "proc") {
        let quiet = |c: &Class| matches!(c, Class::S | Class::B | Class::L | Class::N);
        if let Some(i) = (0..k)
            .rev()
            .find(|&i| cls[i] == Class::X && !in_ts(i) && cls[i + 1..].iter().all(quiet))
        {
            add(&mut out, "logger", i, Part::Whole);
        }
    }
    // 5.
    if !taken(&out, "host") {
        let after_ts = |i: usize| i > 0 && in_ts(i - 1) && !in_ts(i);
        if let Some(i) = (0..k).find(|&i| cls[i] == Class::X && after_ts(i) && !named(&out, i)) {
            add(&mut out, "host", i, Part::Whole);
        }
    }
    // 6. and 7.
    let from = s.ts.map_or(0, |(a, _)| a);
    for (i, &c) in cls.iter().enumerate() {
        if in_ts(i) || named(&out, i) {
            continue;
        }
        match c {
            Class::N if i > from => {
                for name in ["pid", "tid"] {
                    if !taken(&out, name) {
                        add(&mut out, name, i, Part::Whole);
                        break;
                    }
                }
            }
            Class::B if !taken(&out, "thread") => add(&mut out, "thread", i, Part::Inner),
            _ => {}
        }
    }
    // 1. and the rest.
    for (i, &c) in cls.iter().enumerate() {
        if in_ts(i) || named(&out, i) || matches!(c, Class::S | Class::L) {
            continue;
        }
        let part = if matches!(c, Class::B | Class::C) {
            Part::Inner
        } else {
            Part::Whole
        };
        add(&mut out, &format!("f{}", i + 1), i, part);
    }
    // 8.
    if s.component {
        let name = if taken(&out, "logger") {
            "component"
        } else {
            "logger"
        };
        out.push(Named {
            name: name.to_string(),
            slot: Slot::Component,
            part: Part::Whole,
        });
    }
    out.sort_by_key(|n| match n.slot {
        Slot::Schema(i) => i,
        Slot::Component => usize::MAX,
    });
    out
}

/// Do most exactly matching sample lines end their header in `proc[pid]:`?
fn proc_shaped(s: &Schema, lines: &[&[u8]]) -> bool {
    let last = s.len() - 1;
    let (mut exact, mut shaped) = (0, 0);
    for l in lines {
        let mut fl = Fields::new(l);
        if s.fit(&mut fl) != Fit::Exact {
            continue;
        }
        exact += 1;
        shaped += split_proc(fl.text(last)).1.is_some() as usize;
    }
    shaped * 2 > exact
}

/// `proc[pid]:` → (`proc`, `Some(pid)`); anything else → (text without `:`, `None`).
pub(super) fn split_proc(text: &[u8]) -> (&[u8], Option<&[u8]>) {
    let t = text.strip_suffix(b":").unwrap_or(text);
    if let Some(body) = t.strip_suffix(b"]") {
        if let Some(open) = body.iter().rposition(|&b| b == b'[') {
            let pid = &body[open + 1..];
            if open > 0 && !pid.is_empty() && pid.iter().all(u8::is_ascii_digit) {
                return (&t[..open], Some(pid));
            }
        }
    }
    (t, None)
}

/// The text a name stands for, from its field's text.
pub(super) fn extract(text: &[u8], part: Part, group: bool) -> Option<&[u8]> {
    match part {
        Part::Whole => Some(text),
        Part::Inner if group => Some(split_group(text).0),
        Part::Inner => Some(text.strip_suffix(b":").unwrap_or(text)),
        Part::Proc => Some(split_proc(text).0),
        Part::Pid => split_proc(text).1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_pid() {
        assert_eq!(
            split_proc(b"sshd[24200]:"),
            (&b"sshd"[..], Some(&b"24200"[..]))
        );
        assert_eq!(
            split_proc(b"sshd(pam_unix)[19939]:"),
            (&b"sshd(pam_unix)"[..], Some(&b"19939"[..]))
        );
        assert_eq!(split_proc(b"kernel:"), (&b"kernel"[..], None));
        assert_eq!(split_proc(b"[12]:"), (&b"[12]"[..], None));
        assert_eq!(extract(b"[main]", Part::Inner, true), Some(&b"main"[..]));
    }
}
