//! The process exit codes, in one place (DESIGN.md: 0 success, 1 no match or a
//! `--fail-if` held, 2 an error; 2 wins).

/// How the process ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitCode {
    /// Success; for `grep`, something matched.
    Success,
    /// `grep` matched nothing.
    NoMatch,
    /// A `report --fail-if` condition held.
    Alert,
    /// An input could not be read, or an option or expression was bad.
    Error,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        match self {
            ExitCode::Success => 0,
            ExitCode::NoMatch | ExitCode::Alert => 1,
            ExitCode::Error => 2,
        }
    }

    /// Combines a run's outcome with whether any error was reported: an error wins.
    pub fn with_errors(self, errored: bool) -> ExitCode {
        if errored { ExitCode::Error } else { self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        assert_eq!(ExitCode::Success.code(), 0);
        assert_eq!(ExitCode::NoMatch.code(), 1);
        assert_eq!(ExitCode::Alert.code(), 1);
        assert_eq!(ExitCode::Alert.with_errors(true), ExitCode::Error);
        assert_eq!(ExitCode::Error.code(), 2);
        assert_eq!(ExitCode::NoMatch.with_errors(true), ExitCode::Error);
        assert_eq!(ExitCode::Success.with_errors(true), ExitCode::Error);
        assert_eq!(ExitCode::NoMatch.with_errors(false), ExitCode::NoMatch);
    }
}
