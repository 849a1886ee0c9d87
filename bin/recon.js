#!/usr/bin/env node
// Thin shim: the CLI lives in the build output so that `npm install` (which runs `prepare`)
// leaves a working `npx recon`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
