/**
 * `recon types`: TypeScript types for the vendor's API as recon loads it (Swagger 2.0 converted,
 * overlays applied), written by openapi-typescript.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { LOAD_SPEC_DEFAULTS } from '../spec/defaults.js';
import { numberFlag } from './flags.js';
import { EXIT_CODES_HELP, examples } from './help.js';
import type { Output } from './output.js';

interface TypesFlags {
  spec?: string;
  config?: string;
  target?: string;
  /** `false` after --no-overlay. */
  overlay?: string[] | false;
  out?: string;
  maxSize: number;
}

/** In a workspace, the corrections `recon drift --overlay-out` is told to write (next to recon.yaml). */
const WORKSPACE_OVERLAY = 'review/overlay.yaml';

const collect = (value: string, previous: string[] | false | undefined): string[] => [...(previous || []), value];

export function registerTypesCommand(program: Command, output: Output): void {
  program
    .command('types')
    .summary("TypeScript types for the vendor's API, overlays applied")
    .description(
      "Generate TypeScript types (openapi-typescript's `paths`, `components` and `operations`) for " +
        "the vendor's API as recon reads it: Swagger 2.0 converted to OpenAPI 3.0, and the corrections " +
        'of your overlays applied, so the types describe what the vendor really returns. The file ' +
        'starts with a header naming the document, its sha256 and the overlays, and the command ' +
        `that regenerates it. In a workspace, ${WORKSPACE_OVERLAY} next to recon.yaml is applied ` +
        'unless --overlay or --no-overlay is given.',
    )
    .option('--spec <file-or-url>', "the vendor's OpenAPI 3.x / Swagger 2.0 document (default: the target's in recon.yaml)")
    .option('--config <file>', 'the review config (default: recon.yaml here or in a parent directory), used when --spec is not given')
    .option('--target <name>', 'which target of the config (default: the only one, else "sandbox")')
    .option('--overlay <file>', 'apply this OpenAPI Overlay to the document first (repeatable, in order)', collect)
    .option('--no-overlay', `apply no overlay, not even the workspace's ${WORKSPACE_OVERLAY}`)
    .option('--out <file>', 'write the types to this file (required unless stdout is piped)')
    .option('--max-size <MB>', 'refuse documents larger than this', numberFlag(0.001, 4096), LOAD_SPEC_DEFAULTS.maxBytes / 1024 / 1024)
    .addHelpText(
      'after',
      examples([
        ['recon types --out src/vendor/api.ts', `in a workspace: the target's document with ${WORKSPACE_OVERLAY}`],
        ['recon types --spec specs/acme.yaml --out src/acme.ts', 'the document as the vendor wrote it'],
        ['recon types --spec api.json --overlay fix.overlay.yaml > src/api.ts', 'with the corrections of `recon drift --overlay-out`'],
        ['recon types --spec swagger.json --out src/api.ts', 'Swagger 2.0 is converted to OpenAPI 3.0 first'],
      ]) +
        "\nUse them: import type { components, paths } from './vendor/api.js';\n" +
        "          type Customer = components['schemas']['Customer'];\n" +
        EXIT_CODES_HELP,
    )
    .action(async (flags: TypesFlags) => {
      if (flags.out === undefined && output.stdout.isTTY === true) {
        const { TypesError } = await import('../types/index.js');
        throw new TypesError('RECON_TYPES_TERMINAL', 'will not print TypeScript types to a terminal', {
          hint: 'pass --out FILE, or redirect: recon types … > src/vendor-api.ts',
        });
      }
      const workspace = flags.spec === undefined ? await fromWorkspace(flags, output) : undefined;
      const spec = flags.spec ?? workspace!.spec;
      const overlays = flags.overlay === false ? [] : (flags.overlay ?? (workspace?.overlay !== undefined ? [workspace.overlay] : []));
      if (workspace?.overlay !== undefined && flags.overlay === undefined) {
        output.err(`recon: applying the workspace's ${workspace.overlay} (--no-overlay to skip it)`);
      }
      const { checkTypesOut, generateTypes, writeTypesFile, regenerateCommand } = await import('../types/index.js');
      if (flags.out !== undefined) await checkTypesOut(flags.out, { cwd: output.cwd });
      const generated = await generateTypes({
        spec,
        overlays,
        cwd: output.cwd,
        command: workspace ? workspaceCommand(flags, overlays, workspace.overlay) : regenerateCommand(spec, overlays, flags.out),
        load: { maxBytes: Math.round(flags.maxSize * 1024 * 1024) },
      });
      for (const note of generated.notes) output.err(`recon: ${note}`);
      if (flags.out === undefined) {
        output.stdout.write(generated.code);
        return;
      }
      await writeTypesFile(flags.out, generated.code, { cwd: output.cwd });
      const applied = overlays.length > 0 ? ` with ${overlays.length} overlay(s)` : '';
      output.err(`recon: wrote ${flags.out}: types for ${generated.operations} operation(s)${applied}`);
    });
}

/** The command a workspace user reruns: their own flags, not the paths recon resolved. */
function workspaceCommand(flags: TypesFlags, overlays: string[], workspaceOverlay: string | undefined): string {
  const words = ['recon', 'types'];
  if (flags.config !== undefined) words.push('--config', flags.config);
  if (flags.target !== undefined) words.push('--target', flags.target);
  if (flags.overlay === false && workspaceOverlay !== undefined) words.push('--no-overlay');
  if (flags.overlay !== false && flags.overlay !== undefined) for (const overlay of overlays) words.push('--overlay', overlay);
  words.push(...(flags.out === undefined ? ['>', 'FILE'] : ['--out', flags.out]));
  return words.join(' ');
}

/** Without --spec: the target's document from recon.yaml, and the workspace overlay when it exists. */
async function fromWorkspace(flags: TypesFlags, output: Output): Promise<{ spec: string; overlay?: string }> {
  const [{ resolveTarget }, { resolveConfigPath }, { relative, isAbsolute }, { stat }] = await Promise.all([
    import('./target.js'),
    import('../config/index.js'),
    import('node:path'),
    import('node:fs/promises'),
  ]);
  const { target, config } = await resolveTarget({ ...(flags.config ? { config: flags.config } : {}), ...(flags.target ? { target: flags.target } : {}) }, output, {
    message: 'no --spec, and no recon.yaml here or in a parent directory',
    hint: "pass --spec <file-or-url>, or run 'recon init'",
  });
  if (target.spec === undefined) throw new UsageError(`target "${target.name}" names no API document`, { hint: 'add spec: to the target in recon.yaml, or pass --spec' });
  if (!config) return { spec: target.spec };
  const overlayPath = resolveConfigPath(config, WORKSPACE_OVERLAY);
  const exists = await stat(overlayPath).then((s) => s.isFile(), () => false);
  const shown = relative(output.cwd, overlayPath);
  return {
    spec: resolveConfigPath(config, target.spec),
    ...(exists ? { overlay: shown.startsWith('..') || isAbsolute(shown) ? overlayPath : shown } : {}),
  };
}
