//! Objects kept for long in memory are kept packed: their JSON, deflated. Watched objects and
//! Pacto statuses are read only by the reconcile of their own Pacto, and their JSON is highly
//! repetitive (condition types, reasons, default fields), so a few microseconds of deflate per
//! read cost less than holding thousands of k8s-openapi structs (a `Container` alone is 2.3 KB
//! with every field `None`).

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// `v` as deflated JSON (`None` if it does not serialise).
pub fn pack<T: Serialize>(v: &T) -> Option<Box<[u8]>> {
    let json = serde_json::to_vec(v).ok()?;
    let mut e = DeflateEncoder::new(Vec::with_capacity(json.len() / 3), Compression::fast());
    e.write_all(&json).ok()?;
    Some(e.finish().ok()?.into_boxed_slice())
}

/// The value [`pack`] packed (`None` if the bytes are not one).
pub fn unpack<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let mut json = Vec::with_capacity(bytes.len() * 4);
    DeflateDecoder::new(bytes).read_to_end(&mut json).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_is_smaller_than_repetitive_json() {
        let v: Vec<serde_json::Value> = (0..20)
            .map(|i| {
                serde_json::json!({"type": format!("Check{i}"), "status": "True",
                "reason": "Passed", "message": "the check passed for this Pacto"})
            })
            .collect();
        let packed = pack(&v).expect("pack");
        assert!(packed.len() * 3 < serde_json::to_vec(&v).expect("json").len());
        assert_eq!(unpack::<Vec<serde_json::Value>>(&packed), Some(v));
        assert_eq!(unpack::<Vec<serde_json::Value>>(b"not deflate"), None);
    }
}
