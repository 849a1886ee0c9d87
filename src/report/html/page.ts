/**
 * The page shell: one HTML5 document with its stylesheet inline and a Content-Security-Policy
 * that forbids everything else (no scripts, no fetches, no fonts, images only as `data:`), so
 * the file proves it is self-contained and is safe to open from an email.
 */
import type { ReviewModel } from '../types.js';
import { html, SafeHtml } from './escape.js';
import type { Section } from './section.js';
import { REPORT_CSS } from './style.js';

/** The policy the page declares; exported so tests and reviewers see one source of truth. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/**
 * @example
 * renderPage(model, [summarySection(model), risksSection(model.risks)]); // '<!doctype html>…'
 */
export function renderPage(model: ReviewModel, sections: readonly Section[]): string {
  const v = model.vendor;
  const title = `${v.title} ${v.version} — integration review`;
  const meta: SafeHtml[] = [html`Document <code>${v.document}</code>`];
  if (v.sha256) meta.push(html` (sha256 <code>${v.sha256.slice(0, 12)}…</code>)`);
  if (v.overlay) meta.push(html`, overlay <code>${v.overlay.file}</code> with ${v.overlay.actions} actions`);
  if (model.target) meta.push(html`. Target <strong>${model.target.name}</strong> at <code>${model.target.baseUrl}</code>`);
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="recon">
<title>${title}</title>
<style>${new SafeHtml(REPORT_CSS) /* a constant of this module, not model data */}</style>
</head>
<body>
<header class="report">
<h1>${title}</h1>
<p class="meta">${meta}. Generated ${model.generatedAt}.</p>
<nav class="toc" aria-label="Contents"><ol>${sections.map((s) => html`<li><a href="#${s.id}">${s.title}</a></li>`)}</ol></nav>
</header>
<main>
${sections.map((s) => html`<section id="${s.id}" aria-labelledby="${s.id}-h"><h2 id="${s.id}-h">${s.title}</h2>
${s.body}
</section>
`)}</main>
<footer>Written by recon from the review folder. Every number above was measured or read from the files named; see each section for its source.</footer>
</body>
</html>
`;
  return page.value;
}
