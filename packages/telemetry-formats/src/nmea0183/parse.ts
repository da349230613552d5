import type { TelemetryPoint } from '../types.js';
import { NmeaError } from './errors.js';
import { frameSentence } from './frame.js';
import {
  type SentenceDecoder,
  decodeGga,
  decodeHdt,
  decodeRmc,
  decodeRpm,
  decodeVtg,
  decodeZda,
} from './sentences.js';
import { decodeXdr } from './xdr.js';

const DECODERS: ReadonlyMap<string, SentenceDecoder> = new Map([
  ['RMC', decodeRmc],
  ['GGA', decodeGga],
  ['VTG', decodeVtg],
  ['HDT', decodeHdt],
  ['RPM', decodeRpm],
  ['XDR', decodeXdr],
  ['ZDA', decodeZda],
]);

/** The sentence types `parseNmea0183` converts; any talker is accepted (GP, GN, HE, II, …). */
export const SUPPORTED_NMEA_SENTENCES: readonly string[] = [...DECODERS.keys()];

export interface DecodedNmeaSentence {
  talker: string;
  sentenceType: string;
  points: TelemetryPoint[];
  /**
   * `hh:mm:ss.sss` UTC for sentences that carry a time of day but no date (GGA), whose points are
   * therefore not stamped; `timestampFromTimeOfDay` pairs it with a reference time.
   */
  timeOfDay?: string;
}

/**
 * Decodes one NMEA 0183 sentence (a trailing CR/LF is allowed) into Signal K points in SI units,
 * with the talker, sentence type and, for GGA, the time of day. Throws `NmeaError` with a `reason`
 * for anything it does not turn into points; never any other error for any string input.
 */
export function decodeNmea0183(sentence: string): DecodedNmeaSentence {
  if (typeof sentence !== 'string') {
    // The signature says string, but the caller's data came off the wire.
    throw new NmeaError('malformed', `a sentence is a string, got ${typeof sentence}`);
  }
  const { talker, sentenceType, fields } = frameSentence(sentence);
  const decode = DECODERS.get(sentenceType);
  if (decode === undefined) {
    throw new NmeaError(
      'unsupported',
      `${talker}${sentenceType}: sentence type ${sentenceType} is not supported (supported: ${SUPPORTED_NMEA_SENTENCES.join(', ')})`,
    );
  }
  return { talker, sentenceType, ...decode(fields) };
}

/** The Signal K points of one NMEA 0183 sentence; see `decodeNmea0183`. */
export function parseNmea0183(sentence: string): TelemetryPoint[] {
  return decodeNmea0183(sentence).points;
}
