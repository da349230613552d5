/**
 * Why a sentence was refused, as a stable code the ingestion API can report and count by:
 * - `empty`: a blank line (callers reading a stream usually skip these rather than report them);
 * - `checksum`: missing, badly written or not matching;
 * - `unsupported`: a well-formed sentence of a type (or XDR transducer) this package does not convert,
 *   including encapsulated AIS (`!AIVDM`) and proprietary (`$P…`) sentences;
 * - `malformed`: wrong framing, too few fields, or a field that is not what the sentence defines;
 * - `void-fix`: the receiver itself says the position fix is not valid (RMC status V, GGA quality 0,
 *   mode indicator N);
 * - `void-data`: the instrument itself says the reading is not valid (RPM status V).
 */
export type NmeaErrorReason = 'empty' | 'checksum' | 'unsupported' | 'malformed' | 'void-fix' | 'void-data';

export class NmeaError extends Error {
  override readonly name = 'NmeaError';

  constructor(
    readonly reason: NmeaErrorReason,
    message: string,
  ) {
    super(message);
  }
}
