//! Phone numbers as the adapter sees them: the configured prefix lists (`prefixStringTobeRemoved`,
//! `reqPrefixStringTobeRemoved`), stripping the longest matching prefix from an inbound ANI, the
//! ordered phone search keys a screen pop tries (SPEC §5), and the digit string a click-to-dial
//! number becomes before it is handed to the Desktop. Everything here is a pure string function:
//! it never talks to Salesforce or the Desktop, never escapes SOSL (the search layer does that),
//! and never panics on any input, however odd.

/// Most digits a dialable or searchable number plausibly has: 15 for E.164, plus room for an
/// international access code such as `00` or `011`.
const MAX_PHONE_DIGITS: usize = 20;

/// Fewest digits we still treat as a phone number: short internal extensions (`911`, `4001`)
/// are real search keys, anything shorter is noise.
const MIN_PHONE_DIGITS: usize = 3;

/// Parses a comma-separated prefix list such as `"+1,+91"`.
///
/// Entries are trimmed, empty entries and duplicates dropped, and the result sorted longest first
/// (ties keep their configured order), so the first entry that matches a number is the longest
/// matching one.
pub fn parse_prefix_list(s: &str) -> Vec<String> {
    let mut prefixes: Vec<String> = Vec::new();
    for prefix in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if !prefixes.iter().any(|known| known == prefix) {
            prefixes.push(prefix.to_string());
        }
    }
    // The sort is stable: equal lengths keep the admin's order.
    crate::flat::sort_small_by(&mut prefixes, |a, b| b.chars().count().cmp(&a.chars().count()));
    prefixes
}

/// Removes the longest matching prefix (at most one) from `number` and returns the rest.
///
/// The number is trimmed before matching and the rest is trimmed after, so `"+1 212 555 0101"`
/// with `["+1"]` gives `"212 555 0101"`. The match is literal: `"+1"` does not match
/// `"12125550101"`. The longest match wins whatever the order of `prefixes`, so `"+1"` and
/// `"+12"` both configured strip `"+12"` from `"+12345"`.
pub fn strip_prefix(number: &str, prefixes: &[String]) -> String {
    let number = number.trim();
    let longest = prefixes
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .filter_map(|p| number.strip_prefix(p))
        // The shortest rest is the longest prefix.
        .min_by_key(|rest| rest.len());
    longest.unwrap_or(number).trim().to_string()
}

/// The ASCII digits of `s`, in order; everything else (including non-ASCII digits) is dropped.
pub fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Whether `s` reads as a phone number rather than an email, a name or an account code.
///
/// True when, ignoring a trailing extension (`x123`, `ext. 123`, `#123`), it holds only digits,
/// spaces and the punctuation people write in numbers (`+ - . ( ) /`), has at most one `+` and no
/// digit before it, and has between 3 and 20 digits.
pub fn looks_like_phone(s: &str) -> bool {
    let (main, _) = split_extension(s.trim());
    let mut digit_count = 0usize;
    let mut plus_seen = false;
    for c in main.chars() {
        match c {
            '0'..='9' => digit_count += 1,
            '+' if !plus_seen && digit_count == 0 => plus_seen = true,
            ' ' | '-' | '.' | '(' | ')' | '/' => {}
            _ => return false,
        }
    }
    (MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digit_count)
}

/// The phone search keys a screen pop tries, in order, when the previous one found nothing
/// (SPEC §5: as configured, E.164 digits, national digits; at most 3 round trips).
///
/// `configured_key` is the search key after prefix stripping (or the advanced-pop CAD value).
/// The rule:
/// 1. **As configured**: the key, trimmed. A key that does not [look like a
///    phone](looks_like_phone) (an email, a name, an account number with letters) is tried only
///    in this form.
/// 2. **E.164 digits** (country code, no `+`), when derivable: the digits of a key written with
///    a leading `+`; the digits after an international `00`; an 11-digit NANP number starting
///    with `1` as is; a 10-digit NANP national number (area code and exchange starting 2–9) with
///    a `1` in front. Otherwise there is no E.164 candidate: we never guess a country code other
///    than NANP's, since a wrong guess could pop someone else's record.
/// 3. **National digits**: from the E.164 digits when there are some, else from all the digits:
///    an 11-digit NANP number loses its leading `1`; a longer number keeps its last 10 digits
///    (the usual national significant number length); a shorter one stays as it is.
///
/// A trailing extension is left out of the digit forms. Empty candidates and duplicates are
/// removed (a bare `2125550101` gives `["2125550101", "12125550101"]`), so there are at most
/// three and possibly fewer.
pub fn search_candidates(configured_key: &str) -> Vec<String> {
    let configured = configured_key.trim();
    if configured.is_empty() {
        return Vec::new();
    }
    if !looks_like_phone(configured) {
        return vec![configured.to_string()];
    }
    let (main, _extension) = split_extension(configured);
    let all_digits = digits(main);
    let e164 = e164_digits(main, &all_digits);
    let national = national_digits(e164.as_deref().unwrap_or(&all_digits));

    let mut candidates: Vec<String> = Vec::with_capacity(3);
    for candidate in [Some(configured.to_string()), e164, Some(national)].into_iter().flatten() {
        if !candidate.is_empty() && !candidates.contains(&candidate) {
            candidates.push(candidate);
        }
    }
    candidates.truncate(3);
    candidates
}

/// The digits to dial for a click-to-dial `number`, after removing the longest matching prefix.
///
/// The number is first normalised to an optional leading `+` followed by its digits (spaces,
/// dashes, dots and brackets go, a trailing extension such as `x123` is dropped because an
/// outdial cannot carry one), and each prefix is normalised the same way; then the longest
/// prefix that matches the normalised number is removed and only digits are kept. So
/// `"+1 (212) 555-0101"` with `["+1"]` dials `"2125550101"`, and `"001 212 555 0101"` with
/// `["001"]` dials `"2125550101"`. Without a matching prefix the `+` is simply dropped.
pub fn dial_digits(number: &str, prefixes: &[String]) -> String {
    let (main, _extension) = split_extension(number.trim());
    let normalised = normalise_for_dial(main);
    let rest = prefixes
        .iter()
        .map(|p| normalise_for_dial(p))
        .filter(|p| !p.is_empty())
        .filter_map(|p| normalised.strip_prefix(p.as_str()))
        // The shortest rest is the longest prefix.
        .min_by_key(|rest| rest.len())
        .unwrap_or(&normalised);
    digits(rest)
}

/// `+` (when one comes before the first digit) followed by the ASCII digits of `s`: the form in
/// which a dial prefix is compared, so `"+1 ("` and `"+1"` agree.
fn normalise_for_dial(s: &str) -> String {
    let before_first_digit = s.split(|c: char| c.is_ascii_digit()).next().unwrap_or("");
    let mut out = String::with_capacity(s.len());
    if before_first_digit.contains('+') {
        out.push('+');
    }
    out.push_str(&digits(s));
    out
}

/// Splits a trailing extension off a number: `"212 555 0101 x12"` → `("212 555 0101", Some("12"))`.
///
/// Recognised markers (any case): `x`, `ext`, `ext.`, `extension`, `#`, `;ext=`. The marker must
/// be followed only by digits and preceded by something holding a digit, so a vanity number
/// such as `1-800-XEROX` is left whole.
fn split_extension(s: &str) -> (&str, Option<&str>) {
    const MARKERS: [&str; 6] = [";ext=", "extension", "ext.", "ext", "x", "#"];
    let trimmed = s.trim_end();
    let body = trimmed.trim_end_matches(|c: char| c.is_ascii_digit());
    let extension = trimmed.get(body.len()..).unwrap_or("");
    if extension.is_empty() {
        return (s, None);
    }
    let body = body.trim_end();
    for marker in MARKERS {
        let Some(split_at) = body.len().checked_sub(marker.len()) else {
            continue;
        };
        // `get` also refuses a split inside a multi-byte character.
        let (Some(main), Some(tail)) = (body.get(..split_at), body.get(split_at..)) else {
            continue;
        };
        if tail.eq_ignore_ascii_case(marker) && main.chars().any(|c| c.is_ascii_digit()) {
            return (main.trim_end(), Some(extension));
        }
    }
    (s, None)
}

/// E.164 digits (country code included, no `+`) of a phone-looking `main` whose digits are
/// `all_digits`, when the country code is written or is NANP's; see [`search_candidates`].
fn e164_digits(main: &str, all_digits: &str) -> Option<String> {
    let written_plus = main.chars().take_while(|c| !c.is_ascii_digit()).any(|c| c == '+');
    if written_plus {
        return Some(all_digits.to_string());
    }
    if let Some(international) = all_digits.strip_prefix("00") {
        return (!international.is_empty()).then(|| international.to_string());
    }
    match all_digits.len() {
        11 if all_digits.strip_prefix('1').is_some_and(is_nanp_national) => Some(all_digits.to_string()),
        10 if is_nanp_national(all_digits) => Some(format!("1{all_digits}")),
        _ => None,
    }
}

/// National digits from E.164 (or bare) digits; see [`search_candidates`].
fn national_digits(digits: &str) -> String {
    if digits.len() == 11 {
        if let Some(national) = digits.strip_prefix('1').filter(|n| is_nanp_national(n)) {
            return national.to_string();
        }
    }
    let skip = digits.len().saturating_sub(10);
    digits.get(skip..).unwrap_or(digits).to_string()
}

/// A 10-digit NANP national number: area code and exchange both start with 2–9.
fn is_nanp_national(digits: &str) -> bool {
    let bytes = digits.as_bytes();
    let starts_2_to_9 = |i: usize| bytes.get(i).is_some_and(|b| (b'2'..=b'9').contains(b));
    bytes.len() == 10 && bytes.iter().all(u8::is_ascii_digit) && starts_2_to_9(0) && starts_2_to_9(3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn prefix_list_is_trimmed_deduplicated_and_longest_first() {
        let cases: &[(&str, &[&str])] = &[
            ("+1,+91", &["+91", "+1"]),
            (" +1 , +91 ,", &["+91", "+1"]),
            ("+1,,+1, ,+44", &["+44", "+1"]),
            ("001,+1,0", &["001", "+1", "0"]),
            ("+91,+44", &["+91", "+44"]),
            ("", &[]),
            (" , ,", &[]),
            ("+1", &["+1"]),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_prefix_list(input), list(expected), "input {input:?}");
        }
    }

    #[test]
    fn strip_prefix_removes_only_the_longest_matching_prefix() {
        let prefixes = list(&["+91", "+1"]);
        let cases = [
            ("+12125550101", "2125550101"),
            ("+919876543210", "9876543210"),
            ("  +12125550101  ", "2125550101"),
            ("+1 212 555 0101", "212 555 0101"),
            ("+4420712345678", "+4420712345678"),
            ("12125550101", "12125550101"),
            ("+1+12125550101", "+12125550101"),
            ("", ""),
            ("+1", ""),
        ];
        for (number, expected) in cases {
            assert_eq!(strip_prefix(number, &prefixes), expected, "number {number:?}");
        }
    }

    #[test]
    fn strip_prefix_prefers_longest_match_whatever_the_order() {
        let unsorted = list(&["+1", "+12"]);
        assert_eq!(strip_prefix("+12345", &unsorted), "345");
        assert_eq!(strip_prefix("+13345", &unsorted), "3345");
    }

    #[test]
    fn strip_prefix_without_prefixes_only_trims() {
        assert_eq!(strip_prefix(" +12125550101 ", &[]), "+12125550101");
        assert_eq!(strip_prefix("+12125550101", &list(&["", "  "])), "+12125550101");
    }

    #[test]
    fn digits_keeps_only_ascii_digits() {
        assert_eq!(digits("+1 (212) 555-0101"), "12125550101");
        assert_eq!(digits("abc"), "");
        // Arabic-Indic and full-width digits are not ASCII digits.
        assert_eq!(digits("٠١٢ １２ 3"), "3");
    }

    #[test]
    fn looks_like_phone_accepts_written_numbers_and_rejects_text() {
        let phones = [
            "2125550101",
            "+1 (212) 555-0101",
            "212.555.0101",
            "+44 20 7123 4567",
            "911",
            "212 555 0101 x12",
            "212-555-0101 ext. 12",
            "(+1) 212 555 0101",
        ];
        for s in phones {
            assert!(looks_like_phone(s), "{s:?} should look like a phone");
        }
        let not_phones = [
            "",
            "12",
            "jane@example.com",
            "ACME-2125550101",
            "1-800-FLOWERS",
            "12+34",
            "++12125550101",
            "123456789012345678901",
            "５５５０１０１",
        ];
        for s in not_phones {
            assert!(!looks_like_phone(s), "{s:?} should not look like a phone");
        }
    }

    #[test]
    fn search_candidates_follow_configured_then_e164_then_national() {
        let cases: &[(&str, &[&str])] = &[
            // Prefix already stripped: a NANP national number gains its country code.
            ("2125550101", &["2125550101", "12125550101"]),
            ("+12125550101", &["+12125550101", "12125550101", "2125550101"]),
            ("12125550101", &["12125550101", "2125550101"]),
            ("(212) 555-0101", &["(212) 555-0101", "12125550101", "2125550101"]),
            ("+919876543210", &["+919876543210", "919876543210", "9876543210"]),
            ("00919876543210", &["00919876543210", "919876543210", "9876543210"]),
            ("+44 20 7123 4567", &["+44 20 7123 4567", "442071234567", "2071234567"]),
            ("+1 212 555 0101 x12", &["+1 212 555 0101 x12", "12125550101", "2125550101"]),
            // Not NANP-shaped and no country code written: no guessed E.164 form.
            ("0123456789", &["0123456789"]),
            ("02071234567", &["02071234567", "2071234567"]),
            ("4001", &["4001"]),
            // Not phones: tried as configured only.
            ("jane@example.com", &["jane@example.com"]),
            ("ACME-001", &["ACME-001"]),
            ("  Gold Customer  ", &["Gold Customer"]),
            ("", &[]),
            ("   ", &[]),
        ];
        for (key, expected) in cases {
            assert_eq!(search_candidates(key), list(expected), "key {key:?}");
        }
    }

    #[test]
    fn nanp_rule_needs_area_code_and_exchange_starting_two_to_nine() {
        assert_eq!(search_candidates("1125550101"), list(&["1125550101"]));
        assert_eq!(search_candidates("2120550101"), list(&["2120550101"]));
        assert_eq!(search_candidates("11125550101"), list(&["11125550101", "1125550101"]));
    }

    #[test]
    fn dial_digits_strips_prefix_from_the_normalised_number() {
        let cases: &[(&str, &[&str], &str)] = &[
            ("+1 (212) 555-0101", &["+1"], "2125550101"),
            ("+12125550101", &["+1"], "2125550101"),
            ("001 212 555 0101", &["001"], "2125550101"),
            ("001-212-555-0101", &["001", "00"], "2125550101"),
            ("+91 98765 43210", &["+1", "+91"], "9876543210"),
            // Prefixes are normalised too.
            ("+1 (212) 555-0101", &["+ 1"], "2125550101"),
            ("(+1) 212 555 0101", &["+1"], "2125550101"),
            // No matching prefix: digits only.
            ("+44 20 7123 4567", &["+1"], "442071234567"),
            ("212.555.0101", &["+1"], "2125550101"),
            // Literal match: `+1` is not stripped from a number written without `+`.
            ("12125550101", &["+1"], "12125550101"),
            ("12125550101", &["1"], "2125550101"),
            // An extension cannot be dialled: it is dropped, not appended.
            ("+1 212 555 0101 x123", &["+1"], "2125550101"),
            ("212-555-0101 ext. 9", &[], "2125550101"),
            ("", &["+1"], ""),
            ("+1", &["+1"], ""),
            ("call me", &["+1"], ""),
        ];
        for (number, prefixes, expected) in cases {
            assert_eq!(dial_digits(number, &list(prefixes)), *expected, "number {number:?}");
        }
    }

    #[test]
    fn extension_split_leaves_vanity_numbers_whole() {
        assert_eq!(split_extension("212 555 0101 x12"), ("212 555 0101", Some("12")));
        assert_eq!(split_extension("212 555 0101 EXT. 12"), ("212 555 0101", Some("12")));
        assert_eq!(split_extension("212 555 0101;ext=12"), ("212 555 0101", Some("12")));
        assert_eq!(split_extension("212 555 0101#12"), ("212 555 0101", Some("12")));
        assert_eq!(split_extension("1-800-XEROX"), ("1-800-XEROX", None));
        assert_eq!(split_extension("x123"), ("x123", None));
        assert_eq!(split_extension("2125550101"), ("2125550101", None));
        assert_eq!(split_extension("é12"), ("é12", None));
    }

    fn check_invariants(input: &str, prefixes: &[String]) {
        let stripped = strip_prefix(input, prefixes);
        assert!(input.contains(stripped.as_str()));
        let dialled = dial_digits(input, prefixes);
        assert!(dialled.chars().all(|c| c.is_ascii_digit()));
        let candidates = search_candidates(input);
        assert!(candidates.len() <= 3);
        assert!(candidates.iter().all(|c| !c.is_empty()));
        for (i, c) in candidates.iter().enumerate() {
            assert!(!candidates.iter().skip(i + 1).any(|d| d == c), "duplicate {c:?}");
        }
        let _ = looks_like_phone(input);
        let _ = parse_prefix_list(input);
    }

    proptest! {
        #[test]
        fn random_unicode_never_panics(input in "\\PC*", prefix_text in "\\PC{0,12}") {
            check_invariants(&input, &parse_prefix_list(&prefix_text));
        }

        #[test]
        fn random_phone_shaped_input_keeps_invariants(
            input in "[+0-9 ().x#-]{0,30}",
            prefix_text in "[+0-9 ,]{0,10}",
        ) {
            check_invariants(&input, &parse_prefix_list(&prefix_text));
        }
    }

    #[test]
    fn random_chars_from_tricky_alphabet_never_panic() {
        const ALPHABET: &[char] = &[
            '+',
            '0',
            '1',
            '2',
            '9',
            ' ',
            '(',
            ')',
            '-',
            'x',
            'X',
            'e',
            't',
            '.',
            '#',
            ';',
            '=',
            'é',
            '١',
            '\u{200b}',
            '\u{1F4DE}',
        ];
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5_000 {
            let len = rng.usize(0..24);
            let input: String = (0..len).filter_map(|_| ALPHABET.get(rng.usize(0..ALPHABET.len()))).collect();
            let prefix_text: String =
                (0..rng.usize(0..6)).filter_map(|_| ALPHABET.get(rng.usize(0..ALPHABET.len()))).collect();
            check_invariants(&input, &parse_prefix_list(&prefix_text));
        }
    }
}
