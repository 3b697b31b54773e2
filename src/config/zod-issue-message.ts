import type { core } from 'zod';

/** zod's words for an issue; a bad record key carries the key schema's own message inside. */
export function issueMessage(issue: core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key ${issue.keys.join(', ')}`;
  if (issue.code === 'invalid_key') return issue.issues[0]?.message ?? issue.message;
  return issue.message;
}
