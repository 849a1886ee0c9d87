/**
 * Which target a command works on: the one described by flags alone (`--base-url` …), or one of
 * recon.yaml's (found here or in a parent directory, or `--config`), with flags overriding it.
 */
import type { ReconConfig, TargetConfig } from '../config/index.js';
import type { TargetFlags } from '../config/target-flags.js';
import { UsageError } from '../errors.js';
import type { Output } from './output.js';

export interface TargetSelection extends Partial<TargetFlags> {
  config?: string;
  target?: string;
}

export async function resolveTarget(
  flags: TargetSelection,
  output: Output,
  /** What to say when there is no config: the command's own way to do without one. */
  noConfig = { message: 'no recon.yaml here or in a parent directory, and no --base-url', hint: "run 'recon init' to write one, or give --base-url and --spec for a quick look" },
): Promise<{ target: TargetConfig; config?: ReconConfig }> {
  const { findConfig, loadConfig, targetFromFlags, withTargetFlags } = await import('../config/index.js');
  const targetFlags = flags as Partial<TargetFlags>;
  if (flags.config === undefined && flags.baseUrl !== undefined) {
    return { target: targetFromFlags({ ...targetFlags, baseUrl: flags.baseUrl }, { cwd: output.cwd, env: output.env, name: flags.target ?? 'default' }) };
  }
  const file = flags.config ?? (await findConfig(output.cwd));
  if (file === undefined) {
    throw new UsageError(noConfig.message, { hint: noConfig.hint });
  }
  const config = await loadConfig(file, { cwd: output.cwd, env: output.env });
  const names = Object.keys(config.targets);
  const name = flags.target ?? (names.length === 1 ? names[0]! : names.includes('sandbox') ? 'sandbox' : undefined);
  if (name === undefined || config.targets[name] === undefined) {
    throw new UsageError(flags.target === undefined ? `the config has ${names.length} targets; choose one with --target` : `no target "${flags.target}" in ${file}`, {
      hint: `targets: ${names.join(', ')}`,
    });
  }
  return { target: withTargetFlags(config.targets[name], targetFlags, { cwd: output.cwd, env: output.env }), config };
}

