/**
 * A report section as plain parts; the page shell numbers them and builds the contents list.
 */
import { html, type SafeHtml } from './escape.js';

export interface Section {
  /** Anchor id (`risks`); stable, so links into a report keep working across versions. */
  id: string;
  title: string;
  body: SafeHtml;
}

/**
 * A list, or a sentence saying it is empty (an empty `<ul>` reads as a rendering bug).
 *
 * @example
 * bulletList(['OAuth works'], 'Nothing recorded.');
 */
export function bulletList(items: readonly string[], whenEmpty: string, className?: string): SafeHtml {
  if (items.length === 0) return html`<p class="empty">${whenEmpty}</p>`;
  return html`<ul${className ? html` class="${className}"` : ''}>${items.map((i) => html`<li>${i}</li>`)}</ul>`;
}

/**
 * A small yes/no/unknown badge.
 *
 * @example
 * verdict(true); // <span class="badge good">yes</span>
 */
export function verdict(value: boolean | undefined, yes = 'yes', no = 'no', unknown = 'not tested'): SafeHtml {
  if (value === undefined) return html`<span class="badge neutral">${unknown}</span>`;
  return value ? html`<span class="badge good">${yes}</span>` : html`<span class="badge bad">${no}</span>`;
}
