// How a secret could leak: every spelling of its bytes (Base32 either case, hex, Base64,
// and the list of numbers serde writes for a Vec<u8>), shared by the secrets test and the
// scan of a whole end-to-end run's output.

export function base32Bytes(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of text.replace(/=+$/, '')) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  return Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
}

export function base32(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...bytes].map((byte) => byte.toString(2).padStart(8, '0')).join('');
  return (bits.match(/.{1,5}/g) ?? []).map((chunk) => alphabet[parseInt(chunk.padEnd(5, '0'), 2)]).join('');
}

/** Every spelling of these bytes that could leak. The byte list ("72,101,…", what serde
 *  writes for a Vec<u8>) is given without spaces: search it in text with whitespace
 *  removed too (see `compact`), so pretty-printed JSON is caught. */
export function byteForms(bytes) {
  const b32 = base32(bytes);
  return [b32, b32.toLowerCase(), bytes.toString('hex'), bytes.toString('hex').toUpperCase(),
    bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), [...bytes].join(',')];
}

/** `text` without whitespace, where a pretty-printed byte list reads as "72,101,…". */
export function compact(text) {
  return text.replace(/\s+/g, '');
}

/** Every spelling of a Base32 secret that could leak. */
export function forms(secret) {
  const unpadded = secret.replace(/=+$/, '');
  return [unpadded, ...byteForms(base32Bytes(secret))];
}
