/**
 * How long to wait before looking for an unreachable Engine again, after `failures` failed looks
 * in a row: soon at first (a restart is over in seconds), then less and less often, so that a
 * machine that is off costs a connection attempt every few seconds at most.
 */
export const RETRY_FIRST_MS = 1000;
export const RETRY_MAX_MS = 8000;

export function retryDelay(failures: number): number {
  const doublings = Math.max(0, failures - 1);
  return Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(doublings, 10));
}
