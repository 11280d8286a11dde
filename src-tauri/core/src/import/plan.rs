//! One import from start to finish, the same in the app and the CLI: sources (files,
//! pasted text, a backup) are read into candidates, each an account or a problem, with
//! accounts the vault (or an earlier candidate) already has marked as duplicates; the
//! person chooses; the chosen accounts are committed as **one** vault change, so a crash
//! in the middle leaves all of them or none.
//!
//! The plan holds the accounts, secrets included: it stays in Rust. What it shows is
//! labels, kinds and problems.

use super::google_authenticator::{self, ExportPart};
use super::{Contents, ImportError, Item, Opened, Problem, MAX_ENTRIES};
use crate::model::{Account, AccountId};
use crate::vault::backup::BackupEntry;
use crate::vault::{Restored, Vault, VaultError};

/// A source that could not be read at all, and why.
#[derive(Debug)]
pub struct SourceError {
    pub source: String,
    pub error: ImportError,
}

/// An encrypted source waiting for its password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedSource {
    pub source: String,
    pub format: &'static str,
}

/// One entry of the import, as the person confirms it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The file (or "Clipboard", …) it came from.
    pub source: String,
    pub item: Item,
    /// The vault, or an earlier candidate of this import, already has this account.
    pub duplicate: bool,
}

impl Candidate {
    pub fn account(&self) -> Option<&Account> {
        match &self.item {
            Item::Account(account) => Some(account),
            Item::Problem(_) => None,
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match &self.item {
            Item::Account(_) => None,
            Item::Problem(problem) => Some(problem),
        }
    }

    /// The issuer to show (raw: clean it with `display_label` before it leaves Rust).
    pub fn issuer(&self) -> &str {
        match &self.item {
            Item::Account(account) => &account.issuer,
            Item::Problem(problem) => &problem.issuer,
        }
    }

    /// The account name to show (raw, as [`issuer`](Self::issuer)).
    pub fn name(&self) -> &str {
        match &self.item {
            Item::Account(account) => &account.name,
            Item::Problem(problem) => &problem.name,
        }
    }
}

/// What a commit did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitReport {
    /// Ids of the accounts added, in candidate order.
    pub added: Vec<AccountId>,
    /// Accounts left out because the vault already had them.
    pub skipped: usize,
}

/// An import being prepared. See the module documentation.
#[derive(Debug, Default)]
pub struct ImportPlan {
    /// The vault's accounts when the plan was made: what counts as a duplicate.
    known: Vec<Account>,
    candidates: Vec<Candidate>,
    errors: Vec<SourceError>,
    locked: Vec<LockedSource>,
    parts: Vec<ExportPart>,
    /// Entries taken so far from sources, against [`MAX_ENTRIES`] for the whole import.
    entries: usize,
}

impl ImportPlan {
    /// A plan whose duplicates are judged against `known`.
    pub fn new(known: Vec<Account>) -> Self {
        ImportPlan {
            known,
            ..ImportPlan::default()
        }
    }

    /// Puts in place of the encrypted `source` (waiting in [`needs_password`](Self::needs_password))
    /// what reading it again with a password gave. A wrong password leaves it waiting and
    /// is returned, for the person to try again; anything else is added as
    /// [`add_source`](Self::add_source) would. `false` when no such source waits.
    pub fn unlock_source(
        &mut self,
        source: &str,
        opened: Result<Opened, ImportError>,
    ) -> Result<bool, ImportError> {
        let Some(place) = self
            .locked
            .iter()
            .position(|locked| locked.source == source)
        else {
            return Ok(false);
        };
        if let Err(wrong @ ImportError::WrongPassword { .. }) = opened {
            return Err(wrong);
        }
        self.locked.remove(place);
        self.add_source(source, opened);
        Ok(true)
    }

    /// A plan whose duplicates are judged against the accounts `vault` holds now.
    pub fn for_vault(vault: &Vault) -> Result<Self, VaultError> {
        let known = vault
            .entries()?
            .into_iter()
            .map(|entry| entry.account)
            .collect();
        Ok(ImportPlan::new(known))
    }

    /// Adds what opening `source` gave. Each source is within [`MAX_ENTRIES`] on its own;
    /// many opened at once are held to it together, so a source that would pass the limit
    /// is refused whole.
    pub fn add_source(&mut self, source: &str, opened: Result<Opened, ImportError>) {
        match opened {
            Err(error) => self.errors.push(SourceError {
                source: source.to_string(),
                error,
            }),
            Ok(Opened::NeedsPassword { format }) => self.locked.push(LockedSource {
                source: source.to_string(),
                format,
            }),
            Ok(Opened::Read(contents)) => {
                let count = contents.entry_count();
                if self.entries + count > MAX_ENTRIES {
                    self.errors.push(SourceError {
                        source: source.to_string(),
                        error: ImportError::TooManyEntries,
                    });
                } else {
                    self.entries += count;
                    self.add_contents(source, contents);
                }
            }
        }
    }

    /// Adds the backup's accounts that `vault` does not hold yet, with their tags, notes,
    /// order and recovery codes, as one change: what a restore from a backup does.
    pub fn restore(vault: &Vault, entries: Vec<BackupEntry>) -> Result<CommitReport, VaultError> {
        let mut plan = ImportPlan::for_vault(vault)?;
        plan.add_accounts(
            "backup",
            entries.iter().map(|entry| entry.account.clone()).collect(),
        );
        // One candidate per account, in order.
        let fresh: Vec<Restored> = plan
            .candidates
            .iter()
            .zip(&entries)
            .filter(|(candidate, _)| !candidate.duplicate)
            .map(|(_, entry)| entry.restored())
            .collect();
        let added = vault.add_restored(&fresh)?;
        Ok(CommitReport {
            skipped: entries.len() - added.len(),
            added,
        })
    }

    /// Adds accounts already read (a backup's), with no limit on their number.
    pub fn add_accounts(&mut self, source: &str, accounts: Vec<Account>) {
        let items = accounts.into_iter().map(Item::Account).collect();
        self.add_contents(
            source,
            Contents {
                items,
                parts: Vec::new(),
            },
        );
    }

    fn add_contents(&mut self, source: &str, contents: Contents) {
        self.parts.extend(contents.parts);
        for item in contents.items {
            let duplicate = match &item {
                Item::Account(account) => self.has(account),
                Item::Problem(_) => false,
            };
            self.candidates.push(Candidate {
                source: source.to_string(),
                item,
                duplicate,
            });
        }
    }

    fn has(&self, account: &Account) -> bool {
        self.known.iter().any(|known| known.same_as(account))
            || self
                .candidates
                .iter()
                .filter_map(Candidate::account)
                .any(|known| known.same_as(account))
    }

    /// Every entry, in source order.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Sources that could not be read at all.
    pub fn errors(&self) -> &[SourceError] {
        &self.errors
    }

    /// Encrypted sources: open them again with their password and add them.
    pub fn needs_password(&self) -> &[LockedSource] {
        &self.locked
    }

    /// Advice about the whole import: which codes of a Google Authenticator export that
    /// spans several are still missing.
    pub fn notes(&self) -> Vec<String> {
        google_authenticator::progress(self.parts.iter().copied())
            .iter()
            .filter_map(google_authenticator::ExportProgress::note)
            .collect()
    }

    /// Stores the accounts of the candidates at `chosen` (places in
    /// [`candidates`](Self::candidates); problems and places out of range are ignored) as
    /// one vault change. Ids come back in candidate order.
    pub fn commit(&self, vault: &Vault, chosen: &[usize]) -> Result<Vec<AccountId>, VaultError> {
        let mut places: Vec<usize> = chosen.to_vec();
        places.sort_unstable();
        places.dedup();
        let accounts: Vec<Account> = places
            .into_iter()
            .filter_map(|place| self.candidates.get(place))
            .filter_map(Candidate::account)
            .cloned()
            .collect();
        vault.add_many(&accounts)
    }

    /// Stores every account that is not a duplicate, as one vault change: what the CLI's
    /// import and a restore from a backup do.
    pub fn commit_new(&self, vault: &Vault) -> Result<CommitReport, VaultError> {
        let fresh: Vec<usize> = self
            .candidates
            .iter()
            .enumerate()
            .filter(|(_, candidate)| candidate.account().is_some() && !candidate.duplicate)
            .map(|(place, _)| place)
            .collect();
        let skipped = self
            .candidates
            .iter()
            .filter(|candidate| candidate.account().is_some() && candidate.duplicate)
            .count();
        Ok(CommitReport {
            added: self.commit(vault, &fresh)?,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{open_bytes, Cause};

    fn link(issuer: &str, secret: &str) -> String {
        format!("otpauth://totp/{issuer}:me?secret={secret}&issuer={issuer}\n")
    }

    fn opened(text: &str) -> Result<Opened, ImportError> {
        open_bytes(text.as_bytes(), None)
    }

    #[test]
    fn duplicates_of_the_vault_and_of_earlier_candidates_are_marked() {
        let known = match crate::otpauth::parse(link("Known", "JBSWY3DPEHPK3PXP").trim()) {
            Ok(account) => account,
            Err(error) => panic!("{error}"),
        };
        let mut plan = ImportPlan::new(vec![known]);
        let text = format!(
            "{}{}{}",
            link("Again", "JBSWY3DPEHPK3PXP"),
            link("Fresh", "GEZDGNBVGY3TQOJQ"),
            link("Twice", "GEZDGNBVGY3TQOJQ")
        );
        plan.add_source("a.txt", opened(&text));
        plan.add_source("b.txt", opened(&link("Later", "GEZDGNBVGY3TQOJQ")));
        let marks: Vec<(&str, bool)> = plan
            .candidates()
            .iter()
            .map(|c| (c.issuer(), c.duplicate))
            .collect();
        assert_eq!(
            marks,
            [
                ("Again", true),
                ("Fresh", false),
                ("Twice", true),
                ("Later", true)
            ]
        );
        assert_eq!(plan.candidates()[3].source, "b.txt");
    }

    #[test]
    fn the_entry_cap_holds_across_sources() {
        let mut plan = ImportPlan::new(Vec::new());
        let half = "hello\n".to_string() + &link("Half", "JBSWY3DPEHPK3PXP");
        let big = half.repeat(MAX_ENTRIES / 4);
        plan.add_source("first", opened(&big));
        plan.add_source("second", opened(&big));
        plan.add_source("third", opened(&big));
        assert_eq!(plan.candidates().len(), MAX_ENTRIES);
        let refused: Vec<&str> = plan.errors().iter().map(|e| e.source.as_str()).collect();
        assert_eq!(refused, ["third"]);
        assert!(matches!(
            plan.errors()[0].error,
            ImportError::TooManyEntries
        ));
    }

    #[test]
    fn a_locked_source_opens_with_its_password_and_waits_after_a_wrong_one() {
        let mut plan = ImportPlan::new(Vec::new());
        let locked = Ok(Opened::NeedsPassword {
            format: "Aegis backup",
        });
        plan.add_source("vault.json", locked);
        let wrong = Err(ImportError::WrongPassword {
            format: "Aegis backup",
        });
        assert!(matches!(
            plan.unlock_source("vault.json", wrong),
            Err(ImportError::WrongPassword { .. })
        ));
        assert_eq!(plan.needs_password().len(), 1, "still waiting");
        let read = open_bytes(b"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n", None);
        assert_eq!(plan.unlock_source("vault.json", read).ok(), Some(true));
        assert!(plan.needs_password().is_empty());
        assert_eq!(plan.candidates().len(), 1);
        let again = open_bytes(b"otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\n", None);
        assert_eq!(plan.unlock_source("vault.json", again).ok(), Some(false));
    }

    #[test]
    fn unreadable_and_locked_sources_are_kept_apart() {
        let mut plan = ImportPlan::new(Vec::new());
        plan.add_source("junk.bin", open_bytes(&[0xff, 0, 1], None));
        plan.add_source(
            "vault.json",
            Ok(Opened::NeedsPassword {
                format: "Aegis backup",
            }),
        );
        assert!(plan.candidates().is_empty());
        assert!(matches!(plan.errors()[0].error, ImportError::NotRecognised));
        assert_eq!(
            plan.needs_password(),
            [LockedSource {
                source: "vault.json".into(),
                format: "Aegis backup"
            }]
        );
    }

    #[test]
    fn problems_are_candidates_with_their_labels() {
        let mut plan = ImportPlan::new(Vec::new());
        plan.add_source("list.txt", opened("otpauth://totp/Bad:me?issuer=Bad\n"));
        let problem = plan.candidates()[0].problem().cloned();
        assert!(
            matches!(
                problem,
                Some(Problem {
                    item: 1,
                    cause: Cause::InvalidLink(_),
                    ..
                })
            ),
            "{problem:?}"
        );
        assert!(!plan.candidates()[0].duplicate);
    }
}
