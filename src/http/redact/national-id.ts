/**
 * Norwegian national identity numbers: fødselsnummer and D-numbers (Folkeregisteret).
 *
 * Eleven digits `DDMMYY III K1 K2`. K1 and K2 are MOD11 check digits over the digits before them
 * with the weights below (Skatteetaten, "Fødselsnummer"); a remainder that would need the check
 * digit 10 makes the number invalid. D-numbers add 4 to the first digit (day 41–71). Month +40
 * (H-numbers) and +80 (synthetic Tenor test persons) are accepted too: they identify persons in
 * the same way and a sandbox is full of the synthetic ones.
 */

const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** True when `digits` (exactly 11 ASCII digits) is a valid fødselsnummer or D-number. */
export function isNationalId(digits: string): boolean {
  if (digits.length !== 11) return false;
  const d: number[] = [];
  for (let i = 0; i < 11; i++) {
    const code = digits.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return false;
    d.push(code);
  }
  const day = d[0]! * 10 + d[1]!;
  const month = d[2]! * 10 + d[3]!;
  if (!validDay(day) || !validMonth(month)) return false;
  return checkDigit(d, K1_WEIGHTS) === d[9] && checkDigit(d, K2_WEIGHTS) === d[10];
}

function validDay(day: number): boolean {
  return (day >= 1 && day <= 31) || (day >= 41 && day <= 71);
}

function validMonth(month: number): boolean {
  return (month >= 1 && month <= 12) || (month >= 41 && month <= 52) || (month >= 81 && month <= 92);
}

/** MOD11 check digit; -1 when the remainder leaves no valid digit. */
function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digits[i]! * weights[i]!;
  const check = 11 - (sum % 11);
  if (check === 11) return 0;
  return check === 10 ? -1 : check;
}
