#!/usr/bin/env node
// The installed entry point: the CLI compiled by `npm ci` (the prepare script runs tsc).
import '../dist/cli/entry.js';
