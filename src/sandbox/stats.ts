/**
 * What the sandbox did, for tests that must prove "none lost, none duplicated": resources
 * actually created (whatever the client saw) and delivery faults by kind.
 */
import type { Dataset } from './data/index.js';
import { DELIVERY_FAULT_KINDS, type DeliveryFaultKind } from './delivery-faults.js';

export interface SandboxStats {
  /** HTTP requests received, whatever their outcome. */
  requests: number;
  /** Records added by creates; an Idempotency-Key replay adds nothing. */
  creates: Record<CreatedResource, number>;
  /** Delivery faults injected, by kind (all 0 unless `deliveryFaults` is set). */
  deliveryFaults: Record<DeliveryFaultKind, number>;
}

export type CreatedResource = 'customers' | 'products' | 'invoices' | 'orders';
const RESOURCES: readonly CreatedResource[] = ['customers', 'products', 'invoices', 'orders'];

export class StatsRecorder {
  readonly #creates = Object.fromEntries(RESOURCES.map((name) => [name, 0])) as Record<CreatedResource, number>;
  readonly #faults = Object.fromEntries(DELIVERY_FAULT_KINDS.map((kind) => [kind, 0])) as Record<DeliveryFaultKind, number>;

  /** Record sizes now, to hand back to `countCreates` after a handler ran. */
  sizes(data: Dataset): Record<CreatedResource, number> {
    return Object.fromEntries(RESOURCES.map((name) => [name, data[name].length])) as Record<CreatedResource, number>;
  }

  countCreates(before: Record<CreatedResource, number>, data: Dataset): void {
    for (const name of RESOURCES) this.#creates[name] += data[name].length - before[name];
  }

  countFault(kind: DeliveryFaultKind): void {
    this.#faults[kind]++;
  }

  snapshot(requests: number): SandboxStats {
    return { requests, creates: { ...this.#creates }, deliveryFaults: { ...this.#faults } };
  }
}
