//! Small text helpers shared by the config and layout checkers: positions in a source file and
//! "did you mean" suggestions.

/// 1-based line and character column of a byte offset in `text` (past the end: the end).
pub(crate) fn line_column(text: &str, byte_offset: usize) -> (u32, u32) {
    LineColumns::new(text).at(byte_offset)
}

/// The character column of a serde_json error position in `text`: serde_json counts the
/// column in bytes (1-based, 0 right after a line break), our positions count characters.
pub(crate) fn json_char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let line_text = text.split('\n').nth(line.saturating_sub(1)).unwrap_or("");
    line_text.char_indices().take_while(|(i, _)| *i < byte_column).count().max(1)
}

/// [`line_column`] for many offsets of one text. It carries on from the previous offset, so
/// offsets asked in increasing order (as a streaming reader meets them) cost one pass over the
/// text in all; asking each with `line_column` would be quadratic on a large file.
pub(crate) struct LineColumns<'a> {
    text: &'a str,
    /// The first character not counted yet, and its line and column.
    offset: usize,
    line: u32,
    column: u32,
}

impl<'a> LineColumns<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        LineColumns { text, offset: 0, line: 1, column: 1 }
    }

    /// Same as [`line_column`]`(text, byte_offset)`; an offset before the previous one starts over.
    pub(crate) fn at(&mut self, byte_offset: usize) -> (u32, u32) {
        if byte_offset < self.offset {
            *self = LineColumns::new(self.text);
        }
        let rest = self.text.get(self.offset..).unwrap_or("");
        let mut counted = rest.len();
        for (i, ch) in rest.char_indices() {
            if self.offset + i >= byte_offset {
                counted = i;
                break;
            }
            if ch == '\n' {
                self.line = self.line.saturating_add(1);
                self.column = 1;
            } else {
                self.column = self.column.saturating_add(1);
            }
        }
        self.offset += counted;
        (self.line, self.column)
    }
}

/// The candidate nearest to `name` (case-insensitive Damerau–Levenshtein), allowing about one
/// edit per four characters of the candidate, between `min_edits` and `max_edits`.
pub(crate) fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    min_edits: usize,
    max_edits: usize,
) -> Option<&'a str> {
    let lower = name.to_ascii_lowercase();
    let chars = lower.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let limit = (candidate.len() / 4).clamp(min_edits, max_edits);
        // The distance is at least the difference in length: skip the quadratic comparison
        // (a long pasted value would take seconds) when it cannot be within the limit.
        if chars.abs_diff(candidate.chars().count()) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, &candidate.to_ascii_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\ncé\nxyz";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(text, 7), (3, 1));
        assert_eq!(line_column(text, 999), (3, 4));
    }

    #[test]
    fn positions_asked_in_any_order_match_one_at_a_time() {
        let text = "ab\ncé\n\nxyz😀\r\nend";
        let offsets: Vec<usize> = (0..=text.len() + 2).collect();
        let mut cursor = LineColumns::new(text);
        // Increasing (the reader's order), then decreasing and repeated: each starts over as needed.
        for &offset in offsets.iter().chain(offsets.iter().rev()).chain([3, 3, 0, 999, 5].iter()) {
            let one_pass = {
                let mut fresh = LineColumns::new(text);
                fresh.at(offset)
            };
            assert_eq!(cursor.at(offset), one_pass, "offset {offset}");
        }
        assert_eq!(line_column(text, 6), (2, 3));
        assert_eq!(line_column(text, 5), (2, 3));
    }

    #[test]
    fn json_error_columns_count_characters() {
        let text = "{\n  \"é😀\": x}";
        let err = serde_json::from_str::<serde_json::Value>(text).err();
        let (line, column) = err.map(|e| (e.line(), e.column())).unwrap_or_default();
        // serde_json says byte column 13 (`x`); it is the 9th character of the line.
        assert_eq!((line, column), (2, 13));
        assert_eq!(json_char_column(text, line, column), 9);
        assert_eq!(json_char_column("ab", 1, 0), 1);
        assert_eq!(json_char_column("ab", 9, 9), 1);
    }

    #[test]
    fn suggestion_is_the_nearest_name() {
        let names = ["reqAdapterUrl", "reqUseApi", "reqSoftphoneHeight"];
        assert_eq!(did_you_mean("reqAdaptorUrl", names, 2, 6), Some("reqAdapterUrl"));
        assert_eq!(did_you_mean("reqsoftphoneheigth", names, 2, 6), Some("reqSoftphoneHeight"));
        assert_eq!(did_you_mean("somethingElse", names, 2, 6), None);
        // A name far longer than every candidate has no suggestion, and is not compared.
        assert_eq!(did_you_mean(&"reqUseApi".repeat(20_000), names, 2, 6), None);
        assert_eq!(did_you_mean("reqUseApiXX", names, 2, 6), Some("reqUseApi"));
    }
}
