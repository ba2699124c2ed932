/**
 * Kafka keys and values are bytes. Values must be UTF-8 JSON; keys may be anything, and `_key`
 * (a string column) must keep them exactly and keep different keys different:
 *
 * - a key that is valid UTF-8 and starts with neither `base64:` nor a byte order mark (which many
 *   readers strip) lands as its text;
 * - any other key lands as `base64:` followed by the standard base64 of its bytes.
 *
 * The mapping is injective (a text key that starts with `base64:` is itself written as base64), so
 * `decodeKafkaKey` gives back the exact bytes of every landed key.
 */
import { isAscii } from 'node:buffer';

export const BINARY_KEY_PREFIX = 'base64:';

/** Decodes UTF-8 strictly: invalid bytes are an error, a leading BOM is kept as U+FEFF. */
const exactUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
/** Decodes a JSON value strictly; a leading BOM is not part of the JSON text (RFC 8259 §8.1). */
const valueUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The `_key` text of a key's bytes. */
export function encodeKafkaKey(bytes: Uint8Array): string {
  let text: string | undefined;
  try {
    text = exactUtf8.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text !== undefined && !text.startsWith(BINARY_KEY_PREFIX) && text.charCodeAt(0) !== 0xfeff) return text;
  return BINARY_KEY_PREFIX + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * The `_key` text of a key whose bytes are all ASCII, given their text: the same result as
 * `encodeKafkaKey(bytes)` (ASCII is valid UTF-8 and has no byte order mark), without decoding again.
 */
export function encodeAsciiKafkaKey(text: string, bytes: Uint8Array): string {
  return text.startsWith(BINARY_KEY_PREFIX) ? BINARY_KEY_PREFIX + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') : text;
}

/**
 * The text of a whole buffer when every byte is ASCII, else undefined. Then each record's text is a
 * slice at its byte offsets (one byte, one character), and decoding it again per record is not needed.
 */
export function asciiText(bytes: Uint8Array): string | undefined {
  return isAscii(bytes) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : undefined;
}

/** The exact bytes of a landed `_key` (for readers and tests). */
export function decodeKafkaKey(text: string): Buffer {
  return text.startsWith(BINARY_KEY_PREFIX) ? Buffer.from(text.slice(BINARY_KEY_PREFIX.length), 'base64') : Buffer.from(text, 'utf8');
}

/** A value's text, or undefined when its bytes are not valid UTF-8. */
export function decodeKafkaValue(bytes: Uint8Array): string | undefined {
  try {
    return valueUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** How a value that is not text is kept in quarantine: its exact bytes. */
export function binaryRecord(bytes: Uint8Array): { base64: string } {
  return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
}
