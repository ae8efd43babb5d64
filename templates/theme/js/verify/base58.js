// base58btc decoding (the Bitcoin alphabet), for multibase values that start with 'z':
// Multikey public keys and Data Integrity `proofValue` signatures. The verifier only ever
// decodes, so there is no encoder.

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const DIGITS = new Map([...ALPHABET].map((char, value) => [char, value]));

/**
 * Decode base58btc text to bytes. Throws for a character outside the alphabet, and for a
 * value longer than `maxBytes` (the work is quadratic in the length, and every value the
 * verifier decodes has a small fixed size, so a huge one is refused before any work).
 */
export function decodeBase58(text, maxBytes = 128) {
  // Each byte of output needs at least log(256)/log(58) ~ 1.37 characters.
  if (text.length > Math.ceil(maxBytes * 1.37) + 1) {
    throw new Error('the value is far too long');
  }
  // Leading '1's are leading zero bytes; the rest is one big-endian base-58 number.
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const little = []; // the number's base-256 digits, least significant first
  for (let i = zeros; i < text.length; i++) {
    const digit = DIGITS.get(text[i]);
    if (digit === undefined) {
      throw new Error(`it contains '${text[i]}', which is not a base58btc character`);
    }
    let carry = digit;
    for (let j = 0; j < little.length; j++) {
      carry += little[j] * 58;
      little[j] = carry & 0xff;
      carry >>= 8;
    }
    while (carry > 0) {
      little.push(carry & 0xff);
      carry >>= 8;
    }
  }
  const bytes = new Uint8Array(zeros + little.length);
  little.forEach((byte, i) => {
    bytes[bytes.length - 1 - i] = byte;
  });
  return bytes;
}
