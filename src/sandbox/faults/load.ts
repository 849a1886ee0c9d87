/**
 * A fault spec from a flag value: inline (`lost=0.05,…`, anything with an `=`) or the path of a
 * YAML/JSON file.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UsageError } from '../../errors.js';
import { buildSpec, parseInlineFaultSpec, type FaultSpec } from './spec.js';

/** Largest spec file read: a spec is a few lines. */
const MAX_SPEC_BYTES = 64 * 1024;

/**
 * @example
 * loadFaultSpec('lost=0.05,timeout=0.02', { flag: '--faults' });
 * loadFaultSpec('faults.yaml', { flag: '--faults', cwd: projectDir });
 */
export function loadFaultSpec(value: string, options: { flag: string; cwd?: string }): FaultSpec {
  const text = value.trim();
  if (text.includes('=')) return parseInlineFaultSpec(text, options.flag);
  if (text === '') throw new UsageError(`${options.flag}: empty; give kind=rate pairs (lost=0.05,timeout=0.02) or a YAML/JSON file`, { code: 'RECON_FAULT_SPEC' });
  const file = resolve(options.cwd ?? process.cwd(), text);
  let size: number;
  try {
    const stat = statSync(file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    throw new UsageError(`${options.flag} ${text}: no such file, and not an inline spec (inline specs are kind=rate pairs: lost=0.05,timeout=0.02)`, { code: 'RECON_FAULT_SPEC' });
  }
  if (size > MAX_SPEC_BYTES) throw new UsageError(`${text}: ${size} bytes; a fault spec is at most ${MAX_SPEC_BYTES}`, { code: 'RECON_FAULT_SPEC' });
  let parsed: unknown;
  try {
    // maxAliasCount keeps an alias bomb from expanding; a spec never needs aliases.
    parsed = parseYaml(readFileSync(file, 'utf8'), { maxAliasCount: 10 });
  } catch (error) {
    const line = (error as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    throw new UsageError(`${text}${line ? `:${line.line}:${line.col}` : ''}: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`, { code: 'RECON_FAULT_SPEC' });
  }
  return buildSpec(parsed, text);
}
