//! Linked folders: a folder where a phone's authenticator (Aegis, 2FAS, Ente, Proton…)
//! drops its automatic backups, which a sync client carries to this computer. Ringlet
//! reads the newest backup there ([`folder`], with the same importers as any import) and
//! shows its accounts as a read-only group that follows the phone; [`diff`] says what a
//! new backup added, removed or changed.
//!
//! - A link (`linked.json` beside the vault, per computer, never synced) is an id, the
//!   folder and a display name. The backup's password, when it is encrypted, is kept
//!   sealed like a sync folder's WebDAV password: AES-256-GCM under the vault's
//!   sync-credential sub-key, its associated data binding the vault and the link's id, and
//!   sealed again at a vault password change.
//! - The accounts are kept in memory only ([`LinkedGroup`]); one reaches the vault only
//!   when the person copies it in ([`copy_into_vault`]).
//! - Ringlet never writes into a linked folder.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::model::{Account, AccountId};
use crate::vault::{files, Vault, VaultError};

pub mod diff;
pub mod folder;

pub use diff::Diff;
pub use folder::{Backup, Look, SkipReason, Skipped};

/// The file's name in the vault folder.
pub const LINKED_FILE: &str = "linked.json";
const MAX_LINKED_LEN: u64 = 1024 * 1024;

/// Most folders one vault links: a person has a phone or two; this bounds the polling.
pub const MAX_LINKS: usize = 16;

/// Longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// One linked folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// 16 hexadecimal digits, random; binds the sealed password to this link.
    pub id: String,
    pub folder: PathBuf,
    /// What the group is called: "Aegis", "Aegis on Pixel".
    pub name: String,
    /// The backup's password, sealed (Base64 of nonce ‖ ciphertext ‖ tag); none for a plain backup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_sealed: Option<String>,
}

/// `linked.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Links {
    pub links: Vec<Link>,
}

/// Why a link could not be made, found or read.
#[derive(Debug, thiserror::Error)]
pub enum LinkedError {
    #[error("{} is not a folder.", .0.display())]
    NotAFolder(PathBuf),
    #[error("The folder {} cannot be read: {error}", .folder.display())]
    FolderUnreadable { folder: PathBuf, error: String },
    #[error("{} is already linked as \"{name}\".", .folder.display())]
    AlreadyLinked { folder: PathBuf, name: String },
    #[error("{} holds no backup Ringlet reads.{}", .folder.display(), skipped_clause(.skipped))]
    NoBackup {
        folder: PathBuf,
        skipped: Vec<Skipped>,
    },
    #[error("The newest backup in this folder is an encrypted {format}: give its password.")]
    NeedsPassword { format: &'static str },
    #[error("The password is wrong for the newest backup in this folder ({format}). Nothing was linked.")]
    WrongPassword { format: &'static str },
    #[error("No linked folder is called \"{0}\".")]
    NotFound(String),
    #[error("A linked folder is already called \"{0}\".")]
    NameTaken(String),
    #[error("A linked folder needs a name.")]
    NameEmpty,
    #[error("Ringlet links at most {MAX_LINKS} folders.")]
    TooMany,
    #[error("The backup password kept for \"{0}\" no longer opens (the vault's password was changed on another computer?): remove the link and add it again.")]
    PasswordLost(String),
    #[error("linked.json is damaged: {0}")]
    Damaged(String),
    #[error("The vault already holds this account: {0}.")]
    AlreadyInVault(String),
    #[error("{0}")]
    Vault(#[from] VaultError),
}

fn skipped_clause(skipped: &[Skipped]) -> String {
    skipped
        .iter()
        .take(3)
        .map(|s| format!(" {s}"))
        .collect::<String>()
}

impl Links {
    /// The links of the vault folder `dir` (none when the file is absent).
    pub fn load(dir: &Path) -> Result<Links, LinkedError> {
        let path = dir.join(LINKED_FILE);
        if !path.exists() {
            return Ok(Links::default());
        }
        let bytes = files::read_limited(&path, MAX_LINKED_LEN, "linked.json")?;
        serde_json::from_slice(&bytes).map_err(|e| LinkedError::Damaged(e.to_string()))
    }

    pub fn save(&self, dir: &Path) -> Result<(), LinkedError> {
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| LinkedError::Damaged(e.to_string()))?;
        files::write_atomically(&dir.join(LINKED_FILE), &bytes).map_err(VaultError::Io)?;
        Ok(())
    }

    /// The link called `query` (case-insensitive), or whose id it is.
    pub fn find(&self, query: &str) -> Result<&Link, LinkedError> {
        let wanted = query.trim().to_lowercase();
        self.links
            .iter()
            .find(|link| link.name.to_lowercase() == wanted || link.id == query.trim())
            .ok_or_else(|| LinkedError::NotFound(query.to_owned()))
    }
}

/// The associated data of a sealed backup password: the link's id.
fn password_ad(id: &str) -> Vec<u8> {
    let mut ad = b"ringlet/linked backup password\0".to_vec();
    ad.extend_from_slice(id.as_bytes());
    ad
}

fn seal_password(vault: &Vault, id: &str, password: &[u8]) -> Result<String, LinkedError> {
    let sealed = vault.seal_sync_credential(&password_ad(id), password)?;
    Ok(data_encoding::BASE64.encode(&sealed))
}

/// The backup password kept for `link`, opened (`None`: the backup is plain).
pub fn password(vault: &Vault, link: &Link) -> Result<Option<Zeroizing<Vec<u8>>>, LinkedError> {
    let Some(sealed) = &link.password_sealed else {
        return Ok(None);
    };
    let lost = || LinkedError::PasswordLost(link.name.clone());
    let sealed = data_encoding::BASE64
        .decode(sealed.as_bytes())
        .map_err(|_| lost())?;
    vault
        .open_sync_credential(&password_ad(&link.id), &sealed)
        .map(Some)
        .ok_or_else(lost)
}

/// The name a link gets when none is given: the format's, without "backup" or "export"
/// ("Aegis backup" → "Aegis").
pub fn default_name(format: &str) -> String {
    let mut name = format;
    for tail in [
        " backup",
        " export",
        " database",
        " token store",
        " accounts",
    ] {
        name = name.strip_suffix(tail).unwrap_or(name);
    }
    name.to_owned()
}

fn clean_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// Links `folder` to `vault`: reads its newest backup (with `password` if it is
/// encrypted), then keeps the link and the password, sealed. Nothing is kept when the
/// folder holds no backup that reads: an encrypted one without a password is
/// [`LinkedError::NeedsPassword`] (ask, then call again), a wrong password is
/// [`LinkedError::WrongPassword`].
pub fn add(
    vault: &Vault,
    folder: &Path,
    name: Option<&str>,
    password: Option<&[u8]>,
) -> Result<LinkedGroup, LinkedError> {
    if !folder.is_dir() {
        return Err(LinkedError::NotAFolder(folder.to_path_buf()));
    }
    let folder = std::fs::canonicalize(folder).map_err(|e| LinkedError::FolderUnreadable {
        folder: folder.to_path_buf(),
        error: e.to_string(),
    })?;
    let mut links = Links::load(vault.dir())?;
    if let Some(link) = links.links.iter().find(|l| l.folder == folder) {
        return Err(LinkedError::AlreadyLinked {
            folder,
            name: link.name.clone(),
        });
    }
    if links.links.len() >= MAX_LINKS {
        return Err(LinkedError::TooMany);
    }
    let look = folder::look(&folder, password, None)?;
    // The newest recognised backup decides whether a password is asked, or wrong.
    for skipped in &look.skipped {
        match skipped.reason {
            SkipReason::NeedsPassword { format } => {
                return Err(LinkedError::NeedsPassword { format })
            }
            SkipReason::WrongPassword { format } => {
                return Err(LinkedError::WrongPassword { format })
            }
            _ => {}
        }
    }
    let Some(backup) = &look.backup else {
        return Err(LinkedError::NoBackup {
            folder,
            skipped: look.skipped,
        });
    };
    let name = match name.map(clean_name) {
        Some(name) if name.is_empty() => return Err(LinkedError::NameEmpty),
        Some(name) => name,
        None => default_name(backup.format),
    };
    if links.find(&name).is_ok() {
        return Err(LinkedError::NameTaken(name));
    }
    let mut id = [0u8; 8];
    crate::vault::crypto::random_fill(&mut id)?;
    let id = data_encoding::HEXLOWER.encode(&id);
    let password_sealed = match (password, backup_was_encrypted(&folder, backup)) {
        (Some(password), true) => Some(seal_password(vault, &id, password)?),
        _ => None,
    };
    let link = Link {
        id,
        folder,
        name,
        password_sealed,
    };
    links.links.push(link.clone());
    links.save(vault.dir())?;
    Ok(LinkedGroup::with_look(link, look))
}

/// True when the backup in use needed a password (so one is worth keeping).
fn backup_was_encrypted(folder: &Path, backup: &Backup) -> bool {
    std::fs::read(folder.join(&backup.file))
        .map(Zeroizing::new)
        .ok()
        .and_then(|bytes| {
            crate::import::FORMATS
                .iter()
                .find(|f| f.recognises(&bytes))
                .map(|f| f.is_encrypted(&bytes))
        })
        .unwrap_or(false)
}

/// Forgets the link called `query` and its password. The folder is left as it is.
pub fn remove(dir: &Path, query: &str) -> Result<Link, LinkedError> {
    let mut links = Links::load(dir)?;
    let id = links.find(query)?.id.clone();
    let place = links.links.iter().position(|l| l.id == id);
    let removed = links
        .links
        .remove(place.ok_or_else(|| LinkedError::NotFound(query.to_owned()))?);
    links.save(dir)?;
    Ok(removed)
}

/// Calls the link `query` by `name`.
pub fn rename(dir: &Path, query: &str, name: &str) -> Result<Link, LinkedError> {
    let name = clean_name(name);
    if name.is_empty() {
        return Err(LinkedError::NameEmpty);
    }
    let mut links = Links::load(dir)?;
    let id = links.find(query)?.id.clone();
    if links.find(&name).is_ok_and(|other| other.id != id) {
        return Err(LinkedError::NameTaken(name));
    }
    let link = links
        .links
        .iter_mut()
        .find(|l| l.id == id)
        .ok_or_else(|| LinkedError::NotFound(query.to_owned()))?;
    link.name = name;
    let renamed = link.clone();
    links.save(dir)?;
    Ok(renamed)
}

/// Copies `account` (read from a linked backup) into `vault`, as its own. An account the
/// vault already holds (the same key) is [`LinkedError::AlreadyInVault`].
pub fn copy_into_vault(vault: &Vault, account: &Account) -> Result<AccountId, LinkedError> {
    if let Some(twin) = vault
        .entries()?
        .into_iter()
        .find(|entry| entry.account.same_as(account))
    {
        return Err(LinkedError::AlreadyInVault(crate::model::account_label(
            &twin.account.issuer,
            &twin.account.name,
        )));
    }
    Ok(vault.add(account)?)
}

/// The backup passwords, opened under the vault's current key, to be sealed again after a
/// password change ([`reseal_passwords`]).
pub(crate) struct PasswordsToReseal {
    links: Links,
    passwords: Vec<(String, Zeroizing<Vec<u8>>)>,
}

pub(crate) fn passwords_before_key_change(vault: &Vault) -> Option<PasswordsToReseal> {
    let links = Links::load(vault.dir()).ok()?;
    let passwords = links
        .links
        .iter()
        .filter_map(|link| Some((link.id.clone(), password(vault, link).ok()??)))
        .collect::<Vec<_>>();
    (!passwords.is_empty()).then_some(PasswordsToReseal { links, passwords })
}

pub(crate) fn reseal_passwords(vault: &Vault, kept: PasswordsToReseal) -> Result<(), LinkedError> {
    let PasswordsToReseal {
        mut links,
        passwords,
    } = kept;
    for (id, password) in &passwords {
        if let Some(link) = links.links.iter_mut().find(|l| &l.id == id) {
            link.password_sealed = Some(seal_password(vault, id, password)?);
        }
    }
    links.save(vault.dir())
}

/// A linked folder as the app and the command line show it: the link, the backup in use
/// (kept when a newer file does not read) and why newer files were skipped. In memory only.
#[derive(Debug, Clone)]
pub struct LinkedGroup {
    pub link: Link,
    pub backup: Option<Backup>,
    pub skipped: Vec<Skipped>,
    /// The folder could not be looked at (gone, unreadable), or the password is lost.
    pub error: Option<String>,
    /// The files as last seen, to tell whether the folder changed.
    seen: Option<Vec<(PathBuf, u64, u64)>>,
}

/// What a look at a linked folder changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub link_id: String,
    pub name: String,
    /// The accounts added, removed or changed by a newer backup (empty when the backup in
    /// use stayed).
    pub diff: Diff,
    /// Why the newest file was not used, when it was not.
    pub skipped: Vec<String>,
}

impl LinkedGroup {
    fn with_look(link: Link, look: Look) -> LinkedGroup {
        let seen = folder::fingerprint(&link.folder);
        LinkedGroup {
            link,
            backup: look.backup,
            skipped: look.skipped,
            error: None,
            seen,
        }
    }

    /// Every link of `vault`, each read once (`settled_before`: see [`folder::look`]).
    pub fn load_all(
        vault: &Vault,
        settled_before: Option<u64>,
    ) -> Result<Vec<LinkedGroup>, LinkedError> {
        let links = Links::load(vault.dir())?;
        Ok(links
            .links
            .into_iter()
            .map(|link| {
                let mut group = LinkedGroup {
                    link,
                    backup: None,
                    skipped: Vec::new(),
                    error: None,
                    seen: None,
                };
                group.read(vault, settled_before);
                group
            })
            .collect())
    }

    /// The accounts of the backup in use.
    pub fn accounts(&self) -> &[Account] {
        self.backup.as_ref().map_or(&[], |b| b.accounts.as_slice())
    }

    /// Reads the folder again; the backup in use stays unless a newer one reads. Returns
    /// what changed.
    pub fn read(&mut self, vault: &Vault, settled_before: Option<u64>) -> Update {
        let seen = folder::fingerprint(&self.link.folder);
        let look = password(vault, &self.link).and_then(|password| {
            folder::look(
                &self.link.folder,
                password.as_deref().map(Vec::as_slice),
                settled_before,
            )
        });
        self.apply(seen, look)
    }

    /// True when the folder's files changed since the last look, or one was still settling:
    /// worth a [`read`](Self::read). Cheap (a folder listing), so it can be asked often.
    pub fn changed(&self) -> bool {
        let settling = self
            .skipped
            .iter()
            .any(|s| s.reason == SkipReason::StillBeingWritten);
        settling || folder::fingerprint(&self.link.folder) != self.seen
    }

    /// Takes in a look made apart (the app reads the folder without holding the vault):
    /// `seen` is the folder's [`folder::fingerprint`] taken just before it. The backup in
    /// use stays unless the look found a newer one that reads.
    pub fn apply(
        &mut self,
        seen: Option<Vec<(PathBuf, u64, u64)>>,
        look: Result<Look, LinkedError>,
    ) -> Update {
        let before = self.accounts().to_vec();
        let had = self
            .backup
            .as_ref()
            .map(|b| (b.file.clone(), b.modified_ms));
        self.seen = seen;
        let mut diff = Diff::default();
        match look {
            Ok(look) => {
                self.error = None;
                self.skipped = look.skipped;
                if let Some(backup) = look.backup {
                    if had != Some((backup.file.clone(), backup.modified_ms)) {
                        if had.is_some() {
                            diff = diff::diff(&before, &backup.accounts);
                        }
                        self.backup = Some(backup);
                    }
                }
            }
            Err(error) => self.error = Some(error.to_string()),
        }
        Update {
            link_id: self.link.id.clone(),
            name: self.link.name.clone(),
            diff,
            skipped: self.skipped.iter().map(ToString::to_string).collect(),
        }
    }

    /// Reads the folder again only if its files changed since the last look; `None` when
    /// nothing changed. Polled by the app (see ARCHITECTURE.md: polling, as sync does, so
    /// that network shares work too).
    pub fn poll(&mut self, vault: &Vault, settled_before: Option<u64>) -> Option<Update> {
        self.changed().then(|| self.read(vault, settled_before))
    }
}
