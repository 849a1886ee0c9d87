/**
 * A path template for a request no documented path matches, so that `/customers/10004/contacts`
 * and `/customers/10009/contacts` are one undocumented operation, named like the document names
 * its neighbours: `/customers/{customerId}/contacts`.
 */
import type { OperationModel } from '../spec/types.js';

const ID_LIKE = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|[0-9A-Z]{20,})$/i;

export class TemplateGuesser {
  /** `literal prefix with params as *` + segment index → the parameter name the document uses there. */
  private readonly names = new Map<string, string>();

  constructor(operations: OperationModel[]) {
    for (const operation of operations) {
      const segments = operation.path.split('/');
      segments.forEach((segment, index) => {
        const param = /^\{([^}]+)\}$/.exec(segment);
        if (param === null) return;
        const prefix = segments.slice(0, index).map((s) => (s.startsWith('{') ? '*' : s)).join('/');
        if (!this.names.has(prefix)) this.names.set(prefix, param[1]!);
      });
    }
  }

  /**
   * @example guesser.guess('/customers/10004/contacts') // '/customers/{customerId}/contacts'
   */
  guess(relativePath: string): string {
    const segments = relativePath.split('?')[0]!.split('/');
    const out: string[] = [];
    const used = new Set<string>();
    segments.forEach((segment, index) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // keep it as sent
      }
      if (index > 0 && ID_LIKE.test(decoded)) {
        const prefix = out.map((s) => (s.startsWith('{') ? '*' : s)).join('/');
        const base = this.names.get(prefix) ?? 'id';
        let name = base;
        for (let n = 2; used.has(name); n++) name = `${base}${n}`;
        used.add(name);
        out.push(`{${name}}`);
      } else {
        out.push(segment);
      }
    });
    const path = out.join('/');
    return path === '' ? '/' : path;
  }
}
