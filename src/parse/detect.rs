//! Format detection: which parser reads an input, decided from a sample of its first
//! records.

use std::fmt;
use std::sync::Arc;

use super::Parser;

/// The parser chosen for one input, and how sure detection was (the share of sampled
/// records the parser understood, 0–1).
#[derive(Clone)]
pub struct Detected {
    pub parser: Arc<dyn Parser>,
    pub confidence: f64,
}

impl fmt::Debug for Detected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detected")
            .field("format", &self.parser.name())
            .field("confidence", &self.confidence)
            .finish()
    }
}
