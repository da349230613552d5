import { NmeaError } from './errors.js';

/** A sentence whose framing and checksum are valid, split into its address and data fields. */
export interface NmeaFrame {
  /** Two letters naming the sending instrument class, e.g. `GP` (GPS), `HE` (gyro), `II` (integrated). */
  talker: string;
  /** Three letters, e.g. `RMC`. */
  sentenceType: string;
  /** The data fields after the address, still as text; an empty string is a null field. */
  fields: string[];
}

const TRAILING_LINE_BREAK = /[\r\n]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const CHECKSUM_DIGITS = /^[0-9A-Fa-f]{2}$/;
const ADDRESS = /^([A-Z]{2})([A-Z]{3})$/;

/**
 * Checks a sentence's framing and checksum and splits it. The checksum is the XOR of every character
 * strictly between the `$`/`!` and the `*`, written as two hex digits (either case is accepted). A
 * sentence without a checksum is refused: it is optional in the standard for a few sentence types only,
 * shipboard feeds send one, and over a satellite link it is the only evidence the line arrived intact.
 */
export function frameSentence(line: string): NmeaFrame {
  const sentence = line.replace(TRAILING_LINE_BREAK, '');
  if (sentence.trim() === '') {
    throw new NmeaError('empty', 'empty line');
  }
  const start = sentence[0];
  if (start !== '$' && start !== '!') {
    throw new NmeaError('malformed', `a sentence starts with "$" or "!", got ${quote(sentence)}`);
  }
  if (!PRINTABLE_ASCII.test(sentence)) {
    throw new NmeaError(
      'malformed',
      `sentence contains characters outside printable ASCII: ${quote(sentence)}`,
    );
  }

  const star = sentence.indexOf('*');
  if (star === -1) {
    throw new NmeaError('checksum', `missing checksum (no "*hh" at the end; truncated?): ${quote(sentence)}`);
  }
  const written = sentence.slice(star + 1);
  if (!CHECKSUM_DIGITS.test(written)) {
    throw new NmeaError('checksum', `checksum must be two hex digits after "*", got ${quote(written)}`);
  }
  const body = sentence.slice(1, star);
  const computed = xorChecksum(body);
  if (Number.parseInt(written, 16) !== computed) {
    throw new NmeaError(
      'checksum',
      `checksum mismatch: sentence says ${written.toUpperCase()}, content gives ${hex(computed)}`,
    );
  }
  if (/[$!]/.test(body)) {
    // Two sentences run together on one line (a lost line break) can still carry a valid final checksum.
    throw new NmeaError('malformed', `"$" or "!" inside the sentence: ${quote(sentence)}`);
  }

  const [address = '', ...fields] = body.split(',');
  if (start === '!') {
    throw new NmeaError(
      'unsupported',
      `${address}: encapsulated sentences (AIS VDM/VDO) are not supported: they describe other vessels, not this one's telemetry`,
    );
  }
  if (address.startsWith('P')) {
    throw new NmeaError('unsupported', `${address}: proprietary sentences are not supported`);
  }
  const match = ADDRESS.exec(address);
  if (match === null) {
    throw new NmeaError(
      'malformed',
      `address must be a two-letter talker and a three-letter sentence type, got ${quote(address)}`,
    );
  }
  const [, talker = '', sentenceType = ''] = match;
  return { talker, sentenceType, fields };
}

/** XOR of the character codes of `body` (the text between `$`/`!` and `*`). */
export function xorChecksum(body: string): number {
  let checksum = 0;
  for (let index = 0; index < body.length; index += 1) {
    checksum ^= body.charCodeAt(index);
  }
  return checksum;
}

function hex(checksum: number): string {
  return checksum.toString(16).toUpperCase().padStart(2, '0');
}

/** Quotes untrusted text for an error message, cut short so a huge line cannot flood a log. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 97)}...` : text);
}
