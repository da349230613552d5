/**
 * IMO ship identification numbers: seven digits, the last a check digit. Multiply the first six by
 * 7, 6, 5, 4, 3, 2; the last digit of the sum is the check digit (IMO Resolution A.1117(30)).
 * 9074729: 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139, check digit 9.
 */
export function isValidImo(imo: string): boolean {
  if (!/^[0-9]{7}$/.test(imo)) return false;
  const digits = [...imo].map(Number);
  const sum = digits.slice(0, 6).reduce((total, digit, index) => total + digit * (7 - index), 0);
  return sum % 10 === digits[6];
}
