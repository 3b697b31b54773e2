#!/usr/bin/env node
import module from 'node:module';

// Cache compiled code between runs: subcommands are short-lived and start-up is most of their time.
module.enableCompileCache?.();

const { main } = await import('./cli/main.js');
process.exitCode = await main(process.argv.slice(2));
