//! `report --fail-if EXPR`: conditions a cron job alerts on, checked against the JSON
//! report after it is written. Grammar: `NAME OP NUMBER[%]`, where NAME is a key of the
//! JSON report (dotted for nested keys: `levels.fatal`, `time.bucket_seconds`; an array
//! stands for its length: `spikes`, `templates`), OP one of `< <= > >= == !=`, and `%`
//! divides the number by 100 (`error_rate>2%`).

use serde_json::Value;

pub const GRAMMAR: &str = "NAME OP NUMBER[%], e.g. 'error_rate>2%', 'errors>100', \
'levels.fatal>0', 'spikes>0', 'records<1'; NAME is a key of the JSON report (records, \
lines, unparsed, errors, error_rate, levels.LEVEL, spikes, templates, …), OP one of \
< <= > >= == !=";

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum FailIfError {
    #[error("bad --fail-if '{0}': expected {GRAMMAR}")]
    Syntax(String),
    #[error("bad --fail-if '{0}': the report has no number named '{1}'; expected {GRAMMAR}")]
    Name(String, String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// One parsed condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub text: String,
    name: String,
    op: Op,
    value: f64,
}

impl Condition {
    /// Parses an expression; the name is checked against the shape of `skeleton` (any
    /// report: names under `by` depend on the run and are checked when evaluated).
    pub fn parse(expr: &str, skeleton: &Value) -> Result<Condition, FailIfError> {
        let bad = || FailIfError::Syntax(expr.to_string());
        let t = expr.trim();
        let at = t.find(['<', '>', '=', '!']).ok_or_else(bad)?;
        let (name, rest) = (t[..at].trim(), &t[at..]);
        let (op, rest) = [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ]
        .iter()
        .find_map(|(s, op)| rest.strip_prefix(s).map(|r| (*op, r)))
        .ok_or_else(bad)?;
        let num = rest.trim();
        let (num, pct) = match num.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (num, false),
        };
        let mut value: f64 = num.parse().map_err(|_| bad())?;
        if !value.is_finite() || name.is_empty() {
            return Err(bad());
        }
        if pct {
            value /= 100.0;
        }
        if !name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return Err(bad());
        }
        if !name.starts_with("by.") && lookup(skeleton, name).is_none() {
            return Err(FailIfError::Name(expr.to_string(), name.to_string()));
        }
        Ok(Condition {
            text: t.to_string(),
            name: name.to_string(),
            op,
            value,
        })
    }

    /// Whether the condition holds for `report` (its JSON form).
    pub fn holds(&self, report: &Value) -> Result<bool, FailIfError> {
        let v = lookup(report, &self.name)
            .ok_or_else(|| FailIfError::Name(self.text.clone(), self.name.clone()))?;
        Ok(match self.op {
            Op::Lt => v < self.value,
            Op::Le => v <= self.value,
            Op::Gt => v > self.value,
            Op::Ge => v >= self.value,
            Op::Eq => v == self.value,
            Op::Ne => v != self.value,
        })
    }
}

/// The number a dotted name stands for: a number, a boolean (0/1), or an array's length.
fn lookup(v: &Value, name: &str) -> Option<f64> {
    let mut cur = v;
    for part in name.split('.') {
        cur = cur.as_object()?.get(part)?;
    }
    match cur {
        Value::Number(n) => n.as_f64(),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::Array(a) => Some(a.len() as f64),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report() -> Value {
        json!({"records": 200, "errors": 5, "error_rate": 0.025,
               "levels": {"fatal": 0, "error": 5}, "spikes": [{}],
               "time": {"first": null}, "by": {"service": [1, 2]}})
    }

    fn holds(e: &str) -> bool {
        Condition::parse(e, &report())
            .unwrap()
            .holds(&report())
            .unwrap()
    }

    #[test]
    fn conditions() {
        assert!(holds("error_rate>2%"));
        assert!(!holds("error_rate > 3 %"));
        assert!(holds("errors>=5"));
        assert!(!holds("errors>5"));
        assert!(holds("levels.fatal==0"));
        assert!(!holds("levels.fatal>0"));
        assert!(holds("spikes>0"));
        assert!(!holds("records<1"));
        assert!(holds("records!=1"));
        assert!(holds("by.service>=2"));
    }

    #[test]
    fn bad_expressions() {
        for e in [
            "",
            "errors",
            "errors>",
            "errors>>1",
            "errors>x",
            ">5",
            "errors=5",
            "a b>1",
        ] {
            assert!(
                matches!(Condition::parse(e, &report()), Err(FailIfError::Syntax(_))),
                "{e}"
            );
        }
        let e = Condition::parse("nope>1", &report()).unwrap_err();
        assert!(matches!(e, FailIfError::Name(..)));
        assert!(e.to_string().contains("NAME OP NUMBER"));
        assert!(Condition::parse("time.first>1", &report()).is_err());
        let c = Condition::parse("by.host>1", &report()).unwrap();
        assert!(c.holds(&report()).is_err());
    }
}
