use super::*;

fn m(s: &str) -> String {
    let mut k = Masker::new();
    k.mask(s.as_bytes());
    String::from_utf8(k.masked().to_vec()).unwrap()
}

#[test]
fn basics() {
    assert_eq!(
        m("Connection to 10.2.3.4:5432 timed out after 350 ms"),
        "Connection to <*> timed out after <*>"
    );
}
