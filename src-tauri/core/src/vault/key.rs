//! Keys wiped in place: every key the vault holds lives in its own page of memory, which
//! never moves (moving a [`Key`] moves a pointer), is locked in RAM where the system allows
//! it (so it is never written to swap; best effort, since the limit on locked memory may be
//! low), and is zeroized before it is unlocked and freed.

use std::alloc::{alloc_zeroed, dealloc, handle_alloc_error, Layout};
use std::ops::{Deref, DerefMut};
use std::ptr::NonNull;

use zeroize::Zeroize;

/// Length of every symmetric key the vault uses.
pub(crate) const KEY_LEN: usize = 32;

/// A 32-byte key in its own page (see the module documentation).
pub(crate) struct Key {
    bytes: NonNull<[u8; KEY_LEN]>,
    layout: Layout,
    locked: bool,
}

// SAFETY: a `Key` owns its page alone, like a `Box<[u8; KEY_LEN]>`.
unsafe impl Send for Key {}
// SAFETY: shared access only reads through `&[u8; KEY_LEN]`.
unsafe impl Sync for Key {}

impl Key {
    /// A key of zeros in a fresh page, to be filled.
    pub(crate) fn zeroed() -> Key {
        let layout = page_layout();
        // SAFETY: the layout has a non-zero size (at least KEY_LEN).
        let page = unsafe { alloc_zeroed(layout) };
        let Some(bytes) = NonNull::new(page.cast::<[u8; KEY_LEN]>()) else {
            handle_alloc_error(layout)
        };
        let locked = lock_in_ram(page, layout.size());
        Key {
            bytes,
            layout,
            locked,
        }
    }

    /// True when the system agreed to keep this key out of swap.
    #[cfg(test)]
    fn is_locked(&self) -> bool {
        self.locked
    }
}

impl Deref for Key {
    type Target = [u8; KEY_LEN];

    fn deref(&self) -> &[u8; KEY_LEN] {
        // SAFETY: `bytes` points to an initialised array this `Key` owns until drop.
        unsafe { self.bytes.as_ref() }
    }
}

impl DerefMut for Key {
    fn deref_mut(&mut self) -> &mut [u8; KEY_LEN] {
        // SAFETY: as in `deref`, and `&mut self` makes the access unique.
        unsafe { self.bytes.as_mut() }
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.deref_mut().zeroize();
        let page = self.bytes.as_ptr().cast::<u8>();
        if self.locked {
            unlock_in_ram(page, self.layout.size());
        }
        // SAFETY: allocated in `zeroed` with this very layout, freed once.
        unsafe { dealloc(page, self.layout) };
    }
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// One page, page-aligned, so that locking and unlocking it touches no other data.
fn page_layout() -> Layout {
    let size = page_size().max(KEY_LEN);
    Layout::from_size_align(size, size).unwrap_or(Layout::new::<[u8; KEY_LEN]>())
}

#[cfg(unix)]
fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|size| size.is_power_of_two())
        .unwrap_or(4096)
}

#[cfg(not(unix))]
fn page_size() -> usize {
    4096
}

#[cfg(unix)]
fn lock_in_ram(page: *mut u8, len: usize) -> bool {
    // SAFETY: `page` is a live allocation of `len` bytes.
    unsafe { libc::mlock(page.cast(), len) == 0 }
}

#[cfg(unix)]
fn unlock_in_ram(page: *mut u8, len: usize) {
    // SAFETY: as in `lock_in_ram`; the page was locked by this key alone.
    unsafe { libc::munlock(page.cast(), len) };
}

// Windows (VirtualLock) and other systems: not locked; the key is still wiped in place.
#[cfg(not(unix))]
fn lock_in_ram(_page: *mut u8, _len: usize) -> bool {
    false
}

#[cfg(not(unix))]
fn unlock_in_ram(_page: *mut u8, _len: usize) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_has_its_own_locked_page_and_keeps_its_place() {
        let mut key = Key::zeroed();
        key.copy_from_slice(&[7u8; KEY_LEN]);
        let address = key.as_ptr() as usize;
        assert_eq!(address % page_size(), 0, "page-aligned");
        // The default limit on locked memory (64 KiB or more) holds a few pages.
        assert!(key.is_locked(), "mlock refused one page");
        let moved = key;
        assert_eq!(
            moved.as_ptr() as usize,
            address,
            "moving a key moves a pointer"
        );
        assert_eq!(*moved, [7u8; KEY_LEN]);
        assert_eq!(format!("{moved:?}"), "Key(<redacted>)");
    }

    #[test]
    fn every_key_has_a_page_of_its_own() {
        let keys: Vec<Key> = (0..4).map(|_| Key::zeroed()).collect();
        let mut pages: Vec<usize> = keys
            .iter()
            .map(|key| key.as_ptr() as usize / page_size())
            .collect();
        pages.sort_unstable();
        pages.dedup();
        assert_eq!(pages.len(), keys.len());
    }
}
