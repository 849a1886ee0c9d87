/**
 * The data profile (`recon drift --profile`): what the vendor's data actually looks like, per
 * operation, status and property, and the facts about it an integrator trips over (shared keys,
 * mixed formats, numbers as strings, "" for null). Fed one checked exchange at a time, in
 * recording order; memory stays bounded by DATA_PROFILE_DEFAULTS whatever the recording's size.
 */
import { recogniseFormat } from '../formats.js';
import type { CheckedExchange, Finding, OperationRef } from '../types.js';
import { propertyFindings } from './findings.js';
import { entityFamily, KeyUniqueness } from './key-uniqueness.js';
import { PropertyStats, type DistinctBudget, type EvidenceLimits } from './property-stats.js';
import { DATA_PROFILE_DEFAULTS, type DataProfileCuts, type DataProfileOptions, type DataProfileResult, type PropertyProfile, type Sighting } from './types.js';
import { walkJson } from './walk.js';

interface ResponseStats {
  operation: OperationRef;
  status: string;
  contentType: string | undefined;
  /** Entity family for key uniqueness (`/customers/{id}` → `customers`). */
  family: string;
  samples: number;
  pointers: Map<string, PropertyStats>;
}

/**
 * @example
 * const profiler = new DataProfiler();
 * for (const x of checkedExchanges) profiler.add(x);
 * const { properties, findings } = profiler.result();
 */
export class DataProfiler {
  private readonly limits: DataProfileOptions;
  private readonly evidence: EvidenceLimits;
  private readonly responses = new Map<string, ResponseStats>();
  private readonly keys: KeyUniqueness;
  private readonly budget: DistinctBudget;
  private readonly cuts: DataProfileCuts = { depthCut: 0, itemsCut: 0, pointersCut: 0, distinctCapped: false };
  private seq = 0;

  constructor(options: Partial<DataProfileOptions> = {}) {
    this.limits = { ...DATA_PROFILE_DEFAULTS, ...options };
    this.evidence = {
      examples: this.limits.examples,
      exampleLength: this.limits.exampleLength,
      exchanges: this.limits.exchanges,
      maxDistinct: this.limits.maxDistinctPerProperty,
    };
    this.budget = { remaining: this.limits.maxDistinctTotal };
    this.keys = new KeyUniqueness(this.limits);
  }

  /** Profile one exchange; one without a parsed JSON body counts nowhere. */
  add(x: CheckedExchange): void {
    if (x.body === undefined) return;
    const exchange = this.seq++;
    const response = this.responseFor(x);
    response.samples++;
    const ref = x.exchange.ref;
    const family = response.family;
    // One sighting per exchange, its pointer set where a property is first met: KeyUniqueness
    // copies what it keeps.
    const where: Sighting = { operation: response.operation, status: response.status, pointer: '', ref };
    if (response.contentType !== undefined) where.contentType = response.contentType;

    const cuts = walkJson(x.body, (v) => {
      let stats = response.pointers.get(v.pointer);
      if (stats === undefined) {
        if (response.pointers.size >= this.limits.maxPointersPerResponse) {
          this.cuts.pointersCut++;
          return;
        }
        response.pointers.set(v.pointer, (stats = new PropertyStats(v.parent, v.key)));
      }
      const format = v.type === 'string' || v.type === 'integer' ? recogniseFormat(v.value as string | number) : undefined;
      stats.add(v.value, v.type, format, exchange, ref, this.evidence, this.budget);
      if (v.holder !== undefined && v.key !== undefined && v.parent !== undefined) {
        if (stats.keyGroup === undefined) {
          where.pointer = v.pointer;
          stats.keyGroup = this.keys.groupFor(family, v.parent, v.key, where);
        }
        if (stats.keyGroup !== null) this.keys.observe(stats.keyGroup, v.holder, v.value, v.type, ref);
      }
    });
    this.cuts.depthCut += cuts.depthCut;
    this.cuts.itemsCut += cuts.itemsCut;
  }

  /** Property profiles (operation, status, pointer order as first seen) and profile findings. */
  result(): DataProfileResult {
    const properties: PropertyProfile[] = [];
    const findings: Finding[] = this.keys.findings();
    let distinctCapped = false;
    for (const response of this.responses.values()) {
      for (const [pointer, stats] of response.pointers) {
        const parent = stats.parent === undefined ? undefined : response.pointers.get(stats.parent);
        const absent = parent === undefined ? 0 : Math.max(0, parent.objects - stats.values);
        distinctCapped ||= stats.distinctCapped;
        properties.push(toProfile(response, pointer, stats, absent));
        findings.push(...propertyFindings(stats, { operation: response.operation, status: response.status, contentType: response.contentType, pointer, absent }, this.limits));
      }
    }
    return { properties, findings, cuts: { ...this.cuts, distinctCapped } };
  }

  private responseFor(x: CheckedExchange): ResponseStats {
    const key = `${x.operation.method.toUpperCase()} ${x.operation.path} ${x.status}`;
    let response = this.responses.get(key);
    if (response === undefined) {
      response = { operation: x.operation, status: x.status, contentType: x.mediaType, family: entityFamily(x.operation.path), samples: 0, pointers: new Map() };
      this.responses.set(key, response);
    }
    return response;
  }
}

function toProfile(response: ResponseStats, pointer: string, stats: PropertyStats, absent: number): PropertyProfile {
  const profile: PropertyProfile = {
    operation: response.operation,
    status: response.status,
    pointer,
    samples: response.samples,
    responses: stats.responses,
    values: stats.values,
    nulls: stats.nulls,
    nullRate: stats.values === 0 ? 0 : stats.nulls / stats.values,
    absent,
    distinct: stats.distinct.size,
    distinctExact: !stats.distinctCapped,
    types: stats.typeCounts(),
    formats: stats.formatCounts(),
    numericStrings: stats.numericStrings,
    emptyStrings: stats.emptyStrings,
  };
  if (response.contentType !== undefined) profile.contentType = response.contentType;
  if (stats.minLength !== undefined) profile.minLength = stats.minLength;
  if (stats.maxLength !== undefined) profile.maxLength = stats.maxLength;
  return profile;
}
