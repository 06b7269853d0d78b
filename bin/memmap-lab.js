#!/usr/bin/env node
'use strict';
// The CLI is bundled by `npm run build` (esbuild) into dist/cli.js.
const { main } = require('../dist/cli.js');
process.exitCode = main(process.argv.slice(2));
