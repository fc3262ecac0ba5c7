#!/usr/bin/env node
// The only place that sets the exit code: main() returns it (DESIGN.md, one exit point).
import { main } from '../dist/js/main.js';

process.exitCode = await main(process.argv.slice(2));
