/**
 * Collects overlay actions in the order they must apply: first what creates places (a
 * response, an operation), then what edits them, and within each in the order found.
 */
import type { OverlayAction } from '../../spec/overlay/index.js';
import type { SpecVersion } from '../../spec/types.js';
import { jsonPath, typedTokens, vendorTokens } from './target.js';

export class ActionSink {
  private readonly creates: OverlayAction[] = [];
  private readonly edits: OverlayAction[] = [];
  /** What could not be expressed against the vendor's document, in words. */
  readonly notes: string[] = [];

  constructor(
    private readonly version: SpecVersion,
    /** The loaded model's root document, to tell array indices from names. */
    private readonly root: unknown,
  ) {}

  /** Merge `value` into the node at `pointer` + `tokens` (pointer in the loaded model). */
  update(pointer: string, tokens: (string | number)[], value: unknown, description: string, phase: 'create' | 'edit' = 'edit'): void {
    const target = this.target(pointer, tokens);
    if (target === undefined) return;
    (phase === 'create' ? this.creates : this.edits).push({ target, description: oneLine(description), update: value });
  }

  remove(pointer: string, tokens: (string | number)[], description: string): void {
    const target = this.target(pointer, tokens);
    if (target === undefined) return;
    this.edits.push({ target, description: oneLine(description), remove: true });
  }

  actions(): OverlayAction[] {
    return [...this.creates, ...this.edits];
  }

  private target(pointer: string, tokens: (string | number)[]): string | undefined {
    const base = vendorTokens(typedTokens(this.root, pointer), this.version);
    if (base === undefined) {
      this.notes.push(`${pointer} has no place in a Swagger 2.0 document; not corrected`);
      return undefined;
    }
    return jsonPath([...base, ...tokens]);
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 500 ? `${flat.slice(0, 499)}…` : flat;
}
