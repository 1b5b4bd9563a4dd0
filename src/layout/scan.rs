//! Where each value of a JSON text starts, by JSON pointer, and which object keys repeat.
//!
//! `serde_json` keeps only the last of two equal keys and forgets positions; the checker needs
//! both to say "line 40: `comp1` is given twice". This scanner only runs on text `serde_json`
//! has already accepted, so it stays small: on anything unexpected it stops and returns what it
//! has found so far.

use super::child;
use std::collections::{HashMap, HashSet};

/// Byte offsets of values (for object members: of the key) and the repeated keys.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    offsets: HashMap<String, usize>,
    /// Pointer of each repeated key and the offset of the repetition.
    pub(crate) duplicates: Vec<(String, usize)>,
}

impl Positions {
    /// The offset of `pointer`, or of its nearest ancestor that has one.
    pub(crate) fn offset_of(&self, pointer: &str) -> Option<usize> {
        let mut p = pointer;
        loop {
            if let Some(o) = self.offsets.get(p) {
                return Some(*o);
            }
            if p.is_empty() {
                return None;
            }
            p = p.rfind('/').and_then(|i| p.get(..i)).unwrap_or("");
        }
    }
}

/// 1-based line and character column of a byte offset.
pub(crate) fn line_column(text: &str, offset: usize) -> (u32, u32) {
    crate::text::line_column(text, offset)
}

pub(crate) fn scan(text: &str) -> Positions {
    let mut s = Scanner { b: text.as_bytes(), i: 0, out: Positions::default() };
    // `None` only means the scan stopped early; what was found is still useful.
    let _ = s.value("");
    s.out
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    out: Positions,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn value(&mut self, path: &str) -> Option<()> {
        self.ws();
        self.out.offsets.entry(path.to_string()).or_insert(self.i);
        match self.peek()? {
            b'{' => self.object(path),
            b'[' => self.array(path),
            b'"' => self.string().map(|_| ()),
            _ => {
                while !matches!(self.peek(), None | Some(b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }

    fn object(&mut self, path: &str) -> Option<()> {
        self.i += 1;
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            self.ws();
            match self.peek()? {
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                b',' => {
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            let key_at = self.i;
            let key = self.string()?;
            let member = child(path, &key);
            if !seen.insert(key) {
                self.out.duplicates.push((member.clone(), key_at));
            }
            // The last of equal keys is the one serde_json keeps, so point at it.
            self.out.offsets.insert(member.clone(), key_at);
            self.ws();
            if self.peek()? != b':' {
                return None;
            }
            self.i += 1;
            self.value(&member)?;
        }
    }

    fn array(&mut self, path: &str) -> Option<()> {
        self.i += 1;
        let mut index = 0usize;
        loop {
            self.ws();
            match self.peek()? {
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                b',' => {
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            self.value(&format!("{path}/{index}"))?;
            index += 1;
        }
    }

    /// Reads a string literal starting at `"`, decoding escapes.
    fn string(&mut self) -> Option<String> {
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let mut raw: Vec<u8> = Vec::new();
        loop {
            let c = self.peek()?;
            self.i += 1;
            match c {
                b'"' => return Some(String::from_utf8_lossy(&raw).into_owned()),
                b'\\' => {
                    let e = self.peek()?;
                    self.i += 1;
                    match e {
                        b'n' => raw.push(b'\n'),
                        b't' => raw.push(b'\t'),
                        b'r' => raw.push(b'\r'),
                        b'b' => raw.push(8),
                        b'f' => raw.push(12),
                        b'u' => {
                            let ch = self.unicode_escape()?;
                            let mut buf = [0u8; 4];
                            raw.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        }
                        other => raw.push(other),
                    }
                }
                other => raw.push(other),
            }
        }
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let s = std::str::from_utf8(digits).ok()?;
        let n = u32::from_str_radix(s, 16).ok()?;
        self.i += 4;
        Some(n)
    }

    /// After `\u`: one code point, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.b.get(self.i..self.i + 2) == Some(b"\\u".as_slice()) {
            let save = self.i;
            self.i += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Some(char::from_u32(code).unwrap_or('\u{fffd}'));
            }
            self.i = save;
        }
        Some(char::from_u32(first).unwrap_or('\u{fffd}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_and_repeated_keys() {
        let text = "{\n  \"a\": {\"x\": 1, \"x\": 2},\n  \"b/c\": [true, {\"k\\u00e9\": null}]\n}";
        let p = scan(text);
        assert_eq!(p.duplicates.len(), 1);
        assert_eq!(p.duplicates.first().map(|d| d.0.as_str()), Some("/a/x"));
        let at = p.offset_of("/b~1c/1/k\u{e9}").unwrap_or(0);
        assert_eq!(line_column(text, at), (3, 18));
        // Unknown pointers fall back to their nearest ancestor.
        assert_eq!(p.offset_of("/a/missing"), p.offset_of("/a"));
    }
}
