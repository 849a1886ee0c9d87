/**
 * Norwegian formats the generated records use: organisation numbers, KID payment
 * references, phone numbers and dates.
 */
import type { Random } from '../prng.js';

/**
 * A valid organisation number (Enhetsregisteret): 9 digits, first digit 8 or 9, the last a
 * MOD11 check digit over weights 3 2 7 6 5 4 3 2. A remainder of 10 has no valid check digit,
 * so those candidates are drawn again.
 */
export function organizationNumber(random: Random): string {
  const weights = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const digits = [random.pick([8, 9]), ...Array.from({ length: 7 }, () => random.int(0, 9))];
    const sum = digits.reduce((acc, digit, i) => acc + digit * (weights[i] ?? 0), 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return [...digits, check === 11 ? 0 : check].join('');
  }
}

/** KID (customer identification for giro payments) with a MOD10 (Luhn) check digit. */
export function kidNumber(base: string): string {
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    let digit = Number(base[base.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return `${base}${(10 - (sum % 10)) % 10}`;
}

/**
 * A Norwegian phone number in one of the three spellings found in real ERP data
 * ("+47 22 33 44 55", "22334455", "+4722334455"): the mixed-formats finding.
 */
export function phoneNumber(random: Random, firstDigits: string): string {
  const rest = Array.from({ length: 8 - firstDigits.length }, () => random.int(0, 9)).join('');
  const digits = `${firstDigits}${rest}`;
  switch (random.int(0, 2)) {
    case 0:
      return `+47 ${digits.replace(/(\d{2})(?=\d)/g, '$1 ')}`;
    case 1:
      return digits;
    default:
      return `+47${digits}`;
  }
}

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (RFC 3339 full-date) `days` after `startIso`. */
export function addDays(startIso: string, days: number): string {
  return new Date(Date.parse(`${startIso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** RFC 3339 date-time without milliseconds. */
export function dateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** `2024-03-07` → `07.03.2024`, the way Norwegian ERP front-ends print dates. */
export function norwegianDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}.${month}.${year}`;
}

/** A host-name-safe slug: "Fjord Bygg AS" → "fjordbygg". */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/\bas\b/g, '')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .replace(/[^a-z0-9]/g, '');
}

export function roundKroner(amount: number): number {
  return Math.round(amount * 100) / 100;
}
