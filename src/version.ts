import { readFileSync } from 'node:fs';

/** The version in package.json, read once (src/ and dist/ both sit one level below it). */
export const RECON_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
