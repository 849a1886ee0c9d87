/**
 * What the document says against what recon concluded, as findings with both values; and the
 * headers recon could not use.
 */
import type { DocumentedLimit, LimitFinding, LimitSource, RateLimitEstimate, RateLimitHeaders } from '../types.js';

/** Rates within this fraction of each other agree (rounding of a measured count). */
const TOLERANCE = 0.05;

export interface FindingsInput {
  estimate: RateLimitEstimate;
  documented?: DocumentedLimit;
  documentedHeaders: string[];
  /** The headers of the first answered call. */
  firstHeaders?: RateLimitHeaders;
}

/**
 * @example
 * limitFindings({ estimate, documented: { limit: 100, windowSeconds: 60, … }, documentedHeaders: [] });
 * // [{ kind: 'limit-disagreement', message: 'the document says 100 requests per 60 s; headers say 60 per 60 s', … }]
 */
export function limitFindings(input: FindingsInput): LimitFinding[] {
  const findings: LimitFinding[] = [];
  const { estimate, documented } = input;
  const limit = estimate.limit;
  if (documented !== undefined && limit !== undefined) {
    const window = estimate.windowSeconds?.value;
    const observedRate = window !== undefined ? limit.value / window : undefined;
    const documentedRate = documented.limit / documented.windowSeconds;
    const differs = observedRate !== undefined ? Math.abs(observedRate - documentedRate) / documentedRate > TOLERANCE : limit.value !== documented.limit;
    if (differs) {
      findings.push({
        kind: 'limit-disagreement',
        severity: 'warning',
        message: `the document says ${documented.limit} requests per ${documented.windowSeconds} s; ${sourceWords(limit.source)} ${limit.value} per ${window ?? '?'} s`,
        documented: { limit: documented.limit, windowSeconds: documented.windowSeconds, text: documented.text, location: documented.location },
        observed: { limit: limit.value, ...(window !== undefined ? { windowSeconds: window } : {}), source: limit.source },
      });
    }
  }
  const headers = input.firstHeaders;
  if (input.documentedHeaders.length > 0 && headers !== undefined && headers.readings.length === 0) {
    findings.push({
      kind: 'documented-headers-missing',
      severity: 'warning',
      message: `the document promises ${input.documentedHeaders.join(', ')}, but the response carried no rate-limit header recon knows`,
      documented: { headers: input.documentedHeaders },
    });
  }
  if (headers !== undefined && headers.problems.length > 0) {
    findings.push({
      kind: 'unparseable-headers',
      severity: 'warning',
      message: `rate-limit headers recon could not use: ${headers.problems.join('; ')}`,
      observed: { problems: headers.problems },
    });
  }
  return findings;
}

export function sourceWords(source: LimitSource): string {
  return source === 'headers' ? 'the headers say' : source === 'measured' ? 'measured' : 'documented';
}
