// Unpacking base64url and GZIP, as verification links (#vc=) and status lists
// (encodedList) are packed, with a bound on the unpacked size against "zip bombs".

/** Bytes of unpadded base64url text; throws for any character outside the alphabet. */
export function base64UrlBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** The GZIP-decompressed bytes, or a TooLarge error past `limit` bytes. */
export async function gunzip(bytes, limit) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new TooLarge(total);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

export class TooLarge extends Error {
  constructor(size) {
    super(`more than ${size} bytes`);
    this.size = size;
  }
}

/** Lowercase hex of SHA-256 of a UTF-8 string. */
export async function sha256Hex(text) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
