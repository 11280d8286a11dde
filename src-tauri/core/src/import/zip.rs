//! Just enough of the zip format to read one small file out of a password-protected
//! archive (Authenticator Plus's export): the central directory, stored or DEFLATE entries,
//! and the traditional PKWARE encryption ("ZipCrypto"). Not AES zips (method 99), not
//! zip64, not archives spanning disks.
//!
//! Written from PKWARE's APPNOTE.TXT (sections 4.3 and 6.1). Zip bombs: the number of
//! entries and each entry's declared size are capped before anything is inflated, and
//! inflating stops at the declared size.
//!
//! ZipCrypto is weak (known-plaintext attacks break it); Ringlet only reads it.

use zeroize::Zeroizing;

/// Most entries an archive may list: the exports read here hold one or two files.
pub const MAX_ZIP_ENTRIES: usize = 64;
/// Largest uncompressed file read out of an archive: 4 MiB is thousands of accounts.
pub const MAX_UNCOMPRESSED: usize = 4 * 1024 * 1024;

const LOCAL: &[u8] = b"PK\x03\x04";
const CENTRAL: &[u8] = b"PK\x01\x02";
const END: &[u8] = b"PK\x05\x06";
const END_LEN: usize = 22;
const FLAG_ENCRYPTED: u16 = 1;
const FLAG_DESCRIPTOR: u16 = 1 << 3;
const FLAG_STRONG: u16 = 1 << 6;
const STORED: u16 = 0;
const DEFLATE: u16 = 8;
const ENCRYPTION_HEADER: usize = 12;

/// One file of the central directory.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    flags: u16,
    method: u16,
    time: u16,
    crc: u32,
    compressed: usize,
    size: usize,
    local_offset: usize,
}

impl Entry {
    pub fn is_encrypted(&self) -> bool {
        self.flags & FLAG_ENCRYPTED != 0
    }
}

/// Why a file could not be taken out of an archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZipError {
    /// The archive's structure is broken or cut short.
    Damaged,
    /// More than [`MAX_ZIP_ENTRIES`] entries or a file over [`MAX_UNCOMPRESSED`].
    TooLarge,
    /// AES or another encryption than ZipCrypto, or a compression other than DEFLATE.
    Unsupported,
    /// The password does not open the file.
    WrongPassword,
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(
        bytes.get(at..at.checked_add(2)?)?.try_into().ok()?,
    ))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(
        bytes.get(at..at.checked_add(4)?)?.try_into().ok()?,
    ))
}

fn usize_at(bytes: &[u8], at: usize) -> Option<usize> {
    usize::try_from(u32_at(bytes, at)?).ok()
}

/// The archive's files, from its central directory; `None` when `bytes` are not a whole
/// zip. More than [`MAX_ZIP_ENTRIES`] is [`ZipError::TooLarge`].
pub fn entries(bytes: &[u8]) -> Result<Vec<Entry>, ZipError> {
    if !bytes.starts_with(LOCAL) || bytes.len() < END_LEN {
        return Err(ZipError::Damaged);
    }
    // The end record sits in the last 22 bytes plus a comment of at most 64 KiB.
    let earliest = bytes.len().saturating_sub(END_LEN + usize::from(u16::MAX));
    let end = (earliest..=bytes.len() - END_LEN)
        .rev()
        .find(|&at| bytes.get(at..at + 4) == Some(END))
        .ok_or(ZipError::Damaged)?;
    let count = usize::from(u16_at(bytes, end + 10).ok_or(ZipError::Damaged)?);
    if count > MAX_ZIP_ENTRIES {
        return Err(ZipError::TooLarge);
    }
    let mut at = usize_at(bytes, end + 16).ok_or(ZipError::Damaged)?;
    let mut found = Vec::with_capacity(count);
    for _ in 0..count {
        let entry = central_entry(bytes, at).ok_or(ZipError::Damaged)?;
        found.push(entry.0);
        at = entry.1;
    }
    Ok(found)
}

/// The central-directory entry at `at`, and where the next one starts.
fn central_entry(bytes: &[u8], at: usize) -> Option<(Entry, usize)> {
    if bytes.get(at..at.checked_add(4)?)? != CENTRAL {
        return None;
    }
    let name_len = usize::from(u16_at(bytes, at + 28)?);
    let extra_len = usize::from(u16_at(bytes, at + 30)?);
    let comment_len = usize::from(u16_at(bytes, at + 32)?);
    let name_at = at.checked_add(46)?;
    let name = bytes.get(name_at..name_at.checked_add(name_len)?)?;
    let entry = Entry {
        name: String::from_utf8_lossy(name).into_owned(),
        flags: u16_at(bytes, at + 8)?,
        method: u16_at(bytes, at + 10)?,
        time: u16_at(bytes, at + 12)?,
        crc: u32_at(bytes, at + 16)?,
        compressed: usize_at(bytes, at + 20)?,
        size: usize_at(bytes, at + 24)?,
        local_offset: usize_at(bytes, at + 42)?,
    };
    let next = name_at
        .checked_add(name_len)?
        .checked_add(extra_len)?
        .checked_add(comment_len)?;
    Some((entry, next))
}

/// The content of `entry`, decrypted with `password` when it is encrypted.
pub fn read(
    bytes: &[u8],
    entry: &Entry,
    password: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>, ZipError> {
    if entry.size > MAX_UNCOMPRESSED || entry.compressed > MAX_UNCOMPRESSED {
        return Err(ZipError::TooLarge);
    }
    if entry.flags & FLAG_STRONG != 0 || !matches!(entry.method, STORED | DEFLATE) {
        return Err(ZipError::Unsupported);
    }
    let at = entry.local_offset;
    if bytes.get(at..at.saturating_add(4)) != Some(LOCAL) {
        return Err(ZipError::Damaged);
    }
    let name_len = usize::from(u16_at(bytes, at + 26).ok_or(ZipError::Damaged)?);
    let extra_len = usize::from(u16_at(bytes, at + 28).ok_or(ZipError::Damaged)?);
    let data_at = at + 30 + name_len + extra_len;
    let data = bytes
        .get(data_at..data_at + entry.compressed)
        .ok_or(ZipError::Damaged)?;
    let mut data = Zeroizing::new(data.to_vec());
    if entry.is_encrypted() {
        let password = password.ok_or(ZipError::WrongPassword)?;
        if data.len() < ENCRYPTION_HEADER {
            return Err(ZipError::Damaged);
        }
        let mut keys = ZipCrypto::new(password);
        keys.decrypt(&mut data);
        // The header's last byte checks the password: the CRC's high byte, or the
        // modification time's when sizes and CRC follow the data (flag bit 3).
        let check = if entry.flags & FLAG_DESCRIPTOR != 0 {
            entry.time.to_be_bytes()[0]
        } else {
            entry.crc.to_be_bytes()[0]
        };
        if data.get(ENCRYPTION_HEADER - 1) != Some(&check) {
            return Err(ZipError::WrongPassword);
        }
        data.drain(..ENCRYPTION_HEADER);
    }
    let plain = match entry.method {
        STORED => data,
        _ => Zeroizing::new(
            miniz_oxide::inflate::decompress_to_vec_with_limit(&data, entry.size)
                // A wrong password that passed the one-byte check (1 in 256) lands here.
                .map_err(|_| ZipError::WrongPassword)?,
        ),
    };
    if plain.len() != entry.size || crc32(&plain) != entry.crc {
        return Err(ZipError::WrongPassword);
    }
    Ok(plain)
}

/// PKWARE's traditional encryption: three 32-bit keys stirred by each plaintext byte.
struct ZipCrypto([u32; 3]);

impl ZipCrypto {
    fn new(password: &[u8]) -> Self {
        let mut keys = ZipCrypto([0x1234_5678, 0x2345_6789, 0x3456_7890]);
        for &byte in password {
            keys.update(byte);
        }
        keys
    }

    fn update(&mut self, byte: u8) {
        let [k0, k1, k2] = &mut self.0;
        *k0 = crc32_byte(*k0, byte);
        *k1 = k1
            .wrapping_add(*k0 & 0xff)
            .wrapping_mul(134_775_813)
            .wrapping_add(1);
        *k2 = crc32_byte(*k2, k1.to_be_bytes()[0]);
    }

    fn decrypt(&mut self, data: &mut [u8]) {
        for byte in data {
            let temp = (self.0[2] | 2) & 0xffff;
            let stream = (temp.wrapping_mul(temp ^ 1) >> 8) as u8;
            *byte ^= stream;
            self.update(*byte);
        }
    }
}

impl Drop for ZipCrypto {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.0);
    }
}

/// One step of CRC-32 (IEEE, reflected), as ZipCrypto's key schedule uses it.
fn crc32_byte(crc: u32, byte: u8) -> u32 {
    let mut crc = crc ^ u32::from(byte);
    for _ in 0..8 {
        crc = if crc & 1 != 0 {
            (crc >> 1) ^ 0xedb8_8320
        } else {
            crc >> 1
        };
    }
    crc
}

fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |crc, &byte| crc32_byte(crc, byte))
}

#[cfg(test)]
pub mod testing {
    //! Writing a one-file archive, for tests.
    use super::*;

    /// A zip holding `name` with `content`, stored, encrypted with `password` when given.
    pub fn archive(name: &str, content: &[u8], password: Option<&[u8]>) -> Vec<u8> {
        let crc = crc32(content);
        let mut data = Vec::new();
        let mut flags = 0u16;
        if let Some(password) = password {
            flags |= FLAG_ENCRYPTED;
            let mut header = [7u8; ENCRYPTION_HEADER];
            header[ENCRYPTION_HEADER - 1] = crc.to_be_bytes()[0];
            let mut plain = header.to_vec();
            plain.extend_from_slice(content);
            let mut keys = ZipCrypto::new(password);
            for byte in plain {
                let temp = (keys.0[2] | 2) & 0xffff;
                let stream = (temp.wrapping_mul(temp ^ 1) >> 8) as u8;
                data.push(byte ^ stream);
                keys.update(byte);
            }
        } else {
            data.extend_from_slice(content);
        }
        let fields = |out: &mut Vec<u8>| {
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&flags.to_le_bytes());
            out.extend_from_slice(&STORED.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(content.len() as u32).to_le_bytes());
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
        };
        let mut out = LOCAL.to_vec();
        fields(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&data);
        let central_at = out.len();
        out.extend_from_slice(CENTRAL);
        out.extend_from_slice(&20u16.to_le_bytes());
        fields(&mut out);
        // Comment length, disk, attributes, and the local header's offset (0).
        out.extend_from_slice(&[0; 14]);
        out.extend_from_slice(name.as_bytes());
        let central_len = out.len() - central_at;
        out.extend_from_slice(END);
        out.extend_from_slice(&[0, 0, 0, 0, 1, 0, 1, 0]);
        out.extend_from_slice(&(central_len as u32).to_le_bytes());
        out.extend_from_slice(&(central_at as u32).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::testing::archive;
    use super::*;

    #[test]
    fn a_stored_and_an_encrypted_file_are_read_back() {
        let zip = archive("a.txt", b"hello", None);
        let found = entries(&zip).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(found[0].name, "a.txt");
        assert_eq!(
            read(&zip, &found[0], None).as_deref().map(Vec::as_slice),
            Ok(&b"hello"[..])
        );

        let zip = archive("a.txt", b"secret text", Some(b"pw"));
        let found = entries(&zip).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(found[0].is_encrypted());
        assert_eq!(
            read(&zip, &found[0], Some(b"pw"))
                .as_deref()
                .map(Vec::as_slice),
            Ok(&b"secret text"[..])
        );
        assert_eq!(
            read(&zip, &found[0], Some(b"px")).err(),
            Some(ZipError::WrongPassword)
        );
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
    }

    #[test]
    fn bombs_and_cut_archives_are_refused_before_inflating() {
        let zip = archive("a.txt", b"hello", None);
        assert_eq!(
            entries(&zip[..zip.len() - 5]).err(),
            Some(ZipError::Damaged)
        );
        let mut found = entries(&zip).unwrap_or_else(|e| panic!("{e:?}"));
        found[0].size = MAX_UNCOMPRESSED + 1;
        assert_eq!(read(&zip, &found[0], None).err(), Some(ZipError::TooLarge));
        // An end record claiming more entries than the cap.
        let mut many = zip.clone();
        let count_at = many.len() - END_LEN + 10;
        many[count_at..count_at + 2].copy_from_slice(&1000u16.to_le_bytes());
        assert_eq!(entries(&many).err(), Some(ZipError::TooLarge));
    }
}
