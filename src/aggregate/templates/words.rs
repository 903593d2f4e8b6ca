//! Which words are variables: whole cores that are one variable by their shape
//! (numbers, paths, URLs, IPv6, `host:port`, UUIDs, host names), identifier runs that
//! hold a number piece, units that belong to the number before them, and the few
//! letter-only words that are values. Table lookups, no allocation.

use super::class::{ALPHA, COLON, DIGIT, EQ, HEX, JOIN, NUMERIC, SLASH, class};

/// Whether an identifier run (letters, digits and `_ - .`) is a variable as a whole:
/// it is when one of its pieces between joiners is a number piece. So `blk_-123`,
/// `rdd_2_3`, `node-9`, `R02-M1-N0`, `v6.1.7601` and `attempt_14_0020_m_000004_0`
/// are each one variable, while `ee0`, `IPV6`, `log4j` and `workers2.properties`
/// stay text.
pub fn run_is_var(run: &[u8]) -> bool {
    let n = run.len();
    let mut start = 0;
    while start < n {
        let (mut end, mut digits, mut alpha) = (start, 0usize, 0usize);
        while end < n {
            let k = class(run[end]);
            if k == JOIN {
                break;
            }
            if k == DIGIT {
                digits += 1;
                if digits >= 2 {
                    return true;
                }
            } else if k == ALPHA {
                alpha += 1;
            }
            end += 1;
        }
        if end > start && number_piece(&run[start..end], digits, alpha) {
            return true;
        }
        start = end + 1;
    }
    false
}

/// Whether a piece between joiners, holding at most one digit and `alpha` letters
/// other than `a-f`, is a number piece: a digit (`7`), a digit with a short suffix
/// (`5s`, `3rd`, `8k`), hex with a `0x` prefix (`0xff`), or a hex id of six or more
/// characters (`deadb1ef`). Pieces with two digits or more are number pieces
/// whatever else they hold (`a1b2`, `x86`, `12GB`).
fn number_piece(p: &[u8], digits: usize, alpha: usize) -> bool {
    let len = p.len();
    digits == len
        || (digits == 1 && p[0].is_ascii_digit() && len <= 4)
        || (len > 2 && p[0] == b'0' && (p[1] | 0x20) == b'x' && alpha == 1)
        || (digits == 1 && alpha == 0 && len >= 6)
}

/// Units that a number before them owns: `12 ms` and `1.5 s` have the same shape
/// as `took <*>`, as do `3 KB` and `2 GB`.
pub fn is_unit(w: &[u8]) -> bool {
    static UNITS: [u64; 64] = fold_set(&[
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
    ]);
    !w.is_empty() && w.len() <= 5 && in_set(&UNITS, fold(w))
}

/// Letter-only words that are values: booleans (`true`, `True`, `TRUE`), month and
/// weekday names as written in dates (`Jun`, `JUN`, `June`; lower-case `may` is a
/// verb and stays).
#[inline]
pub fn is_variable_word(w: &[u8]) -> bool {
    // The first three letters tell most words apart from all of these at once.
    (3..=9).contains(&w.len()) && first_letter(w[0]) && has_prefix(w) && is_value_name(w)
}

/// Whether `b` is, in any case, the first letter of a value word (`t f j m a s o n
/// d w`): one shift and mask turn most words away before the prefix test.
#[inline(always)]
fn first_letter(b: u8) -> bool {
    const FIRST: u32 = {
        let mut m = 0u32;
        let letters = b"tfjmasondw";
        let mut i = 0;
        while i < letters.len() {
            m |= 1 << (letters[i] - b'a');
            i += 1;
        }
        m
    };
    let c = (b | 0x20).wrapping_sub(b'a');
    c < 26 && FIRST >> c & 1 != 0
}

/// [`is_variable_word`] past its prefix test.
fn is_value_name(w: &[u8]) -> bool {
    static NAMES: [u64; 64] = fold_set(&[
        b"jan",
        b"feb",
        b"mar",
        b"apr",
        b"may",
        b"jun",
        b"jul",
        b"aug",
        b"sep",
        b"sept",
        b"oct",
        b"nov",
        b"dec",
        b"mon",
        b"tue",
        b"wed",
        b"thu",
        b"fri",
        b"sat",
        b"sun",
        b"january",
        b"february",
        b"march",
        b"april",
        b"june",
        b"july",
        b"august",
        b"october",
        b"november",
        b"december",
        b"monday",
        b"tuesday",
        b"thursday",
        b"friday",
        b"saturday",
        b"sunday",
    ]);
    let n = w.len();
    let all_upper = w.iter().all(u8::is_ascii_uppercase);
    if !all_upper && !w[1..].iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    if n == 9 {
        // The two nine-letter names.
        return w[0].is_ascii_uppercase()
            && !all_upper
            && (w[1..] == *b"eptember" || w[1..] == *b"ednesday");
    }
    let folded = fold(w);
    if folded == fold(b"true") || folded == fold(b"false") {
        return true;
    }
    // Names: capitalised, or three capitals.
    w[0].is_ascii_uppercase() && (!all_upper || n == 3) && in_set(&NAMES, folded)
}

/// An open-addressing set of folded words (see [`fold`]): a multiply-shift hash and
/// linear probing, so a lookup is a compare or two instead of a scan of the list.
const fn fold_set(words: &[&[u8]]) -> [u64; 64] {
    let mut set = [0u64; 64];
    let mut i = 0;
    while i < words.len() {
        let x = fold(words[i]);
        let mut slot = slot_of(x);
        while set[slot] != 0 {
            slot = (slot + 1) % 64;
        }
        set[slot] = x;
        i += 1;
    }
    set
}

const fn slot_of(x: u64) -> usize {
    (x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 58) as usize
}

/// Whether folded `x` is in `set` (built by [`fold_set`]; zero marks an empty slot,
/// and no word folds to zero).
fn in_set(set: &[u64; 64], x: u64) -> bool {
    let mut slot = slot_of(x);
    loop {
        match set[slot] {
            0 => return false,
            y if y == x => return true,
            _ => slot = (slot + 1) % 64,
        }
    }
}

/// Up to eight bytes, ASCII letters folded to lower case (`| 0x20`, which maps
/// letters only onto letters), packed into a `u64` for one-compare lookups.
const fn fold(w: &[u8]) -> u64 {
    let mut x = 0u64;
    let mut i = 0;
    while i < w.len() && i < 8 {
        x |= ((w[i] | 0x20) as u64) << (8 * i);
        i += 1;
    }
    x
}

/// The folded three-letter prefixes of the value words, as a bit set over 26³.
static PREFIXES: [u64; 275] = prefix_set(&[
    b"tru", b"fal", b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct",
    b"nov", b"dec", b"mon", b"tue", b"wed", b"thu", b"fri", b"sat", b"sun",
]);

/// The bit of a three-letter prefix (letters `a-z` only).
const fn prefix_bit(a: u8, b: u8, c: u8) -> usize {
    ((a - b'a') as usize * 26 + (b - b'a') as usize) * 26 + (c - b'a') as usize
}

const fn prefix_set(list: &[&[u8]]) -> [u64; 275] {
    let mut set = [0u64; 275];
    let mut i = 0;
    while i < list.len() {
        let bit = prefix_bit(list[i][0], list[i][1], list[i][2]);
        set[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    set
}

/// Whether `w` (three bytes or more) starts with the prefix of a value word, in any
/// case.
#[inline(always)]
fn has_prefix(w: &[u8]) -> bool {
    let (a, b, c) = (w[0] | 0x20, w[1] | 0x20, w[2] | 0x20);
    if !(a.is_ascii_lowercase() && b.is_ascii_lowercase() && c.is_ascii_lowercase()) {
        return false;
    }
    let bit = prefix_bit(a, b, c);
    PREFIXES[bit / 64] & (1 << (bit % 64)) != 0
}

/// A host name: three or more labels of letters, digits and `-`, the last one a
/// common top-level domain (`host8.example.net`, `proxy.cse.cuhk.edu.hk`). Two labels
/// are not enough (`rpc.statd`, `java.io`), and Java packages end in a class name.
pub fn is_domain(w: &[u8]) -> bool {
    static TLDS: [u64; 64] = fold_set(&[
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
    ]);
    let Some(dot) = w.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let tld = &w[dot + 1..];
    let known = if tld.len() <= 8 {
        tld.len() >= 2 && tld.iter().all(u8::is_ascii_alphabetic) && in_set(&TLDS, fold(tld))
    } else {
        tld.eq_ignore_ascii_case(b"localdomain")
    };
    if !known {
        return false;
    }
    let mut dots = 0;
    let mut prev = b'.';
    for &b in w {
        if b == b'.' {
            if prev == b'.' {
                return false;
            }
            dots += 1;
        } else if !(b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
        prev = b;
    }
    dots >= 2 && w[0] != b'.'
}

/// Whether a core (`seen`: the union of its bytes' classes) is one variable as a
/// whole: a number, time, date or IPv4 address (digits and `. : , - + /` only), a
/// path or URL, an IPv6 address, a `host.name:port`, a UUID or a host name. Decided
/// from the classes first, so most cores are not scanned again.
pub fn whole_var(c: &[u8], seen: u16) -> bool {
    if seen & !NUMERIC == 0 {
        return seen & DIGIT != 0;
    }
    if seen & SLASH != 0 {
        return is_path_or_url(c, seen & EQ != 0);
    }
    let name = seen & !(DIGIT | HEX | ALPHA | JOIN) == 0;
    if seen & COLON != 0 {
        return (seen & !(DIGIT | HEX | COLON | JOIN) == 0 && is_ipv6(c)) || is_host_port(c);
    }
    name && ((c.len() == 36 && is_uuid(c)) || is_domain(c))
}

/// `/abs/path`, `~/p`, `./p`, `../p`, `scheme://…`, and (unless the word holds a
/// `key=`) `C:\p` or any word with a backslash.
fn is_path_or_url(c: &[u8], has_eq: bool) -> bool {
    (c[0] == b'/' && c.len() > 1)
        || c.starts_with(b"~/")
        || c.starts_with(b"./")
        || c.starts_with(b"../")
        || (!has_eq && c.contains(&b'\\'))
        || c.iter()
            .position(|&b| !b.is_ascii_alphabetic())
            .is_some_and(|k| k >= 2 && c[k..].starts_with(b"://"))
}

/// Hex digits, colons and dots only (`fe80::1`, `::ffff:10.0.0.1`), with a digit and
/// two colons or more.
fn is_ipv6(c: &[u8]) -> bool {
    c.iter().any(u8::is_ascii_digit)
        && c.iter().filter(|&&b| b == b':').count() >= 2
        && !c.iter().any(|&b| b == b'_' || b == b'-')
}

/// `host.example.com:1234` (a host name by [`is_domain`]; `state.amount:180` is a
/// key and its value).
fn is_host_port(c: &[u8]) -> bool {
    let Some(k) = c.iter().position(|&b| b == b':') else {
        return false;
    };
    let (host, port) = (&c[..k], &c[k + 1..]);
    !port.is_empty() && port.len() <= 5 && port.iter().all(u8::is_ascii_digit) && is_domain(host)
}

/// `8-4-4-4-12` hex digits.
fn is_uuid(c: &[u8]) -> bool {
    c.len() == 36
        && c.iter().enumerate().all(|(i, &b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => class(b) & (DIGIT | HEX) != 0,
        })
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
    fn every_listed_word_is_found() {
        for u in [
            "b", "kb", "mb", "gb", "tb", "kib", "mib", "gib", "bytes", "ms", "us", "ns",
        ] {
            assert!(
                is_unit(u.as_bytes()) && is_unit(u.to_uppercase().as_bytes()),
                "{u}"
            );
        }
        assert!(is_unit("µs".as_bytes()) && is_unit(b"sec") && is_unit(b"secs") && is_unit(b"s"));
        for m in [
            "Jan",
            "Feb",
            "Mar",
            "Apr",
            "May",
            "Jun",
            "Jul",
            "Aug",
            "Sep",
            "Sept",
            "Oct",
            "Nov",
            "Dec",
            "Mon",
            "Tue",
            "Wed",
            "Thu",
            "Fri",
            "Sat",
            "Sun",
            "January",
            "February",
            "March",
            "April",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
            "true",
            "False",
            "TRUE",
        ] {
            assert!(is_variable_word(m.as_bytes()), "{m}");
        }
        for t in [
            "com",
            "net",
            "org",
            "edu",
            "gov",
            "mil",
            "int",
            "info",
            "biz",
            "io",
            "local",
            "localdomain",
            "lan",
            "internal",
            "arpa",
            "us",
            "uk",
            "de",
            "fr",
            "jp",
            "cn",
            "hk",
            "ru",
            "br",
            "in",
            "au",
            "ca",
            "nl",
            "it",
            "es",
            "ch",
            "kr",
            "tw",
        ] {
            assert!(is_domain(format!("a.b.{t}").as_bytes()), "{t}");
        }
        assert!(!is_domain(b"a.b.example") && !is_domain(b"rpc.statd") && !is_domain(b"a..b.com"));
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
