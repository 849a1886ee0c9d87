/**
 * The fault spec: inline and file spellings, every option, defaults, and errors that name the key.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, FaultSpecError, buildSpec, formatFaultSpec, loadFaultSpec, parseInlineFaultSpec } from '../src/sandbox/faults/index.js';
import { matchesFilters } from '../src/sandbox/faults/schedule.js';

describe('inline specs', () => {
  const cases: [string, { given: string; want: Record<string, unknown> }][] = [
    ['one rate', { given: 'lost=0.05', want: { rates: expect.objectContaining({ lost: 0.05, timeout: 0 }) } }],
    ['storm with length and Retry-After', { given: 'storm=0.01:5:retry-after=1', want: { stormLength: 5, stormRetryAfterSeconds: 1 } }],
    ['storm with defaults', { given: 'storm=0.01', want: { stormLength: 5, stormRetryAfterSeconds: undefined } }],
    ['storm by name', { given: 'storm=0.01:length=3', want: { stormLength: 3 } }],
    ['slow at a rate', { given: 'slow=0.1:250', want: { slowBytesPerSecond: 250 } }],
    ['slow by default 1 byte/s', { given: 'slow=0.1', want: { slowBytesPerSecond: 1 } }],
    ['timeout processed', { given: 'timeout=0.1:processed', want: { timeoutProcessed: true } }],
    ['html500 status and processed', { given: 'html500=0.1:503:processed', want: { html500Status: 503, html500Processed: true } }],
    ['wrong-type mode', { given: 'wrong-type=0.1:html-as-json', want: { wrongTypeMode: 'html-as-json' } }],
    ['filters and seed', { given: 'lost=0.1,method=post|put,path=/api/*|*/orders,seed=9', want: { methods: ['POST', 'PUT'], paths: ['/api/*', '*/orders'], seed: 9 } }],
    ['rates adding up to exactly 1', { given: 'lost=0.5,reset-before=0.5', want: { rates: expect.objectContaining({ lost: 0.5, 'reset-before': 0.5 }) } }],
    ['spaces around entries', { given: ' lost = 0.1 , timeout = 0.2 ', want: { rates: expect.objectContaining({ lost: 0.1, timeout: 0.2 }) } }],
  ];
  it.each(cases)('%s', (_name, { given, want }) => {
    expect(parseInlineFaultSpec(given, '--faults')).toMatchObject(want);
  });

  const bad: [string, string, RegExp][] = [
    ['unknown kind', 'los=0.1', /^--faults: los: unknown key/],
    ['no =', 'lost', /^--faults: lost: expected key=value/],
    ['negative rate', 'lost=-0.1', /^--faults: lost: expected a rate from 0 to 1/],
    ['rate above 1', 'lost=2', /^--faults: lost: expected a rate/],
    ['sum above 1', 'lost=0.5,timeout=0.6', /^--faults: \(rates\): the rates add up to 1.1/],
    ['fractional length', 'storm=0.1:2.5', /^--faults: storm:length: expected a whole number/],
    ['negative retry-after', 'storm=0.1:2:retry-after=-1', /^--faults: storm:retry-after: expected a whole number from 0/],
    ['bytes per second 0', 'slow=0.1:0', /^--faults: slow:bytesPerSecond: expected a whole number from 1/],
    ['status below 500', 'html500=0.1:499', /^--faults: html500:status:/],
    ['unknown option', 'timeout=0.1:later', /^--faults: timeout:later: unexpected option \(timeout takes: rate, processed\)/],
    ['option with = unknown', 'slow=0.1:speed=3', /^--faults: slow:speed: unknown option \(slow takes: rate, bytes-per-second\)/],
    ['bad seed', 'lost=0.1,seed=x', /^--faults: seed: expected a whole number/],
    ['empty', ',', /no fault given/],
  ];
  it.each(bad)('%s → an error naming the key', (_name, given, message) => {
    const error = (() => {
      try {
        parseInlineFaultSpec(given, '--faults');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(FaultSpecError);
    expect((error as FaultSpecError).code).toBe('RECON_FAULT_SPEC');
    expect((error as FaultSpecError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('formats back to an inline spec that parses to the same thing', () => {
    const spec = parseInlineFaultSpec('reset-before=0.01,lost=0.02,timeout=0.03:processed,slow=0.04:9,truncate=0.05,html500=0.06:502,storm=0.07:3:retry-after=2,wrong-type=0.08:json-as-html,method=POST,path=/a/*', 'x');
    expect(parseInlineFaultSpec(formatFaultSpec(spec), 'x')).toEqual(spec);
    expect(formatFaultSpec(parseInlineFaultSpec('lost=0', 'x'))).toBe('none');
  });
});

describe('file specs', () => {
  it('reads the documented example in fixtures/faults', () => {
    const spec = loadFaultSpec(join(import.meta.dirname, '..', 'fixtures', 'faults', 'go-live.yaml'), { flag: '--faults' });
    expect(spec).toMatchObject({ seed: 7, paths: ['/api/*'], timeoutProcessed: true, html500Status: 502, stormLength: 5, stormRetryAfterSeconds: 2, wrongTypeMode: 'both' });
    expect(FAULT_KINDS.every((kind) => spec.rates[kind] > 0)).toBe(true);
  });

  it('names the key path in file errors', () => {
    expect(() => buildSpec({ faults: { storm: { rate: 0.1, retryAfter: 'soon' } } }, 'f.yaml')).toThrow(/^f\.yaml: faults\.storm\.retryAfter: expected a whole number/);
    expect(() => buildSpec({ faults: { lost: 0.1 }, extra: 1 }, 'f.yaml')).toThrow(/^f\.yaml: extra: unknown key/);
    expect(() => buildSpec({ faults: [] }, 'f.yaml')).toThrow(/^f\.yaml: faults: expected a mapping/);
    expect(() => buildSpec('lost', 'f.yaml')).toThrow(/^f\.yaml: \(top level\)/);
    expect(() => buildSpec({ faults: { timeout: { rate: 0.1, processed: 'yes' } } }, 'f.yaml')).toThrow(/faults\.timeout\.processed: expected true or false/);
    expect(() => buildSpec({ method: [1] }, 'f.yaml')).toThrow(/^f\.yaml: method: expected a string or a list of strings/);
  });
});

describe('filters', () => {
  const spec = parseInlineFaultSpec('lost=1,method=POST,path=/api/v1/invoices|*/orders/*', 'x');
  const cases: [string, string, boolean][] = [
    ['POST', '/api/v1/invoices', true],
    ['post', '/api/v1/invoices', true],
    ['GET', '/api/v1/invoices', false],
    ['POST', '/api/v1/invoices/7', false],
    ['POST', '/x/orders/1', true],
    ['POST', '/x/orders', false],
  ];
  it.each(cases)('%s %s → %s', (method, path, want) => {
    expect(matchesFilters(spec, method, path)).toBe(want);
  });
});
