//! Small text helpers shared by the config and layout checkers: positions in a source file and
//! "did you mean" suggestions.

/// 1-based line and character column of a byte offset in `text` (past the end: the end).
pub(crate) fn line_column(text: &str, byte_offset: usize) -> (u32, u32) {
    let mut line = 1u32;
    let mut column = 1u32;
    for (i, ch) in text.char_indices() {
        if i >= byte_offset {
            break;
        }
        if ch == '\n' {
            line = line.saturating_add(1);
            column = 1;
        } else {
            column = column.saturating_add(1);
        }
    }
    (line, column)
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
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(&lower, &candidate.to_ascii_lowercase());
        let limit = (candidate.len() / 4).clamp(min_edits, max_edits);
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
    fn suggestion_is_the_nearest_name() {
        let names = ["reqAdapterUrl", "reqUseApi", "reqSoftphoneHeight"];
        assert_eq!(did_you_mean("reqAdaptorUrl", names, 2, 6), Some("reqAdapterUrl"));
        assert_eq!(did_you_mean("reqsoftphoneheigth", names, 2, 6), Some("reqSoftphoneHeight"));
        assert_eq!(did_you_mean("somethingElse", names, 2, 6), None);
    }
}
