// Kept in step with package.json by test/unit/version.test.ts; a literal so that `--version`
// needs no file read.
export const VERSION = '0.1.0';

declare const CLAUDE_TUI_BUILD_ID: string | undefined;

/**
 * A digest of the sources a bundle was built from (scripts/build.mjs), so that what one build
 * worked out and kept is not taken by another; undefined when run from the sources themselves.
 */
export const BUILD_ID: string | undefined =
  typeof CLAUDE_TUI_BUILD_ID === 'string' ? CLAUDE_TUI_BUILD_ID : undefined;
