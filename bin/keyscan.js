#!/usr/bin/env node
// The bin only hands argv to the CLI and sets the exit code; everything else lives in dist/cli.
import { run } from '../dist/cli/run.js';

process.exitCode = await run(process.argv.slice(2));
