import { describe, expect, it } from 'vitest';
import { NmeaError, SUPPORTED_NMEA_SENTENCES, decodeNmea0183, parseNmea0183 } from '../src/index.js';
import { REAL_WORLD_SENTENCES, expectNmeaError, nmea } from './helpers.js';

describe('NMEA 0183 framing and checksum', () => {
  it.each([
    ['RMC', 'GP', REAL_WORLD_SENTENCES.rmcMunich],
    ['RMC', 'GP', REAL_WORLD_SENTENCES.rmcVancouver],
    ['RMC', 'GP', REAL_WORLD_SENTENCES.rmcMelbourne],
    ['RMC', 'GP', REAL_WORLD_SENTENCES.rmcUblox],
    ['GGA', 'GP', REAL_WORLD_SENTENCES.ggaMunich],
    ['GGA', 'GP', REAL_WORLD_SENTENCES.ggaDublin],
    ['VTG', 'GP', REAL_WORLD_SENTENCES.vtg],
    ['HDT', 'GP', REAL_WORLD_SENTENCES.hdt],
    ['ZDA', 'GP', REAL_WORLD_SENTENCES.zda],
    ['RPM', 'II', REAL_WORLD_SENTENCES.rpm],
  ])('accepts the real-world %s sentence %# with its published checksum', (type, talker, sentence) => {
    const decoded = decodeNmea0183(sentence);
    expect(decoded.sentenceType).toBe(type);
    expect(decoded.talker).toBe(talker);
    expect(decoded.points.length).toBeGreaterThan(0);
  });

  it('computes the same checksums as the published ones (the test helper is right)', () => {
    for (const sentence of Object.values(REAL_WORLD_SENTENCES)) {
      const start = sentence[0] as '$' | '!';
      expect(nmea(sentence.slice(1, sentence.indexOf('*')), start)).toBe(sentence);
    }
  });

  it('accepts a lower-case hex checksum', () => {
    const upper = REAL_WORLD_SENTENCES.rmcMunich; // ends *6A
    const lower = upper.replace(/\*6A$/, '*6a');
    expect(lower).not.toBe(upper);
    expect(parseNmea0183(lower)).toEqual(parseNmea0183(upper));
  });

  it.each([
    ['CR LF', '\r\n'],
    ['LF', '\n'],
    ['CR', '\r'],
    ['nothing', ''],
  ])('accepts a sentence ending in %s', (_name, ending) => {
    expect(parseNmea0183(REAL_WORLD_SENTENCES.hdt + ending)).toEqual(parseNmea0183(REAL_WORLD_SENTENCES.hdt));
  });

  it.each([
    ['a wrong checksum', '$GPHDT,123.456,T*33', 'mismatch'],
    ['a checksum of another sentence', '$GPHDT,123.456,T*6A', 'mismatch'],
    ['a changed field under the original checksum', '$GPHDT,123.457,T*32', 'mismatch'],
    ['no checksum at all', '$GPHDT,123.456,T', 'missing checksum'],
    ['a "*" with nothing after it', '$GPHDT,123.456,T*', 'two hex digits'],
    ['one hex digit', '$GPHDT,123.456,T*3', 'two hex digits'],
    ['three hex digits', '$GPHDT,123.456,T*321', 'two hex digits'],
    ['non-hex digits', '$GPHDT,123.456,T*3Z', 'two hex digits'],
    ['a space after the checksum', '$GPHDT,123.456,T*32 ', 'two hex digits'],
  ])('rejects %s with reason "checksum"', (_name, sentence, detail) => {
    const error = expectNmeaError(() => parseNmea0183(sentence), 'checksum', detail);
    expect(error.message).toContain('checksum');
  });

  it.each([
    ['an empty string', ''],
    ['CR LF alone', '\r\n'],
    ['LF alone', '\n'],
    ['blanks', '   '],
  ])('reports %s as an empty line', (_name, line) => {
    expectNmeaError(() => parseNmea0183(line), 'empty');
  });

  it.each([
    ['no start character', 'GPHDT,123.456,T*32'],
    ['a leading blank', ' $GPHDT,123.456,T*32'],
    ['an NMEA 4 tag block in front', '\\s:airmar dst800,c:1438489697*13\\$SDDBT,17.0,f,5.1,M,2.8,F*3E'],
    ['a non-ASCII character', nmea('GPHDT,123.4°,T')],
    ['a control character', nmea('GPHDT,123.4\t,T')],
    ['two sentences run together', nmea('GPHDT,123.4,T$GPHDT,124.0,T')],
    ['a lower-case address', nmea('gphdt,123.456,T')],
    ['a four-character address', nmea('GHDT,123.456,T')],
    ['an address with digits', nmea('G1HDT,123.456,T')],
    ['an empty address', nmea(',123.456,T')],
  ])('rejects a sentence with %s as malformed', (_name, sentence) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed');
  });

  it.each([
    ['AIS (verbatim !AIVDM)', REAL_WORLD_SENTENCES.aivdm, 'AIS'],
    ['own-ship AIS (!AIVDO)', nmea('AIVDO,1,1,,,B5NLCa000>fdwc63f?aBKwPUoP06,0', '!'), 'AIS'],
    ['a proprietary sentence', nmea('PGRME,15.0,M,45.0,M,25.0,M'), 'proprietary'],
    ['satellites in view (verbatim GSV)', REAL_WORLD_SENTENCES.gsv, 'GSV'],
    ['GLL', nmea('GPGLL,4916.45,N,12311.12,W,225444,A'), 'GLL'],
    ['depth (DBT)', nmea('SDDBT,17.0,f,5.1,M,2.8,F'), 'DBT'],
    ['a query', nmea('CCGPQ,GGA'), 'GPQ'],
  ])('rejects %s as unsupported, naming it', (_name, sentence, named) => {
    expectNmeaError(() => parseNmea0183(sentence), 'unsupported', named);
  });

  it('checks the checksum before saying a sentence type is unsupported', () => {
    expectNmeaError(() => parseNmea0183('!AIVDM,1,1,,B,177KQJ5000G?tO`K>RA1wUbN0TKH,0*5D'), 'checksum');
  });

  it('lists the supported sentence types', () => {
    expect([...SUPPORTED_NMEA_SENTENCES].sort()).toEqual(['GGA', 'HDT', 'RMC', 'RPM', 'VTG', 'XDR', 'ZDA']);
  });

  it('rejects a value that is not a string with an NmeaError, not a TypeError', () => {
    expectNmeaError(() => parseNmea0183(42 as unknown as string), 'malformed');
    expectNmeaError(() => parseNmea0183(undefined as unknown as string), 'malformed');
  });

  describe('truncated sentences never crash with anything but an NmeaError', () => {
    const sentences = [
      ...Object.values(REAL_WORLD_SENTENCES),
      nmea('IIXDR,C,19.5,C,AIRTEMP,P,1.0132,B,BARO,A,-2.5,D,ROLL,T,1200,R,ENGINE#1'),
    ];

    it.each(sentences)('every prefix of %s, as cut off in transit', (sentence) => {
      for (let length = 0; length < sentence.length; length += 1) {
        const prefix = sentence.slice(0, length);
        expect(() => parseNmea0183(prefix), prefix).toThrow(NmeaError);
      }
    });

    it.each(sentences)('every prefix of %s, re-checksummed so the fields are parsed', (sentence) => {
      const body = sentence.slice(1, sentence.indexOf('*'));
      for (let length = 0; length <= body.length; length += 1) {
        const cut = nmea(body.slice(0, length), sentence[0] as '$' | '!');
        try {
          parseNmea0183(cut);
        } catch (error) {
          expect(error, cut).toBeInstanceOf(NmeaError);
        }
      }
    });
  });

  it.each([
    ['RMC', nmea('GPRMC,123519,A,4807.038'), 'RMC is truncated'],
    ['GGA', nmea('GPGGA,123519,4807.038,N,01131.000,E'), 'GGA is truncated'],
    ['VTG', nmea('GPVTG,054.7,T,034.4,M,005.5,N,010.2'), 'VTG is truncated'],
    ['HDT', nmea('GPHDT,123.456'), 'HDT is truncated'],
    ['RPM', nmea('IIRPM,E,1,2418.2,10.5'), 'RPM is truncated'],
    ['ZDA', nmea('GPZDA,201530.00,04,07'), 'ZDA is truncated'],
  ])('rejects a %s with too few fields (but a valid checksum) as malformed', (_type, sentence, message) => {
    expectNmeaError(() => parseNmea0183(sentence), 'malformed', message);
  });
});
