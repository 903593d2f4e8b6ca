use super::*;

#[test]
fn basics() {
    let c = cluster(&[(b"a b c", 1)]);
    assert_eq!(c.templates, ["a b c"]);
}
