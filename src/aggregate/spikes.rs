//! TEMPORARY stub (not committed).
pub struct Series<'a> { pub start: i64, pub width: i64, pub records: &'a [u64], pub errors: &'a [u64], pub templates: &'a [Vec<u64>] }
pub enum SpikeKind { Errors, Template(usize) }
pub struct Attribution { pub template: usize, pub count: u64, pub expected: f64, pub ratio: f64, pub new: bool }
pub struct Spike { pub kind: SpikeKind, pub start: usize, pub end: usize, pub errors: u64, pub expected: f64, pub score: f64, pub templates: Vec<Attribution> }
#[derive(Default)]
pub struct Options { pub sensitivity_z: f64 }
pub fn detect(_series: &Series, _opts: &Options) -> Vec<Spike> { Vec::new() }
