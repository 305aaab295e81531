//! Compact bytes for what the operator keeps per object at rest: the JSON of a watched object
//! or of a Pacto's whole status, LZ4-compressed against a dictionary.
//!
//! Objects of one kind are mostly the same text (keys, condition types, reasons, messages that
//! differ by a name), so the first sizeable value a [`Packer`] sees becomes its dictionary and
//! later values compress to their differences: a ~3 KB status packs to a few hundred bytes.
//! LZ4 because a reconcile unpacks on its path: a few microseconds per object, no C build.

use std::sync::OnceLock;

/// Values shorter than this do not become the dictionary (too little shared text).
const MIN_DICTIONARY: usize = 256;
/// Longest dictionary kept (LZ4 reaches back 64 KiB at most).
const MAX_DICTIONARY: usize = 16 * 1024;

const PLAIN: u8 = 0;
const WITH_DICTIONARY: u8 = 1;

/// Packs and unpacks values of one kind; shared by every writer and reader of that kind.
#[derive(Default)]
pub struct Packer {
    dictionary: OnceLock<Box<[u8]>>,
}

impl Packer {
    /// `bytes`, compressed (the first sizeable value also becomes the dictionary).
    pub fn pack(&self, bytes: &[u8]) -> Box<[u8]> {
        let dict = match self.dictionary.get() {
            Some(d) => Some(d),
            None if bytes.len() >= MIN_DICTIONARY => Some(
                self.dictionary
                    .get_or_init(|| bytes[..bytes.len().min(MAX_DICTIONARY)].into()),
            ),
            None => None,
        };
        let (tag, body) = match dict {
            Some(d) => (
                WITH_DICTIONARY,
                lz4_flex::block::compress_prepend_size_with_dict(bytes, d),
            ),
            None => (PLAIN, lz4_flex::block::compress_prepend_size(bytes)),
        };
        let mut out = Vec::with_capacity(body.len() + 1);
        out.push(tag);
        out.extend_from_slice(&body);
        out.into_boxed_slice()
    }

    /// The bytes `packed` was made from (`None`: not made by this packer).
    pub fn unpack(&self, packed: &[u8]) -> Option<Vec<u8>> {
        let (tag, body) = packed.split_first()?;
        let size = u32::from_le_bytes(body.get(..4)?.try_into().ok()?) as usize;
        let out = match *tag {
            PLAIN => lz4_flex::block::decompress_size_prepended(body).ok()?,
            WITH_DICTIONARY => {
                let d = self.dictionary.get()?;
                lz4_flex::block::decompress_size_prepended_with_dict(body, d).ok()?
            }
            _ => return None,
        };
        // A damaged block can decode short: the recorded size tells.
        (out.len() == size).then_some(out)
    }

    /// Packs the JSON of `value` (`None`: it does not serialize).
    pub fn pack_json<T: serde::Serialize>(&self, value: &T) -> Option<Box<[u8]>> {
        serde_json::to_vec(value).ok().map(|j| self.pack(&j))
    }

    /// Decodes a value packed by [`Packer::pack_json`].
    pub fn unpack_json<T: serde::de::DeserializeOwned>(&self, packed: &[u8]) -> Option<T> {
        self.unpack(packed)
            .and_then(|j| serde_json::from_slice(&j).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(name: &str, state: &str) -> String {
        let conditions: Vec<String> = (0..12)
            .map(|i| {
                format!(
                    r#"{{"type":"Check{i}","status":"True","reason":"AllGood","message":"{name}: check {i} passed against the live Deployment {name}","lastTransitionTime":"2026-12-03T10:00:0{}Z"}}"#,
                    i % 10
                )
            })
            .collect();
        format!(
            r#"{{"contractStatus":"{state}","contractVersion":"1.0.0","conditions":[{}]}}"#,
            conditions.join(",")
        )
    }

    #[test]
    fn round_trips_small_and_dictionary_packed_values() {
        let p = Packer::default();
        let small = br#"{"a":1}"#;
        let packed_small = p.pack(small);
        assert_eq!(packed_small[0], PLAIN);
        let first = status("orders", "Compliant");
        let second = status("payments", "NonCompliant");
        let a = p.pack(first.as_bytes());
        let b = p.pack(second.as_bytes());
        assert_eq!((a[0], b[0]), (WITH_DICTIONARY, WITH_DICTIONARY));
        assert_eq!(p.unpack(&packed_small).as_deref(), Some(&small[..]));
        assert_eq!(p.unpack(&a).as_deref(), Some(first.as_bytes()));
        assert_eq!(p.unpack(&b).as_deref(), Some(second.as_bytes()));
    }

    #[test]
    fn similar_values_pack_to_a_fraction_of_their_size() {
        let p = Packer::default();
        p.pack(status("orders", "Compliant").as_bytes());
        let other = status("inventory-service", "Warning");
        let packed = p.pack(other.as_bytes());
        assert!(
            packed.len() * 5 < other.len(),
            "{} bytes packed to {}",
            other.len(),
            packed.len()
        );
    }

    #[test]
    fn foreign_or_damaged_bytes_unpack_to_none() {
        let p = Packer::default();
        assert_eq!(p.unpack(&[]), None);
        assert_eq!(p.unpack(&[9, 1, 2, 3]), None);
        // Dictionary-packed by another packer: this one has no dictionary.
        let other = Packer::default();
        other.pack(status("a", "Compliant").as_bytes());
        let packed = other.pack(status("b", "Compliant").as_bytes());
        assert_eq!(p.unpack(&packed), None);
        assert_eq!(p.unpack(&[PLAIN, 200, 0, 0, 0, 1]), None);
    }

    #[test]
    fn json_helpers_round_trip() {
        let p = Packer::default();
        let v = serde_json::json!({"kind": "Service", "spec": {"ports": [{"port": 80}]}});
        let packed = p.pack_json(&v).expect("packs");
        assert_eq!(p.unpack_json::<serde_json::Value>(&packed), Some(v));
    }
}
