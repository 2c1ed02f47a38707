#!/usr/bin/env node
// The installed entry point: the CLI compiled and bundled by `npm ci` (the prepare script runs
// tsc, then scripts/bundle.mjs).
import '../dist/bundle/wgfleet.js';
