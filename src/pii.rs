//! Personal data (caller numbers, CAD values) wrapped so that logs redact it by default.
//!
//! `Debug` and `Display` of [`Pii`] never show the value; [`Pii::redacted`] shows at most the
//! last four characters, which is what an agent or admin needs to tell calls apart.

use crate::value_de::Read;
use crate::value_out::Write;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A value that may identify a caller. Serialises transparently (it must reach Salesforce),
/// but formats as redacted.
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Write, Deserialize, Read)]
#[serde(transparent)]
pub struct Pii<T>(pub T);

impl<T> Pii<T> {
    pub fn new(value: T) -> Self {
        Pii(value)
    }
    /// The value itself: call sites that need it say so.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl Pii<String> {
    /// `…0101` for a phone number; `…` for anything of four characters or fewer.
    pub fn redacted(&self) -> String {
        redact(&self.0)
    }
}

/// Keeps only the last four characters of `value`, prefixed with an ellipsis.
pub fn redact(value: &str) -> String {
    let count = value.chars().count();
    if count <= 4 {
        return "…".to_string();
    }
    let tail: String = value.chars().skip(count - 4).collect();
    format!("…{tail}")
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pii(<redacted>)")
    }
}

impl fmt::Display for Pii<String> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_number_is_never_logged_whole() {
        let ani = Pii::new("+12125550101".to_string());
        assert_eq!(format!("{ani}"), "…0101");
        assert_eq!(format!("{ani:?}"), "Pii(<redacted>)");
        assert_eq!(serde_json::to_string(&ani).ok().as_deref(), Some("\"+12125550101\""));
    }

    #[test]
    fn short_values_show_nothing() {
        assert_eq!(redact("123"), "…");
        assert_eq!(redact("éé€€x"), "…é€€x");
    }
}
