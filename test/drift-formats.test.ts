import { describe, expect, it } from 'vitest';
import { checkFormat, formatValidator, recogniseFormat } from '../src/drift/formats.js';

describe('checkFormat', () => {
  const table: [string, { given: [format: string, value: unknown]; want: boolean | undefined }][] = [
    // RFC 3339 §5.6, strictly: a T between date and time, and a required offset with minutes.
    ['date-time with Z', { given: ['date-time', '2024-01-05T10:00:00Z'], want: true }],
    ['date-time with lower-case t and z', { given: ['date-time', '2024-01-05t10:00:00z'], want: true }],
    ['date-time with fraction and offset', { given: ['date-time', '2024-01-05T10:00:00.123+01:00'], want: true }],
    ['date-time with a space', { given: ['date-time', '2024-01-05 10:00:00'], want: false }],
    ['date-time without offset', { given: ['date-time', '2024-01-05T10:00:00'], want: false }],
    ['date-time with offset without colon', { given: ['date-time', '2024-01-05T10:00:00+0100'], want: false }],
    ['date-time with hour-only offset', { given: ['date-time', '2024-01-05T10:00:00+01'], want: false }],
    ['date-time on 30 February', { given: ['date-time', '2024-02-30T10:00:00Z'], want: false }],
    ['date-time at hour 24', { given: ['date-time', '2024-01-05T24:00:00Z'], want: false }],
    ['date-time on a number', { given: ['date-time', 1704448800000], want: undefined }],
    ['date', { given: ['date', '2024-02-29'], want: true }],
    ['date not in a leap year', { given: ['date', '2023-02-29'], want: false }],
    ['date as dd.MM.yyyy', { given: ['date', '05.01.2024'], want: false }],
    ['time (ajv-formats full)', { given: ['time', '10:00:00Z'], want: true }],
    ['email', { given: ['email', 'ola@example.no'], want: true }],
    ['email list', { given: ['email', 'a@example.no;b@example.no'], want: false }],
    ['uuid', { given: ['uuid', '6f1c1e0a-3c1b-4f7e-9a57-6b0f0e0d7c11'], want: true }],
    ['uri', { given: ['uri', 'https://tripletex.no/v2/employee/1'], want: true }],
    ['uri without scheme', { given: ['uri', 'tripletex.no/v2/employee/1'], want: false }],
    ['int32 in range', { given: ['int32', 2 ** 31 - 1], want: true }],
    ['int32 out of range', { given: ['int32', 2 ** 31], want: false }],
    ['int32 with a fraction', { given: ['int32', 1.5], want: false }],
    ['int32 on a string', { given: ['int32', '12'], want: undefined }],
    ['int64 beyond 2^63', { given: ['int64', 1e300], want: false }],
    ['float beyond float range', { given: ['float', 1e39], want: false }],
    ['double', { given: ['double', 1e300], want: true }],
    ['byte (base64)', { given: ['byte', 'aGVsbG8='], want: true }],
    ['byte with an empty line', { given: ['byte', 'aGVs\n\nbG8='], want: false }],
    ['binary accepts any string', { given: ['binary', '\u0000\u0001'], want: true }],
    ['password accepts any string', { given: ['password', 'x'], want: true }],
    ['ipv4', { given: ['ipv4', '10.0.0.256'], want: false }],
    ['unknown format', { given: ['x-tripletex-id', 'anything'], want: undefined }],
    ['email on a number', { given: ['email', 5], want: undefined }],
    ['__proto__ as a format name', { given: ['__proto__', 'x'], want: undefined }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(checkFormat(...given)).toBe(want);
  });

  it('looks a validator up once', () => {
    expect(formatValidator('uuid')?.('not-a-uuid')).toBe(false);
    expect(formatValidator('nope')).toBeUndefined();
  });

  it('checks byte twice in a row the same way (the ajv-formats pattern has the g flag)', () => {
    expect([checkFormat('byte', 'aGVsbG8='), checkFormat('byte', 'aGVsbG8=')]).toEqual([true, true]);
  });
});

describe('recogniseFormat', () => {
  const table: [string, { given: string | number; want: string | undefined }][] = [
    ['RFC 3339 date-time', { given: '2024-01-05T10:00:00+01:00', want: 'date-time' }],
    ['date-time without offset', { given: '2024-01-05T10:00:00', want: 'date-time (no offset)' }],
    ['date-time without seconds or offset', { given: '2024-01-05T10:00', want: 'date-time (no offset)' }],
    ['SQL-style timestamp', { given: '2024-01-05 10:00:00', want: 'yyyy-MM-dd HH:mm:ss' }],
    ['date', { given: '2024-01-05', want: 'date' }],
    ['Norwegian date', { given: '05.01.2024', want: 'dd.MM.yyyy' }],
    ['impossible dd.MM.yyyy', { given: '32.01.2024', want: undefined }],
    ['slashed, day first', { given: '25/01/2024', want: 'dd/MM/yyyy' }],
    ['slashed, month first', { given: '01/25/2024', want: 'MM/dd/yyyy' }],
    ['slashed, ambiguous', { given: '05/01/2024', want: 'dd/MM/yyyy or MM/dd/yyyy' }],
    ['epoch millis as a number', { given: 1704448800000, want: 'epoch-millis' }],
    ['epoch millis as a string', { given: '1704448800000', want: 'epoch-millis' }],
    ['epoch seconds as a number', { given: 1704448800, want: 'epoch-seconds' }],
    ['epoch seconds as a string', { given: '1704448800', want: 'epoch-seconds' }],
    ['a small id is no timestamp', { given: 12345, want: undefined }],
    ['a fraction is no timestamp', { given: 1704448800.5, want: undefined }],
    ['time', { given: '10:00:00', want: 'time' }],
    ['time with offset', { given: '10:00:00+01:00', want: 'time' }],
    ['email', { given: 'ola@example.no', want: 'email' }],
    ['email list with ;', { given: 'ola@example.no; kari@example.no', want: 'email-list' }],
    ['email list with ,', { given: 'ola@example.no,kari@example.no', want: 'email-list' }],
    ['uuid', { given: '6F1C1E0A-3C1B-4F7E-9A57-6B0F0E0D7C11', want: 'uuid' }],
    ['uri', { given: 'https://tripletex.no/v2/employee/1', want: 'uri' }],
    ['phone, +47 spaced', { given: '+47 22 33 44 55', want: 'phone (+47 spaced)' }],
    ['phone, +46 spaced', { given: '+46 8 123 456', want: undefined }],
    ['phone, 8 digits', { given: '22334455', want: 'phone (8 digits)' }],
    ['phone, E.164', { given: '+4722334455', want: 'phone (E.164)' }],
    ['phone, spaced without country code', { given: '22 33 44 55', want: 'phone (spaced)' }],
    ['numeric string', { given: '12345', want: 'numeric-string' }],
    ['negative numeric string', { given: '-12', want: 'numeric-string' }],
    ['8 digits starting with 1 is a number, not a phone', { given: '12345678', want: 'numeric-string' }],
    ['decimal string', { given: '1234.50', want: 'decimal-string' }],
    ['empty string', { given: '', want: 'empty-string' }],
    ['free text', { given: 'Ola Nordmann', want: undefined }],
    ['long text is never a format', { given: '1'.repeat(1000), want: undefined }],
  ];
  it.each(table)('%s', (_name, { given, want }) => {
    expect(recogniseFormat(given)).toBe(want);
  });
});
