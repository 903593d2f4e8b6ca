//! The test-definition macros, after ripgrep's `tests/macros.rs`: each test gets a
//! fresh scratch directory and a `logsift grep` command that runs inside it.

/// Defines a test with a fresh `Dir` and a `TestCommand` (`logsift grep` in that dir).
///
/// ```ignore
/// lstest!(finds_errors, |dir: Dir, cmd: TestCommand| {
///     dir.copy_fixture("app.log");
///     eqnice!("...", cmd.args(["ERROR", "app.log"]).stdout());
/// });
/// ```
#[macro_export]
macro_rules! lstest {
    ($name:ident, |$dir:ident: Dir, $cmd:ident: TestCommand| $body:block) => {
        #[test]
        fn $name() {
            let $dir = $crate::util::Dir::new();
            #[allow(unused_mut)]
            let mut $cmd = $dir.command();
            $body
        }
    };
}

/// `assert_eq!` for output text that prints both sides line by line, so that a
/// difference in a long output can be read.
#[macro_export]
macro_rules! eqnice {
    ($expected:expr, $got:expr) => {{
        let expected: &str = &$expected;
        let got: &str = &$got;
        if expected != got {
            panic!(
                "\n\n==== expected ====\n{}\n==== got ====\n{}\n==== (debug) ====\nexpected: {:?}\n     got: {:?}\n",
                expected, got, expected, got
            );
        }
    }};
    ($expected:expr, $got:expr, $($ctx:tt)+) => {{
        let expected: &str = &$expected;
        let got: &str = &$got;
        if expected != got {
            panic!(
                "\n\n{}\n==== expected ====\n{}\n==== got ====\n{}\n==== (debug) ====\nexpected: {:?}\n     got: {:?}\n",
                format!($($ctx)+), expected, got, expected, got
            );
        }
    }};
}
