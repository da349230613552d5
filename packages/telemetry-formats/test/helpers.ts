import { expect } from 'vitest';
import {
  NmeaError,
  type NmeaErrorReason,
  SignalKDeltaError,
  type SignalKDeltaErrorReason,
} from '../src/index.js';

/**
 * A sentence with its checksum computed here, independently of the code under test: XOR of every
 * character between the start character and `*`, as two upper-case hex digits.
 */
export function nmea(body: string, start: '$' | '!' = '$'): string {
  let checksum = 0;
  for (const character of body) checksum ^= character.charCodeAt(0);
  return `${start}${body}*${checksum.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Runs `action`, expecting an NmeaError with `reason` (and optionally text in its message). */
export function expectNmeaError(
  action: () => unknown,
  reason: NmeaErrorReason,
  messagePart?: string,
): NmeaError {
  const error = caught(action);
  expect(error, `expected NmeaError(${reason}), got ${String(error)}`).toBeInstanceOf(NmeaError);
  const nmeaError = error as NmeaError;
  expect(nmeaError.reason, nmeaError.message).toBe(reason);
  if (messagePart !== undefined) expect(nmeaError.message).toContain(messagePart);
  return nmeaError;
}

export function expectDeltaError(
  action: () => unknown,
  reason: SignalKDeltaErrorReason,
  pointer?: string,
): SignalKDeltaError {
  const error = caught(action);
  expect(error, `expected SignalKDeltaError(${reason}), got ${String(error)}`).toBeInstanceOf(
    SignalKDeltaError,
  );
  const deltaError = error as SignalKDeltaError;
  expect(deltaError.reason, deltaError.message).toBe(reason);
  if (pointer !== undefined) expect(deltaError.pointer).toBe(pointer);
  return deltaError;
}

function caught(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but none was thrown');
}

/**
 * Verbatim sentences with the checksums they were published with: the RMC, GGA and VTG examples of
 * gpsinformation.org's NMEA page, a u-blox receiver log, the ZDA example of gpsd/minmea, the HDT and
 * RPM sentences of `@signalk/nmea0183-signalk`'s own tests, and gpsd's AIVDM example.
 */
export const REAL_WORLD_SENTENCES = {
  rmcMunich: '$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A',
  rmcVancouver: '$GPRMC,225446,A,4916.45,N,12311.12,W,000.5,054.7,191194,020.3,E*68',
  rmcMelbourne: '$GPRMC,081836,A,3751.65,S,14507.36,E,000.0,360.0,130998,011.3,E*62',
  rmcUblox: '$GPRMC,072626.36,A,0036.27143,N,00042.93547,E,1.402,235.8,141215,,*34',
  ggaMunich: '$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47',
  ggaDublin: '$GPGGA,092750.000,5321.6802,N,00630.3372,W,1,8,1.03,61.7,M,55.2,M,,*76',
  vtg: '$GPVTG,054.7,T,034.4,M,005.5,N,010.2,K*48',
  hdt: '$GPHDT,123.456,T*32',
  zda: '$GPZDA,201530.00,04,07,2002,00,00*60',
  rpm: '$IIRPM,E,1,2418.2,10.5,A*5F',
  aivdm: '!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5C',
  gsv: '$GPGSV,4,4,15,08,47,047,22,23,29,145,21,24,80,177,18*4A',
} as const;
