//! Which runs and words are variables: number pieces inside identifier runs, units that
//! belong to the number before them, and the few letter-only words that are values.

use super::class::{ALPHA, DIGIT, HEX, JOIN, class};

/// Whether an identifier run (letters, digits and `_ - .`) is a variable as a whole:
/// it is when one of its pieces between joiners is a number piece. So `blk_-123`,
/// `rdd_2_3`, `node-9`, `R02-M1-N0`, `v6.1.7601` and `attempt_14_0020_m_000004_0`
/// are each one variable, while `ee0`, `IPV6`, `log4j` and `workers2.properties`
/// stay text.
pub fn run_is_var(run: &[u8]) -> bool {
    run.split(|&b| class(b) == JOIN).any(is_number_piece)
}

/// A number (`42`), hex with a `0x` prefix, a hex id of six or more characters, any
/// piece with two or more digits (`a1b2`, `x86`), or a number with a short suffix
/// (`5s`, `3rd`, `8k`, `12GB`).
fn is_number_piece(p: &[u8]) -> bool {
    if p.is_empty() {
        return false;
    }
    let (mut digits, mut lead, mut all_hex, mut letters) = (0usize, 0usize, true, 0usize);
    for (i, &b) in p.iter().enumerate() {
        let k = class(b);
        if k == DIGIT {
            digits += 1;
            if lead == i {
                lead += 1;
            }
        } else {
            all_hex &= k == HEX;
            letters += (k & (HEX | ALPHA) != 0) as usize;
        }
    }
    digits >= 2
        || digits == p.len()
        || (lead >= 1 && p.len() - lead <= 3 && letters == p.len() - lead)
        || (all_hex && digits >= 1 && p.len() >= 6)
        || (p.len() > 2
            && p[0] == b'0'
            && (p[1] | 0x20) == b'x'
            && p[2..].iter().all(|&b| class(b) & (DIGIT | HEX) != 0))
}

/// Units that a number before them owns: `12 ms` and `1.5 s` have the same shape
/// as `took <*>`, as do `3 KB` and `2 GB`.
pub fn is_unit(w: &[u8]) -> bool {
    const UNITS: [&[u8]; 17] = [
        b"b",
        b"kb",
        b"mb",
        b"gb",
        b"tb",
        b"kib",
        b"mib",
        b"gib",
        b"bytes",
        b"ms",
        b"us",
        b"ns",
        b"s",
        b"sec",
        b"secs",
        b"%",
        "µs".as_bytes(),
    ];
    w.len() <= 5 && UNITS.iter().any(|u| w.eq_ignore_ascii_case(u))
}

/// Letter-only words that are values: booleans, month and weekday names (as written
/// in dates: `Jun`, `JUN`, `June`; lower-case `may` is a verb and stays).
pub fn is_variable_word(w: &[u8]) -> bool {
    const WORDS: [&[u8]; 41] = [
        b"true",
        b"false",
        b"True",
        b"False",
        b"TRUE",
        b"FALSE",
        b"Jan",
        b"Feb",
        b"Mar",
        b"Apr",
        b"May",
        b"Jun",
        b"Jul",
        b"Aug",
        b"Sep",
        b"Oct",
        b"Nov",
        b"Dec",
        b"Mon",
        b"Tue",
        b"Wed",
        b"Thu",
        b"Fri",
        b"Sat",
        b"Sun",
        b"January",
        b"February",
        b"March",
        b"April",
        b"June",
        b"July",
        b"August",
        b"September",
        b"October",
        b"November",
        b"December",
        b"Monday",
        b"Tuesday",
        b"Wednesday",
        b"Thursday",
        b"Friday",
    ];
    if !(3..=9).contains(&w.len()) {
        return false;
    }
    if WORDS.contains(&w) || w == b"Saturday" || w == b"Sunday" {
        return true;
    }
    // All-caps month and weekday abbreviations (`JUN`, `MON`).
    w.len() == 3
        && w.iter().all(u8::is_ascii_uppercase)
        && WORDS[6..25].iter().any(|m| m.eq_ignore_ascii_case(w))
}

/// A host name: three or more labels of letters, digits and `-`, the last one a
/// common top-level domain (`host8.example.net`, `proxy.cse.cuhk.edu.hk`). Two labels
/// are not enough (`rpc.statd`, `java.io`), and Java packages end in a class name.
pub fn is_domain(w: &[u8]) -> bool {
    const TLDS: [&[u8]; 33] = [
        b"com",
        b"net",
        b"org",
        b"edu",
        b"gov",
        b"mil",
        b"int",
        b"info",
        b"biz",
        b"io",
        b"local",
        b"localdomain",
        b"lan",
        b"internal",
        b"arpa",
        b"us",
        b"uk",
        b"de",
        b"fr",
        b"jp",
        b"cn",
        b"hk",
        b"ru",
        b"br",
        b"in",
        b"au",
        b"ca",
        b"nl",
        b"it",
        b"es",
        b"ch",
        b"kr",
        b"tw",
    ];
    let mut labels = 0;
    for label in w.split(|&b| b == b'.') {
        if label.is_empty()
            || !label
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return false;
        }
        labels += 1;
    }
    let last = &w[w.iter().rposition(|&b| b == b'.').map_or(0, |k| k + 1)..];
    labels >= 3 && TLDS.iter().any(|t| last.eq_ignore_ascii_case(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_pieces() {
        for v in [
            &b"42"[..],
            b"blk_-123",
            b"rdd_2_3",
            b"node-9",
            b"R02-M1-N0-C",
            b"v6.1.7601",
            b"0x1f",
            b"deadb1ef",
            b"38ms",
            b"5s",
            b"3rd",
            b"12GB",
            b"a1b2",
        ] {
            assert!(run_is_var(v), "{}", String::from_utf8_lossy(v));
        }
        for t in [
            &b"ee0"[..],
            b"IPV6",
            b"log4j",
            b"workers2.properties",
            b"eth0",
            b"dfs.DataNode",
            b"decade",
            b"-",
            b"_",
        ] {
            assert!(!run_is_var(t), "{}", String::from_utf8_lossy(t));
        }
    }

    #[test]
    fn units_and_words() {
        assert!(is_unit(b"ms") && is_unit(b"KB") && is_unit(b"bytes") && is_unit(b"%"));
        assert!(!is_unit(b"mins") && !is_unit(b"to"));
        assert!(is_variable_word(b"true") && is_variable_word(b"Jun"));
        assert!(is_variable_word(b"JUN") && is_variable_word(b"Sunday"));
        assert!(!is_variable_word(b"may") && !is_variable_word(b"Junk"));
    }
}
