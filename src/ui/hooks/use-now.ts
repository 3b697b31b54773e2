import { useEffect, useState } from 'react';

/** The time now, renewed every `everyMs`: for ages on screen ("2 min ago"), which move by themselves. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
