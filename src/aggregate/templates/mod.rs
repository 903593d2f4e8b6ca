//! TEMPORARY stub (not committed): replaced by the real module from the templates branch.
pub struct Masker { out: Vec<u8> }
impl Default for Masker { fn default() -> Self { Self::new() } }
impl Masker {
    pub fn new() -> Masker { Masker { out: Vec::new() } }
    pub fn mask(&mut self, msg: &[u8]) -> u64 {
        self.out.clear();
        let line = msg.split(|&b| b == b'\n').next().unwrap_or(b"");
        for (i, w) in line.split(|&b| b == b' ').filter(|w| !w.is_empty()).enumerate() {
            if i > 0 { self.out.push(b' '); }
            if w.iter().any(|b| b.is_ascii_digit()) { self.out.extend_from_slice(b"<*>"); } else { self.out.extend_from_slice(w); }
        }
        use std::hash::{BuildHasher};
        foldhash::fast::FixedState::with_seed(7).hash_one(&self.out)
    }
    pub fn masked(&self) -> &[u8] { &self.out }
}
pub struct Clustering { pub template_of: Vec<usize>, pub templates: Vec<String> }
pub fn cluster(keys: &[(&[u8], u64)]) -> Clustering {
    Clustering { template_of: (0..keys.len()).collect(), templates: keys.iter().map(|k| String::from_utf8_lossy(k.0).into_owned()).collect() }
}
