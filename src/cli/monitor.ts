/**
 * `recon monitor`: placeholder, being written.
 */
import type { Command } from 'commander';
import type { Output } from './output.js';

export function registerMonitorCommand(_program: Command, _output: Output): void {
  // registered once implemented
}
