//! SHA-256 of files and of canonical content, as lowercase hex.

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Lowercase hex of bytes (sha2 0.11 digests no longer format with `{:x}`).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// A running hash over several pieces of text, each terminated so that
/// ("ab", "c") and ("a", "bc") differ.
#[derive(Default)]
pub struct ContentHash(Sha256);

impl ContentHash {
    pub fn field(&mut self, text: &str) {
        self.0.update(text.as_bytes());
        self.0.update([0x1f]);
    }

    pub fn end_row(&mut self) {
        self.0.update([0x1e]);
    }

    pub fn finish(self) -> String {
        hex(&self.0.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        // FIPS 180-2 test vector.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(hex(&[0x00, 0xab, 0xff]), "00abff");
    }

    #[test]
    fn content_fields_are_delimited() {
        let mut a = ContentHash::default();
        a.field("ab");
        a.field("c");
        let mut b = ContentHash::default();
        b.field("a");
        b.field("bc");
        assert_ne!(a.finish(), b.finish());
    }
}
