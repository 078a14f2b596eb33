//! Text encodings of CSV files: detected, or forced with `--encoding`.
//!
//! Detection order: a byte-order mark (UTF-8, UTF-16LE, UTF-16BE), then valid
//! UTF-8, else GB18030 (which covers GBK and GB2312, as exported by
//! Chinese-locale Excel and WPS). Decoding never replaces bad bytes with U+FFFD:
//! for audited input a bad byte is an error that names its offset.

use encoding_rs::{DecoderResult, GB18030, UTF_16BE, UTF_16LE, UTF_8};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Gb18030,
}

impl Encoding {
    /// Names accepted by `--encoding` and `encoding = "..."`.
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "utf-16le" | "utf16le" | "utf-16" => Some(Encoding::Utf16Le),
            "utf-16be" | "utf16be" => Some(Encoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" => Some(Encoding::Gb18030),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Gb18030 => "GB18030",
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            Encoding::Utf8 => UTF_8,
            Encoding::Utf16Le => UTF_16LE,
            Encoding::Utf16Be => UTF_16BE,
            Encoding::Gb18030 => GB18030,
        }
    }

    fn bom(self) -> &'static [u8] {
        match self {
            Encoding::Utf8 => b"\xEF\xBB\xBF",
            Encoding::Utf16Le => b"\xFF\xFE",
            Encoding::Utf16Be => b"\xFE\xFF",
            Encoding::Gb18030 => b"",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub encoding: Encoding,
    /// Byte offset of the first byte that is not valid in the encoding.
    pub offset: usize,
}

/// Decode a whole file. Returns the text and the encoding used; on failure, the error
/// and the bytes back (for the message). UTF-8 bytes become the text without a copy: a
/// large CSV is held once, not twice.
pub fn decode(mut bytes: Vec<u8>, forced: Option<Encoding>) -> Result<(String, Encoding), (DecodeError, Vec<u8>)> {
    let encoding = forced.unwrap_or_else(|| detect(&bytes));
    let bom = encoding.bom();
    let skipped = if bytes.starts_with(bom) { bom.len() } else { 0 };
    if encoding == Encoding::Utf8 {
        bytes.drain(..skipped);
        return String::from_utf8(bytes).map(|text| (text, encoding)).map_err(|e| {
            let offset = skipped + e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            if skipped > 0 {
                bytes.splice(0..0, bom.iter().copied());
            }
            (DecodeError { encoding, offset }, bytes)
        });
    }
    let body = &bytes[skipped..];
    let mut decoder = encoding.codec().new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(body.len())
        .unwrap_or(body.len() * 3);
    let mut text = String::with_capacity(capacity);
    let (result, read) = decoder.decode_to_string_without_replacement(body, &mut text, true);
    match result {
        DecoderResult::InputEmpty => Ok((text, encoding)),
        DecoderResult::Malformed(bad, after) => Err((
            DecodeError {
                encoding,
                offset: skipped + read.saturating_sub(usize::from(bad) + usize::from(after)),
            },
            bytes,
        )),
        // Cannot happen with the capacity reserved above; report rather than panic.
        DecoderResult::OutputFull => Err((
            DecodeError {
                encoding,
                offset: skipped + read,
            },
            bytes,
        )),
    }
}

/// Text that is UTF-16 without a byte-order mark: many NUL bytes, nearly all on one side of
/// each pair. Returns the likely encoding.
pub fn looks_like_utf16(bytes: &[u8]) -> Option<Encoding> {
    let sample = &bytes[..bytes.len().min(4096)];
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, b) in sample.iter().enumerate() {
        if *b == 0 {
            if i % 2 == 0 {
                even += 1;
            } else {
                odd += 1;
            }
        }
    }
    let pairs = sample.len() / 2;
    if pairs == 0 {
        return None;
    }
    if odd * 10 > pairs * 3 && even * 10 < odd {
        Some(Encoding::Utf16Le)
    } else if even * 10 > pairs * 3 && odd * 10 < even {
        Some(Encoding::Utf16Be)
    } else {
        None
    }
}

fn detect(bytes: &[u8]) -> Encoding {
    for encoding in [Encoding::Utf8, Encoding::Utf16Le, Encoding::Utf16Be] {
        if bytes.starts_with(encoding.bom()) {
            return encoding;
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Encoding::Utf8,
        // Mostly UTF-8 (multi-byte characters before the first bad byte) with a bad byte: report
        // it as the UTF-8 file it is, at the bad byte, rather than retrying as GB18030.
        Err(e) if std::str::from_utf8(&bytes[..e.valid_up_to()]).is_ok_and(|t| t.chars().any(|c| c.len_utf8() > 1)) => {
            Encoding::Utf8
        }
        Err(_) => Encoding::Gb18030,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_bom_utf8_and_gb18030() {
        let (gbk, _, _) = GB18030.encode("区划代码,人口\n110101,708829\n");
        assert_eq!(
            decode(gbk.to_vec(), None).unwrap(),
            ("区划代码,人口\n110101,708829\n".into(), Encoding::Gb18030)
        );
        assert_eq!(decode("人口".as_bytes().to_vec(), None).unwrap().1, Encoding::Utf8);
        assert_eq!(
            decode(b"\xEF\xBB\xBFa,b".to_vec(), None).unwrap(),
            ("a,b".into(), Encoding::Utf8)
        );
        let utf16: Vec<u8> = b"\xFF\xFE"
            .iter()
            .copied()
            .chain("县".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16, None).unwrap(), ("县".into(), Encoding::Utf16Le));
    }

    #[test]
    fn bad_bytes_are_errors_with_their_offset_not_replacement_characters() {
        // 0xFF is valid in neither GB18030 nor UTF-8.
        assert_eq!(
            decode(b"ab\xFFcd".to_vec(), None).map_err(|e| e.0),
            Err(DecodeError {
                encoding: Encoding::Gb18030,
                offset: 2
            })
        );
        assert_eq!(
            decode(b"abc\xFFx".to_vec(), Some(Encoding::Utf8)).map_err(|e| e.0),
            Err(DecodeError {
                encoding: Encoding::Utf8,
                offset: 3
            })
        );
    }

    #[test]
    fn names_are_forgiving() {
        assert_eq!(Encoding::parse("GBK"), Some(Encoding::Gb18030));
        assert_eq!(Encoding::parse("utf_8"), Some(Encoding::Utf8));
        assert_eq!(Encoding::parse("latin1"), None);
    }
}
