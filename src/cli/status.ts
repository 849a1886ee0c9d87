/**
 * `recon status`: placeholder, being written.
 */
import type { Command } from 'commander';
import type { Output } from './output.js';

export function registerStatusCommand(_program: Command, _output: Output): void {
  // registered once implemented
}
