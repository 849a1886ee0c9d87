/** Help text shared by every command, so that the exit codes read the same everywhere. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the check ran and found what --fail-on asks to fail on
  2  usage or input error (bad flag, unreadable or invalid document)
  3  runtime failure (vendor unreachable, store unavailable, a bug)`;

export function examples(lines: [command: string, what: string][]): string {
  const width = Math.max(...lines.map(([command]) => command.length));
  return '\nExamples:\n' + lines.map(([command, what]) => `  $ ${command.padEnd(width)}  ${what}`).join('\n') + '\n';
}
