/**
 * Input the CII formulas cannot use. `field` names the offending input (a dotted path such as
 * `fuelTonnes.HFO`), so the API can answer 400 pointing at it.
 */
export class CiiInputError extends Error {
  override readonly name = 'CiiInputError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
