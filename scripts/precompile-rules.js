#!/usr/bin/env node
// Build step: compile rules/*.toml into dist/default-rules.json (see src/config/precompiled.ts).
import { writePrecompiledDefaults } from '../dist/config/precompile.js';

process.stdout.write(`${writePrecompiledDefaults()}\n`);
