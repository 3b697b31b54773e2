import { createContext, useContext } from 'react';

/**
 * Colours by meaning, not by name, so NO_COLOR turns every one off in one place. Selection is
 * shown by inverse video, which needs no colour.
 */
export interface Theme {
  accent?: string;
  good?: string;
  warn?: string;
  bad?: string;
  dim: boolean;
}

export const colourTheme: Theme = { accent: 'cyan', good: 'green', warn: 'yellow', bad: 'red', dim: true };
export const plainTheme: Theme = { dim: false };

export function themeFor(env: NodeJS.ProcessEnv): Theme {
  return env.NO_COLOR !== undefined && env.NO_COLOR !== '' ? plainTheme : colourTheme;
}

export const ThemeContext = createContext<Theme>(colourTheme);
export const useTheme = () => useContext(ThemeContext);

/** The colour for a session or project state word. */
export function stateColour(theme: Theme, state: string): string | undefined {
  if (state === 'waiting') return theme.warn;
  if (state === 'working' || state === 'up' || state.startsWith('protected')) return theme.good;
  if (state.startsWith('exited') || state.startsWith('unprotected') || state === 'partial') return theme.bad;
  return undefined;
}
