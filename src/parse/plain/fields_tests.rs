use super::*;
use proptest::prelude::*;

fn split(line: &str) -> Vec<(String, Class)> {
    let mut fl = Fields::new(line.as_bytes());
    let mut out = Vec::new();
    let mut i = 0;
    while let Some((f, c)) = fl.get(i) {
        out.push((
            String::from_utf8_lossy(f.text(line.as_bytes())).into_owned(),
            c,
        ));
        i += 1;
    }
    out
}

fn classes(line: &str) -> String {
    split(line).iter().map(|(_, c)| format!("{c:?}")).collect()
}

#[test]
fn tokenises_groups_and_bars() {
    let f = split("[Sun Dec 04 04:47:44 2005] [notice] x(1) y");
    let texts: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(
        texts,
        ["[Sun Dec 04 04:47:44 2005]", "[notice]", "x(1)", "y"]
    );
    let f = split("a|b c||d");
    let texts: Vec<&str> = f.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(texts, ["a", "|", "b", "c", "|", "|", "d"]);
    let f = split("- INFO  [QuorumPeer[myid=1]/0:0:2181:X@774] - m");
    assert_eq!(f[2].0, "[QuorumPeer[myid=1]/0:0:2181:X@774]");
    // An unclosed group is a plain word; fields stop at the first line's end.
    assert_eq!(split("[abc def\nghi").len(), 2);
    assert_eq!(split("a b\r\nc d").len(), 2);
}

#[test]
fn classes_of_common_headers() {
    assert_eq!(
        classes("2026-11-28T13:04:05.123Z INFO  [api-7f9c] checkout.X - m"),
        "TLBXSX"
    );
    assert_eq!(
        classes("081109 203615 148 INFO dfs.DataNode$PacketResponder: P"),
        "NNNLCX"
    );
    assert_eq!(
        classes("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: a"),
        "TNTXCX"
    );
    assert_eq!(
        classes("03-17 16:13:38.811  1702  2395 D WindowManager: p"),
        "TTNNLCX"
    );
    assert_eq!(classes("[10.30 16:49:06] chrome.exe - proxy:5070"), "BXSX");
    assert_eq!(
        classes("- 1117838570 2005.06.03 R02-M1 <WARN> [error]: [x]:"),
        "STTXLLC"
    );
    assert_eq!(classes("2016-09-28 04:30:30, Info  CBS"), "TTLX");
    assert_eq!(classes("a I e W"), "XLXL");
    assert_eq!(
        classes("syslogd 1.4.1: -1 +20 -x sandboxd[129] ([31211]): ::"),
        "XCNNXXCS"
    );
}

/// The tokeniser as first written, one byte at a time: what the word-at-a-time
/// one must agree with (a bracket group's class is not part of what was sped
/// up: both use the module's `classify_group`).
mod reference {
    use super::super::*;

    pub fn next_field(rec: &[u8], mut i: usize) -> Option<(Field, Class, Level)> {
        while i < rec.len() && is_space(rec[i]) {
            i += 1;
        }
        let start = i;
        let first = *rec.get(i)?;
        if first == b'\n' {
            return None;
        }
        if first == b'|' {
            return Some((field(start, i + 1, false), Class::S, Level::Unknown));
        }
        if first == b'[' || first == b'(' {
            if let Some(close) = group_end(rec, i) {
                let mut e = close + 1;
                while e < rec.len() && BYTE_CLASS[rec[e] as usize] & STOP == 0 {
                    e += 1;
                }
                let (c, l) = classify_group(&rec[start + 1..close], &rec[close + 1..e]);
                return Some((field(start, e, true), c, l));
            }
        }
        let mut bits = 0u8;
        while i < rec.len() {
            let c = BYTE_CLASS[rec[i] as usize];
            if c & STOP != 0 {
                break;
            }
            bits |= c;
            i += 1;
        }
        let (c, l) = classify_word(&rec[start..i], bits);
        Some((field(start, i, false), c, l))
    }

    fn group_end(rec: &[u8], open: usize) -> Option<usize> {
        let (o, c) = if rec[open] == b'[' {
            (b'[', b']')
        } else {
            (b'(', b')')
        };
        let mut depth = 0usize;
        let end = rec.len().min(open + MAX_GROUP);
        for (k, &b) in rec[open..end].iter().enumerate() {
            if b == o {
                depth += 1;
            } else if b == c {
                depth -= 1;
                if depth == 0 {
                    return Some(open + k);
                }
            } else if b == b'\n' {
                return None;
            }
        }
        None
    }

    fn classify_word(text: &[u8], bits: u8) -> (Class, Level) {
        let c = if bits & !(ALPHA | TZ | PUNCT | COLON) == 0 && text.len() <= 16 {
            if let Some(l) = level_word(text) {
                return (Class::L, l);
            }
            let w = text.strip_suffix(b",").unwrap_or(text);
            if bits & PUNCT == 0 && (month_name(w).is_some() || is_weekday(w)) {
                Class::T
            } else if bits & (ALPHA | TZ) != 0 && text.len() > 1 && text.ends_with(b":") {
                Class::C
            } else if bits & (ALPHA | TZ) == 0 {
                Class::S
            } else {
                Class::X
            }
        } else if bits & !(TSEP | COLON | PUNCT) != 0 && text.len() > 1 && text.ends_with(b":") {
            Class::C
        } else if bits & DIG != 0 && bits & !(DIG | TSEP | COLON | TZ) == 0 {
            if bits == DIG {
                if (9..=13).contains(&text.len()) {
                    Class::T
                } else {
                    Class::N
                }
            } else if let [b'-' | b'+', rest @ ..] = text
                && rest.iter().all(u8::is_ascii_digit)
            {
                Class::N
            } else {
                Class::T
            }
        } else if bits & !(TSEP | COLON | PUNCT) == 0 {
            Class::S
        } else {
            Class::X
        };
        (c, Level::Unknown)
    }

    pub fn level_word(text: &[u8]) -> Option<Level> {
        let mut w = text;
        if let [rest @ .., b':' | b','] = w {
            w = rest;
        }
        if let [b'[' | b'<', inner @ .., b']' | b'>'] = w {
            w = inner;
        }
        let w = w.trim_ascii();
        if w.len() == 1 && !w[0].is_ascii_uppercase() {
            return None;
        }
        Level::from_word(w)
    }
}

/// Header-like bytes: level words, brackets, blanks, control bytes, digits.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    let tok = prop_oneof![
        prop::sample::select(vec![
            "INFO",
            "warn:",
            "[ERROR]",
            "<E>",
            "[ Notice ],",
            "I",
            "e",
            "crit,",
            "Fine",
            "informational",
            "informationaL:",
            "Sep",
            "Sun,",
            "2026-11-28T13:04:05.123Z",
            "1764335045",
            "-12",
            "+7",
            "1.4.1:",
            "sshd[1]:",
            "([31211]):",
            "[a [b] c]",
            "[x]y",
            "(x",
            "[",
            "]",
            "|",
            "-",
            "::",
            "\t",
            "\r",
            "\n",
            " ",
            "  ",
            "\x0c",
            "\x00",
            "\x01",
            "\x7f",
            "\u{e9}",
            "search.Handler",
            "[api-7f9c]",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..12),
        "[a-zA-Z0-9:.,/_+\\-]{1,20}".prop_map(|s| s.into_bytes()),
    ];
    prop::collection::vec(tok, 0..14).prop_map(|v| v.concat())
}

#[test]
fn long_groups_agree_with_the_reference() {
    // Groups closing around the MAX_GROUP limit, nested, or cut by a `\n`.
    for n in MAX_GROUP - 12..MAX_GROUP + 12 {
        for inner in [
            vec![b'x'; n],
            [&b"[a]"[..], &vec![b'y'; n]].concat(),
            [&vec![b'z'; n / 2][..], b"\n", &vec![b'z'; n / 2]].concat(),
        ] {
            for (o, c) in [(b'[', b']'), (b'(', b')')] {
                let rec = [&[b' ', o][..], &inner, &[c, b':', b' ', b'm']].concat();
                assert_eq!(next_field(&rec, 0), reference::next_field(&rec, 0), "{n}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn tokenising_agrees_with_the_reference(rec in header_bytes()) {
        for i in 0..=rec.len() {
            prop_assert_eq!(next_field(&rec, i), reference::next_field(&rec, i), "at {}", i);
        }
    }

    #[test]
    fn level_words_agree_with_the_reference(w in header_bytes()) {
        prop_assert_eq!(level_word(&w), reference::level_word(&w));
        for k in 0..w.len().min(20) {
            prop_assert_eq!(level_word(&w[k..]), reference::level_word(&w[k..]));
            prop_assert_eq!(level_word(&w[..k]), reference::level_word(&w[..k]));
        }
    }
}
