// Kept in step with package.json by test/unit/version.test.ts; a literal so that `--version`
// needs no file read.
export const VERSION = '0.1.0';
