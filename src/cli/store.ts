/**
 * `recon store`: placeholder, being written.
 */
import type { Command } from 'commander';
import type { Output } from './output.js';

export function registerStoreCommand(_program: Command, _output: Output): void {
  // registered once implemented
}
