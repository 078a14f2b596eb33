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

/// A writer that hashes everything written through it: a large output is hashed as it
/// streams to its file, never held whole in memory.
pub struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
}

impl<W: std::io::Write> HashingWriter<W> {
    pub fn new(inner: W) -> HashingWriter<W> {
        HashingWriter {
            inner,
            hasher: Sha256::new(),
        }
    }

    /// The inner writer and the SHA-256 (hex) of all that was written.
    pub fn finish(self) -> (W, String) {
        (self.inner, hex(&self.hasher.finalize()))
    }
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// SHA-256 of a regular file, read in pieces (a published trace can be gigabytes). A pipe,
/// device or link is refused before it is opened: it could block or never end.
pub fn sha256_file(path: &std::path::Path) -> std::io::Result<String> {
    let metadata = std::fs::symlink_metadata(path)?;
    if !metadata.file_type().is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut file = std::fs::File::open(path)?;
    let mut writer = HashingWriter::new(std::io::sink());
    std::io::copy(&mut file, &mut writer)?;
    Ok(writer.finish().1)
}

/// A running hash over several pieces of text, each terminated so that
/// ("ab", "c") and ("a", "bc") differ.
#[derive(Default)]
pub struct ContentHash(Sha256, Vec<u8>);

/// Bytes gathered before they are hashed: one `update` per block instead of per field.
const BLOCK: usize = 1 << 16;

impl ContentHash {
    /// The byte after each field (ASCII unit separator).
    pub const FIELD: u8 = 0x1f;
    /// The byte after each row (ASCII record separator).
    pub const ROW: u8 = 0x1e;

    pub fn field(&mut self, text: &str) {
        self.1.extend_from_slice(text.as_bytes());
        self.1.push(Self::FIELD);
        if self.1.len() >= BLOCK {
            self.0.update(&self.1);
            self.1.clear();
        }
    }

    pub fn end_row(&mut self) {
        self.1.push(Self::ROW);
    }

    /// Fields and row ends already written out with [`ContentHash::FIELD`] and
    /// [`ContentHash::ROW`] (rendered elsewhere, in parallel).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.0.update(&self.1);
        self.1.clear();
        self.0.update(bytes);
    }

    pub fn finish(mut self) -> String {
        self.0.update(&self.1);
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
