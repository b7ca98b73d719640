//! Which text encoding a sheet's bytes are in, and (natively) decoding them.
//!
//! Chinese Excel and WPS save "CSV" in GBK by default; "CSV UTF-8" adds a byte-order mark; some
//! tools write UTF-16 with its mark. The rule, in this order: a UTF-8 mark → UTF-8; a UTF-16 mark
//! → UTF-16 (little or big endian); bytes that are valid UTF-8 → UTF-8; anything else → GB18030
//! (the superset of GBK and GB2312 that the WHATWG Encoding Standard decodes for all three).
//!
//! The page asks the engine for [`Encoding::label`] and decodes with the browser's own
//! `TextDecoder` (the same WHATWG encodings), so the wasm carries no GB18030 tables; the command
//! line decodes with `encoding_rs`, the WHATWG standard's implementation in Rust
//! ([`decode`]). Either way malformed sequences become U+FFFD, never an error or a guess.

/// A sheet's encoding, as sniffed from its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// UTF-16, little endian (starts with `FF FE`).
    Utf16Le,
    /// UTF-16, big endian (starts with `FE FF`).
    Utf16Be,
    /// GB18030, which includes GBK and GB2312: bytes that are not UTF-8.
    Gb18030,
}

impl Encoding {
    /// The WHATWG label, as `TextDecoder` takes it: `utf-8`, `utf-16le`, `utf-16be`, `gb18030`.
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Gb18030 => "gb18030",
        }
    }
}

/// The encoding of `bytes` (see the module's rule).
pub fn sniff(bytes: &[u8]) -> Encoding {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        Encoding::Utf8
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Encoding::Utf16Le
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Encoding::Utf16Be
    } else if std::str::from_utf8(bytes).is_ok() {
        Encoding::Utf8
    } else {
        Encoding::Gb18030
    }
}

/// Decodes `bytes` in their sniffed encoding, without the byte-order mark; malformed sequences
/// become U+FFFD (as `TextDecoder` does in the page). Native only: the page decodes with the
/// browser's `TextDecoder`.
#[cfg(not(target_arch = "wasm32"))]
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    let encoding = sniff(bytes);
    let whatwg = match encoding {
        Encoding::Utf8 => encoding_rs::UTF_8,
        Encoding::Utf16Le => encoding_rs::UTF_16LE,
        Encoding::Utf16Be => encoding_rs::UTF_16BE,
        Encoding::Gb18030 => encoding_rs::GB18030,
    };
    // `decode` removes a byte-order mark of the encoding (and would follow a different one,
    // which `sniff` has already chosen).
    let (text, _, _) = whatwg.decode(bytes);
    (text.into_owned(), encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_marks_then_utf8_then_gb18030() {
        assert_eq!(sniff(b"members,hukou\n"), Encoding::Utf8);
        assert_eq!(sniff(b""), Encoding::Utf8);
        assert_eq!(sniff(&[0xEF, 0xBB, 0xBF, b'a']), Encoding::Utf8);
        assert_eq!(sniff(&[0xFF, 0xFE, b'a', 0]), Encoding::Utf16Le);
        assert_eq!(sniff(&[0xFE, 0xFF, 0, b'a']), Encoding::Utf16Be);
        // 农村 in GBK: not valid UTF-8.
        assert_eq!(sniff(&[0xC5, 0xA9, 0xB4, 0xE5]), Encoding::Gb18030);
        assert_eq!(sniff("农村".as_bytes()), Encoding::Utf8);
        assert_eq!(Encoding::Gb18030.label(), "gb18030");
    }

    #[test]
    fn decodes_each_encoding_without_its_mark() {
        let (text, enc) = decode(&[0xC5, 0xA9, 0xB4, 0xE5, b',', 0xCA, 0xC7]);
        assert_eq!((text.as_str(), enc), ("农村,是", Encoding::Gb18030));
        let (text, _) = decode("\u{feff}农村".as_bytes());
        assert_eq!(text, "农村");
        let mut le = vec![0xFF, 0xFE];
        le.extend("否,1".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&le), ("否,1".to_string(), Encoding::Utf16Le));
        let mut be = vec![0xFE, 0xFF];
        be.extend("否".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).0, "否");
        // A lone lead byte is not guessed at: it becomes U+FFFD.
        assert_eq!(decode(&[b'a', 0x81]).0, "a\u{fffd}");
    }
}
