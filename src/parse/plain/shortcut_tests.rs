use super::*;
use crate::parse::plain::fields::next_field;
use proptest::prelude::*;

/// A shortcut's reading of `line` at `start` agrees with tokenising it.
fn agrees(sc: &Shortcut, class: Class, line: &[u8], start: usize) -> bool {
    let general = next_field(line, start);
    match sc.read(line, start) {
        Some((end, level)) => {
            let (f, c, l) = general.unwrap();
            assert_eq!((f.end as usize, c, l), (end, class, level), "{line:?}");
            true
        }
        None => false,
    }
}

#[test]
fn shapes_and_words() {
    let lines: Vec<&[u8]> = vec![
        b"2026-11-28T13:04:05.123Z INFO  a",
        b"2026-11-28T13:04:06.999Z WARN  b",
        b"2026-11-29T00:00:00.000Z INFO  c",
    ];
    let sc = learn(&[Class::T, Class::L], &lines);
    assert!(matches!(sc[0], Shortcut::Shape(_)));
    assert!(matches!(&sc[1], Shortcut::Words(w) if w.len() == 2));
    for line in [
        &b"2026-11-28T13:04:05.123Z INFO  x"[..],
        b"2031-01-01T23:59:59.000Z WARN x",
        b"2026-11-28T13:04:05.123Z\tINFO\tmessage",
    ] {
        assert!(agrees(&sc[0], Class::T, line, 0));
        assert!(agrees(&sc[1], Class::L, line, 25));
    }
    // The record's end stops a word as a blank does.
    assert!(agrees(
        &sc[1],
        Class::L,
        b"2026-11-28T13:04:05.123Z INFO",
        25
    ));
    // Not the shape or a known word: the general way decides.
    for line in [
        &b"2026-11-28T13:04:05.123ZZ INFO"[..],
        b"2026-11-28T13:04:0x.123Z INFO",
        b"2026-11-28T13:04:05.123",
        b"2026-11-28T13:04:05\xb0123Z INFO",
        b"2026-11-28 13:04:05.123Z INFO",
    ] {
        assert!(!agrees(&sc[0], Class::T, line, 0));
    }
    for line in [
        &b"2026-11-28T13:04:05.123Z INFOS x"[..],
        b"2026-11-28T13:04:05.123Z ERROR x",
        b"2026-11-28T13:04:05.123Z info x",
        b"2026-11-28T13:04:05.123Z INF",
    ] {
        assert!(!agrees(&sc[1], Class::L, line, 25));
    }
}

#[test]
fn no_known_word_with_a_blank_or_control_byte() {
    // A key ends at the first byte below `!`: such words are left out, and
    // learning does not trip over them.
    let lines: Vec<Vec<u8>> = (0..40)
        .map(|i| {
            let (a, b) = (b"abc"[i % 3] as char, b"abcdefghi"[i % 9] as char);
            format!("[a b] xxxx\x01yy{a} zzzzzzz{b} and a message long enough to read").into_bytes()
        })
        .collect();
    let refs: Vec<&[u8]> = lines.iter().map(|l| l.as_slice()).collect();
    let sc = learn(&[Class::B, Class::X, Class::X], &refs);
    assert_eq!(sc[0], Shortcut::None);
    assert_eq!(sc[1], Shortcut::None);
    assert!(matches!(&sc[2], Shortcut::Vocab(_)));
    for l in &refs {
        assert!(agrees(&sc[2], Class::X, l, 15));
    }
}

#[test]
fn no_shortcut_for_groups_or_varied_words() {
    let lines: Vec<&[u8]> = vec![b"[a] x1 q", b"[b] x2 q", b"[c] y3 q"];
    let sc = learn(&[Class::B, Class::X, Class::X], &lines);
    assert_eq!(sc[0], Shortcut::None);
    assert!(matches!(&sc[1], Shortcut::Words(w) if w.len() == 3));
    assert!(matches!(&sc[2], Shortcut::Words(w) if w.len() == 1));
}

/// Words a header field may hold: timestamps, levels, groups, words, and bytes
/// that end or do not end a word.
fn word() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "2026-11-28T13:04:05.123Z",
            "2026-11-28",
            "13:04:05,123",
            "081109",
            "INFO",
            "WARN",
            "E",
            "e",
            "warn:",
            "[ERROR]",
            "<I>",
            "-",
            "|",
            "[api-7f9c]",
            "[search-0509]",
            "[main]",
            "[a b]",
            "[x]y",
            "(x)",
            "[unclosed",
            "sshd[42]:",
            "checkout.PaymentClient",
            "a.B",
            "Dec",
            "x\x01y",
            "\x0c",
            "1764335045",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        "[0-9]{1,6}[-:.T]?[0-9]{0,6}".prop_map(|s| s.into_bytes()),
        "[A-Za-z.\\[\\]-]{1,20}".prop_map(|s| s.into_bytes()),
    ]
}

/// A byte edit: where (a fraction of the line), and the byte put there.
fn edit() -> impl Strategy<Value = (f64, u8, u8)> {
    let byte = prop_oneof![
        prop::sample::select(b" \t\r\n|[]()<>:,.-0123456789ITZaz\x00\x01\x7f\xff".to_vec()),
        any::<u8>(),
    ];
    (0.0..1.0f64, byte, 0..3u8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    #[test]
    fn shortcuts_agree_with_tokenising(
        pools in prop::collection::vec(prop::collection::vec(word(), 1..6), 1..5),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 40..120),
        edits in prop::collection::vec(edit(), 0..40),
    ) {
        // Lines of one word from each pool, then a message.
        let mut picks = picks.iter().cycle();
        let mut line = || {
            let mut l = Vec::new();
            for pool in &pools {
                let w: &Vec<u8> = picks.next().unwrap().get(pool);
                l.extend_from_slice(w);
                l.push(b' ');
            }
            l.extend_from_slice(b"message here");
            l
        };
        let lines: Vec<Vec<u8>> = (0..30).map(|_| line()).collect();
        let first: Vec<Class> = {
            let mut fl = Fields::new(&lines[0]);
            (0..pools.len()).map_while(|i| fl.class(i)).collect()
        };
        let refs: Vec<&[u8]> = lines.iter().map(|l| l.as_slice()).collect();
        let shortcuts = learn(&first, &refs);
        // Fresh lines, and the sample's lines edited, read the general way and
        // by the shortcuts wherever these know the field.
        let mut recs: Vec<Vec<u8>> = (0..30).map(|_| line()).collect();
        for (k, &(at, b, how)) in edits.iter().enumerate() {
            let mut r = lines[k % lines.len()].clone();
            let p = ((r.len() as f64 * at) as usize).min(r.len());
            match how {
                0 => r.insert(p, b),
                1 if p < r.len() => r[p] = b,
                _ => r.truncate(p),
            }
            recs.push(r);
        }
        for r in &recs {
            let mut pos = 0;
            for (i, sc) in shortcuts.iter().enumerate() {
                let Some((start, _)) = crate::parse::plain::fields::field_start(r, pos) else {
                    break;
                };
                let general = next_field(r, pos).unwrap();
                if let Some((end, level)) = sc.read(r, start) {
                    let (f, c, l) = general;
                    prop_assert_eq!(
                        (f.start as usize, f.end as usize, c, l),
                        (start, end, first[i], level),
                        "{:?} field {}",
                        String::from_utf8_lossy(r),
                        i
                    );
                }
                pos = general.0.end as usize;
            }
        }
    }
}
