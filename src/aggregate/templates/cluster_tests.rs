use proptest::prelude::*;

use super::*;

/// Clusters texts (count 1 each) and returns each input's template text.
fn templates_of(texts: &[&str]) -> Vec<String> {
    let keys: Vec<(&[u8], u64)> = texts.iter().map(|t| (t.as_bytes(), 1)).collect();
    let c = cluster(&keys);
    c.template_of
        .iter()
        .map(|&t| c.templates[t].clone())
        .collect()
}

/// The template of every text is `want`.
fn all_become(texts: &[&str], want: &str) {
    for t in templates_of(texts) {
        assert_eq!(t, want, "clustering {texts:?}");
    }
}

/// Every text stays its own template.
fn all_stay(texts: &[&str]) {
    assert_eq!(templates_of(texts), texts, "clustering {texts:?}");
}

#[test]
fn five_values_make_a_variable() {
    all_become(
        &[
            "Invalid user admin from <*>",
            "Invalid user oracle from <*>",
            "Invalid user test from <*>",
            "Invalid user guest from <*>",
            "Invalid user pi from <*>",
        ],
        "Invalid user <*> from <*>",
    );
}

#[test]
fn enumerations_stay_apart() {
    all_stay(&[
        "Link state changed to UP on port <*>",
        "Link state changed to DOWN on port <*>",
        "Link state changed to TESTING on port <*>",
    ]);
}

#[test]
fn values_seen_in_two_templates_are_variables() {
    let texts = [
        "session opened for user cyrus by (uid=<*>)",
        "session opened for user news by (uid=<*>)",
        "session opened for user test by (uid=<*>)",
        "session closed for user cyrus",
        "session closed for user news",
        "session closed for user test",
    ];
    let got = templates_of(&texts);
    assert!(
        got[..3]
            .iter()
            .all(|t| t == "session opened for user <*> by (uid=<*>)")
    );
    assert!(got[3..].iter().all(|t| t == "session closed for user <*>"));
}

#[test]
fn a_variable_slot_takes_the_other_values() {
    all_become(
        &["Took <*> seconds to spawn", "Took long seconds to spawn"],
        "Took <*> seconds to spawn",
    );
    // A pattern slot matches what it covers: `<*>,` covers `LOCAL(<*>),`.
    all_become(
        &[
            "synchronized to <*>, stratum <*>",
            "synchronized to LOCAL(<*>), stratum <*>",
        ],
        "synchronized to <*>, stratum <*>",
    );
    // An empty `key=` value is a value.
    all_become(
        &[
            "auth failure; user=<*> rhost=<*> tty=x",
            "auth failure; user=<*> rhost= tty=x",
        ],
        "auth failure; user=<*> rhost=<*> tty=x",
    );
}

#[test]
fn numbered_names_are_variables() {
    all_become(
        &[
            "Processor [CPU0] (supports C1)",
            "Processor [CPU1] (supports C1)",
            "Processor [CPU2] (supports C1)",
        ],
        "Processor [<*>] (supports C1)",
    );
    // Two are not enough: `IPV4` and `IPV6` name different things.
    all_stay(&["MDNS: IPV4 Addr: <*> set", "MDNS: IPV6 Addr: <*> set"]);
}

#[test]
fn ids_in_two_places_merge_when_each_is_unique() {
    let texts: Vec<String> = ["qzkf", "hwpa", "mmoe", "trux", "yvab", "cdeg"]
        .iter()
        .zip(["eu", "us", "ap", "sa", "af", "me"])
        .map(|(k, r)| format!("cache key {k} evicted after <*> in region {r}"))
        .collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    all_become(&texts, "cache key <*> evicted after <*> in region <*>");
    // Fewer than five: no evidence.
    all_stay(&texts[..4]);
}

#[test]
fn short_messages_never_merge() {
    all_stay(&[
        "cupsd startup succeeded",
        "klogd startup succeeded",
        "sshd startup succeeded",
        "gpm startup succeeded",
        "atd startup succeeded",
    ]);
    all_stay(&["onResume", "onPause", "onStop", "onStart", "onCreate"]);
}

#[test]
fn parentheses_after_a_variable_go_when_the_template_exists_without_them() {
    all_become(
        &[
            "connection from <*> at <*> ok",
            "connection from <*> (host.topspot) at <*> ok",
        ],
        "connection from <*> at <*> ok",
    );
}

#[test]
fn a_variable_may_span_words_that_are_known_values() {
    let mut texts = vec![
        "avc: denied { getattr } for pid=<*>",
        "avc: denied { setattr } for pid=<*>",
        "avc: denied { read } for pid=<*>",
        "avc: denied { write } for pid=<*>",
        "avc: denied { unlink } for pid=<*>",
    ];
    texts.push("avc: denied { read write } for pid=<*>");
    all_become(&texts, "avc: denied { <*> } for pid=<*>");
    // Words that were never values stay: a different message.
    let got = templates_of(&[
        "Failed password for root from <*> port <*>",
        "Failed password for admin from <*> port <*>",
        "Failed password for test from <*> port <*>",
        "Failed password for guest from <*> port <*>",
        "Failed password for oracle from <*> port <*>",
        "Failed password for invalid user <*> from <*> port <*>",
    ]);
    assert_eq!(got[0], "Failed password for <*> from <*> port <*>");
    assert_eq!(
        got[5],
        "Failed password for invalid user <*> from <*> port <*>"
    );
}

#[test]
fn merged_slots_keep_shared_punctuation_and_collapse() {
    all_become(
        &[
            "initialized (dev <*>, type ext3), uses xattr",
            "initialized (dev <*>, type tmpfs), uses xattr",
            "initialized (dev <*>, type proc), uses xattr",
            "initialized (dev <*>, type sysfs), uses xattr",
            "initialized (dev <*>, type devpts), uses xattr",
        ],
        "initialized (dev <*>, type <*>), uses xattr",
    );
    // `<*> <*>` after a merge is one `<*>`, and the template joins its twin.
    let got = templates_of(&[
        "job <*> b done ok",
        "job <*> c done ok",
        "job <*> d done ok",
        "job <*> e done ok",
        "job <*> f done ok",
        "job <*> done ok",
    ]);
    assert!(got.iter().all(|t| t == "job <*> done ok"), "{got:?}");
}

#[test]
fn duplicates_and_counts() {
    let c = cluster(&[(b"a b c", 2), (b"x y z", 1), (b"a b c", 3)]);
    assert_eq!(c.templates, ["a b c", "x y z"]);
    assert_eq!(c.counts, [5, 1]);
    assert_eq!(c.template_of, [0, 1, 0]);
    let empty = cluster(&[]);
    assert!(empty.templates.is_empty() && empty.template_of.is_empty());
}

#[test]
fn templates_are_ordered_by_count_then_text() {
    let c = cluster(&[(b"b x y", 1), (b"a x y", 1), (b"c x y", 7)]);
    assert_eq!(c.templates, ["c x y", "a x y", "b x y"]);
}

/// Texts in a given order and the same texts reversed and rotated give the same
/// template for every text.
fn order_independent(texts: &[(String, u64)]) -> Result<(), TestCaseError> {
    let run = |order: &[usize]| {
        let keys: Vec<(&[u8], u64)> = order
            .iter()
            .map(|&i| (texts[i].0.as_bytes(), texts[i].1))
            .collect();
        let c = cluster(&keys);
        let mut per_text: Vec<(usize, String)> = order
            .iter()
            .zip(&c.template_of)
            .map(|(&i, &t)| (i, c.templates[t].clone()))
            .collect();
        per_text.sort();
        (per_text, c.templates, c.counts)
    };
    let n = texts.len();
    let forward: Vec<usize> = (0..n).collect();
    let backward: Vec<usize> = (0..n).rev().collect();
    let rotated: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n.max(1)).collect();
    let a = run(&forward);
    prop_assert_eq!(&a, &run(&backward));
    if rotated
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len()
        == n
    {
        prop_assert_eq!(&a, &run(&rotated));
    }
    Ok(())
}

#[test]
fn shuffled_input_gives_the_same_result() {
    let base = [
        "Invalid user admin from <*>",
        "Invalid user oracle from <*>",
        "Invalid user test from <*>",
        "Invalid user guest from <*>",
        "Invalid user pi from <*>",
        "session closed for user cyrus",
        "session closed for user news",
        "session closed for user test",
        "session opened for user news by (uid=<*>)",
        "session opened for user test by (uid=<*>)",
        "session opened for user cyrus by (uid=<*>)",
        "connection from <*> (x.y) at <*> ok",
        "connection from <*> at <*> ok",
    ];
    let texts: Vec<(String, u64)> = base
        .iter()
        .enumerate()
        .map(|(i, t)| (t.to_string(), i as u64 + 1))
        .collect();
    order_independent(&texts).unwrap();
}

proptest! {
    #[test]
    fn cluster_is_order_independent(
        texts in proptest::collection::vec(
            ("(a|b|c|<\\*>) (x|y|<\\*>) (p|q|r|s|t|u) (k|<\\*>|k,) (end|fin)", 1u64..5),
            0..40,
        )
    ) {
        order_independent(&texts)?;
    }

    #[test]
    fn random_texts_never_panic(texts in proptest::collection::vec("[ a-c<*>()=:,]{0,20}", 0..30)) {
        let keys: Vec<(&[u8], u64)> = texts.iter().map(|t| (t.as_bytes(), 1)).collect();
        let c = cluster(&keys);
        prop_assert_eq!(c.template_of.len(), texts.len());
        prop_assert!(c.template_of.iter().all(|&t| t < c.templates.len()));
        prop_assert_eq!(c.counts.iter().sum::<u64>(), texts.len() as u64);
    }
}
