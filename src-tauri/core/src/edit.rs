//! Changing what is shown of an account (issuer, name, tags, note, pinned, icon) and its own
//! clock offset: one rule for the app's edit dialog and `ringlet-cli edit`. The secret and
//! the code parameters are never edited: a new secret is a new account.

use crate::clock::MAX_ACCOUNT_OFFSET_SECONDS;
use crate::model::{Account, Icon, MAX_LABEL_PART_LEN};

/// Most tags one account carries.
pub const MAX_TAGS: usize = 32;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 4096;

/// What to change; `None` leaves a field as it is. Read by serde as the app's edit dialog
/// sends it (`{issuer?, name?, tags?, note?, pinned?, icon?, timeOffset?}`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountEdit {
    pub issuer: Option<String>,
    pub name: Option<String>,
    pub tags: Option<Vec<String>>,
    pub note: Option<String>,
    pub pinned: Option<bool>,
    pub icon: Option<IconChoice>,
    /// Seconds added to the clock for this account's codes (its service's clock is off).
    pub time_offset: Option<i32>,
}

/// The picture chosen in the edit dialog. A custom image is not among them: it is read from
/// a file in Rust (`icons::custom_icon`), never sent by the window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum IconChoice {
    /// The bundled icon the issuer matches, else the letter avatar.
    Auto,
    /// One bundled icon, by name.
    Bundled {
        name: String,
    },
    Letter,
    None,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("An account needs an issuer or a name.")]
    NoLabel,
    #[error("The {0} is too long; at most {MAX_LABEL_PART_LEN} bytes are accepted.")]
    LabelTooLong(&'static str),
    #[error("An account carries at most {MAX_TAGS} tags.")]
    TooManyTags,
    #[error("A tag is at most {MAX_TAG_CHARS} characters long.")]
    TagTooLong,
    #[error("The note is at most {MAX_NOTE_CHARS} characters long.")]
    NoteTooLong,
    #[error("Ringlet has no icon named {0:?}.")]
    UnknownIcon(String),
    #[error(
        "An account's clock offset is at most an hour ({MAX_ACCOUNT_OFFSET_SECONDS} s) either way."
    )]
    TimeOffsetTooLarge,
}

impl EditError {
    /// The edit dialog's field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            EditError::NoLabel => "issuer",
            EditError::LabelTooLong(part) => part,
            EditError::TooManyTags | EditError::TagTooLong => "tags",
            EditError::NoteTooLong => "note",
            EditError::UnknownIcon(_) => "icon",
            EditError::TimeOffsetTooLarge => "timeOffset",
        }
    }
}

impl AccountEdit {
    /// `account` with these changes, once they hold: labels trimmed and bounded, not both
    /// empty; tags trimmed, blank ones dropped, each once (case ignored), bounded.
    pub fn apply(&self, account: &Account) -> Result<Account, EditError> {
        let mut edited = account.clone();
        if let Some(issuer) = &self.issuer {
            edited.issuer = issuer.trim().to_owned();
        }
        if let Some(name) = &self.name {
            edited.name = name.trim().to_owned();
        }
        if edited.issuer.is_empty() && edited.name.is_empty() {
            return Err(EditError::NoLabel);
        }
        for (part, text) in [("issuer", &edited.issuer), ("name", &edited.name)] {
            if text.len() > MAX_LABEL_PART_LEN {
                return Err(EditError::LabelTooLong(part));
            }
        }
        if let Some(tags) = &self.tags {
            edited.tags = tidy_tags(tags)?;
        }
        if let Some(note) = &self.note {
            if note.chars().count() > MAX_NOTE_CHARS {
                return Err(EditError::NoteTooLong);
            }
            edited.note = note.trim().to_owned();
        }
        if let Some(pinned) = self.pinned {
            edited.pinned = pinned;
        }
        if let Some(offset) = self.time_offset {
            if offset.abs() > MAX_ACCOUNT_OFFSET_SECONDS {
                return Err(EditError::TimeOffsetTooLarge);
            }
            edited.time_offset = offset;
        }
        if let Some(choice) = &self.icon {
            edited.icon = match choice {
                IconChoice::Auto => None,
                IconChoice::Letter => Some(Icon::Letter),
                IconChoice::None => Some(Icon::None),
                IconChoice::Bundled { name } => match crate::icons::named(name) {
                    Some(icon) => Some(Icon::Bundled {
                        name: icon.name.to_owned(),
                    }),
                    None => return Err(EditError::UnknownIcon(name.clone())),
                },
            };
        }
        Ok(edited)
    }
}

fn tidy_tags(tags: &[String]) -> Result<Vec<String>, EditError> {
    let mut tidy: Vec<String> = Vec::new();
    for tag in tags
        .iter()
        .map(|tag| tag.trim())
        .filter(|tag| !tag.is_empty())
    {
        if tag.chars().count() > MAX_TAG_CHARS {
            return Err(EditError::TagTooLong);
        }
        if !tidy
            .iter()
            .any(|known| known.to_lowercase() == tag.to_lowercase())
        {
            tidy.push(tag.to_owned());
        }
    }
    if tidy.len() > MAX_TAGS {
        return Err(EditError::TooManyTags);
    }
    Ok(tidy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams, Secret};

    fn account() -> Account {
        Account::new(
            "GitHub",
            "alice",
            OtpParams {
                secret: Secret::new(b"12345678901234567890".to_vec()),
                algorithm: Algorithm::Sha1,
                digits: 6,
                kind: OtpKind::Totp { period: 30 },
            },
        )
    }

    #[test]
    fn only_what_is_given_changes() {
        let edit = AccountEdit {
            tags: Some(vec![
                " work ".into(),
                "".into(),
                "Work".into(),
                "home".into(),
            ]),
            note: Some("  laptop key  ".into()),
            pinned: Some(true),
            ..AccountEdit::default()
        };
        let edited = edit.apply(&account()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (edited.issuer.as_str(), edited.name.as_str()),
            ("GitHub", "alice")
        );
        assert_eq!(edited.tags, ["work", "home"]);
        assert_eq!(edited.note, "laptop key");
        assert!(edited.pinned);
        assert_eq!(
            edited.otp,
            account().otp,
            "the code parameters are never edited"
        );
    }

    #[test]
    fn the_icon_choice_is_read_as_the_dialog_sends_it() {
        let read = |json: &str| {
            serde_json::from_str::<AccountEdit>(json)
                .map_err(|e| e.to_string())
                .and_then(|edit| edit.apply(&account()).map_err(|e| e.to_string()))
                .map(|account| account.icon)
        };
        assert_eq!(
            read(r#"{"icon": {"kind": "letter"}}"#),
            Ok(Some(Icon::Letter))
        );
        assert_eq!(read(r#"{"icon": {"kind": "none"}}"#), Ok(Some(Icon::None)));
        assert_eq!(read(r#"{"icon": {"kind": "auto"}}"#), Ok(None));
        assert_eq!(
            read(r#"{"icon": {"kind": "bundled", "name": "gitlab"}}"#),
            Ok(Some(Icon::Bundled {
                name: "gitlab".into()
            }))
        );
        // A picture never comes from the window.
        assert!(read(r#"{"icon": {"kind": "image", "png": "AQID"}}"#).is_err());
        let mut with_image = account();
        with_image.icon = Some(Icon::Image { png: vec![1] });
        let untouched = AccountEdit {
            note: Some("n".into()),
            ..AccountEdit::default()
        };
        assert_eq!(
            untouched.apply(&with_image).map(|a| a.icon),
            Ok(with_image.icon)
        );
    }

    #[test]
    fn bounds_hold() {
        let both_empty = AccountEdit {
            issuer: Some(" ".into()),
            name: Some(String::new()),
            ..AccountEdit::default()
        };
        assert_eq!(both_empty.apply(&account()), Err(EditError::NoLabel));
        let many: Vec<String> = (0..=MAX_TAGS).map(|n| format!("t{n}")).collect();
        let too_many = AccountEdit {
            tags: Some(many),
            ..AccountEdit::default()
        };
        assert_eq!(too_many.apply(&account()), Err(EditError::TooManyTags));
        let long_tag = AccountEdit {
            tags: Some(vec!["x".repeat(MAX_TAG_CHARS + 1)]),
            ..AccountEdit::default()
        };
        assert_eq!(long_tag.apply(&account()), Err(EditError::TagTooLong));
        let long_note = AccountEdit {
            note: Some("x".repeat(MAX_NOTE_CHARS + 1)),
            ..AccountEdit::default()
        };
        assert_eq!(long_note.apply(&account()), Err(EditError::NoteTooLong));
        let unknown_icon = AccountEdit {
            icon: Some(IconChoice::Bundled {
                name: "../../etc".into(),
            }),
            ..AccountEdit::default()
        };
        assert_eq!(
            unknown_icon.apply(&account()).map_err(|e| e.field()),
            Err("icon")
        );
        let long_issuer = AccountEdit {
            issuer: Some("x".repeat(MAX_LABEL_PART_LEN + 1)),
            ..AccountEdit::default()
        };
        assert_eq!(
            long_issuer.apply(&account()),
            Err(EditError::LabelTooLong("issuer"))
        );
    }

    #[test]
    fn an_accounts_clock_offset_is_set_bounded_and_cleared_with_zero() {
        let read = |json: &str| {
            serde_json::from_str::<AccountEdit>(json)
                .map_err(|e| e.to_string())
                .and_then(|edit| edit.apply(&account()).map_err(|e| e.field().to_owned()))
                .map(|account| account.time_offset)
        };
        assert_eq!(read(r#"{"timeOffset": -20}"#), Ok(-20));
        assert_eq!(read(r#"{"timeOffset": 3600}"#), Ok(3600));
        assert_eq!(read(r#"{"timeOffset": -3601}"#), Err("timeOffset".into()));
        assert!(read(r#"{"timeOffset": 1.5}"#).is_err());
        let mut offset = account();
        offset.time_offset = 15;
        let cleared = AccountEdit {
            time_offset: Some(0),
            ..AccountEdit::default()
        };
        assert_eq!(cleared.apply(&offset).map(|a| a.time_offset), Ok(0));
        let untouched = AccountEdit {
            note: Some("n".into()),
            ..AccountEdit::default()
        };
        assert_eq!(untouched.apply(&offset).map(|a| a.time_offset), Ok(15));
    }
}
