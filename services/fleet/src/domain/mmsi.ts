/**
 * Maritime Mobile Service Identity of a ship station: nine digits whose first digit, for ships, is
 * 2–7 (the Maritime Identification Digits of its flag's region). Coast stations (00…), group calls
 * (0…), SAR aircraft (111…), AIS aids (99…) and craft associated with a parent ship (98…) are not
 * vessels of the fleet.
 */
export function isValidShipMmsi(mmsi: string): boolean {
  return /^[2-7][0-9]{8}$/.test(mmsi);
}
