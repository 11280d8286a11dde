//! A bounded reader of protobuf fields over a byte slice, for the export formats that are
//! protobuf (Google Authenticator's today): no protobuf crate, no recursion, every length
//! checked against what is left, so no input can make it panic, allocate without bound or
//! loop for long.

use std::fmt;

/// What is wrong in the bytes of a damaged payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The data ends in the middle of a field.
    Truncated,
    /// A number is longer than the ten bytes protobuf allows.
    LongNumber,
    /// A field has number 0 or an encoding protobuf does not have (or groups).
    BadField,
    /// A known field is encoded the wrong way (a number where text was expected, …).
    WrongEncoding,
}

impl fmt::Display for Damage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Damage::Truncated => "its data ends in the middle of a field",
            Damage::LongNumber => "it holds a number longer than protobuf allows",
            Damage::BadField => "it holds a field protobuf cannot encode",
            Damage::WrongEncoding => "a field is not encoded the way this format says",
        })
    }
}

/// A field's value as found on the wire.
pub(super) enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// A fixed 32- or 64-bit value, which no field of this format uses.
    Fixed,
}

/// A bounded reader of protobuf fields over a byte slice.
pub(super) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Reader { rest: bytes }
    }

    /// The next field's number and value, or `None` at the end.
    pub(super) fn next_field(&mut self) -> Result<Option<(u64, Value<'a>)>, Damage> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let key = self.varint()?;
        let number = key >> 3;
        if number == 0 {
            return Err(Damage::BadField);
        }
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(self.varint()?).map_err(|_| Damage::Truncated)?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Fixed
            }
            // 3 and 4 are the deprecated groups, 6 and 7 do not exist.
            _ => return Err(Damage::BadField),
        };
        Ok(Some((number, value)))
    }

    pub(super) fn varint(&mut self) -> Result<u64, Damage> {
        let mut value = 0u64;
        for (i, &byte) in self.rest.iter().take(10).enumerate() {
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                self.rest = self.rest.get(i + 1..).unwrap_or_default();
                return Ok(value);
            }
        }
        Err(if self.rest.len() < 10 {
            Damage::Truncated
        } else {
            Damage::LongNumber
        })
    }

    pub(super) fn take(&mut self, len: usize) -> Result<&'a [u8], Damage> {
        let head = self.rest.get(..len).ok_or(Damage::Truncated)?;
        self.rest = self.rest.get(len..).unwrap_or_default();
        Ok(head)
    }
}

/// Protobuf's `int32` from a varint: the low 32 bits, so that a negative value written
/// as ten bytes reads back right.
pub(super) fn int32(value: u64) -> i32 {
    (value & 0xffff_ffff) as u32 as i32
}
