import { createRequire } from 'node:module';
import { stripVTControlCharacters } from 'node:util';

/**
 * The columns a string takes on a terminal, for Ink and the text helpers it uses: the build
 * (scripts/build.mjs) points their `string-width` here. string-width compiles a pattern of every
 * emoji when it loads, some 40 ms of the dashboard's start on this kind of machine, then tests each
 * character of every line that is not plain ASCII against it, and the dashboard's lines are seldom
 * plain ASCII (`·`, `›`, box drawing). A line made only of ONE_COLUMN characters is as wide as it
 * is long: each of them takes one column whatever stands next to it (no mark, joiner, control or
 * emoji among them; test/unit/text-width.test.ts checks every one against string-width). Any
 * other line is measured by string-width itself, loaded then.
 */
export const ONE_COLUMN =
  /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u02FF\u0370-\u0377\u037A-\u037F\u0384-\u038A\u038C\u038E-\u03A1\u03A3-\u0482\u048A-\u052F\u2010-\u2027\u202F-\u205E\u2070\u2071\u2074-\u208E\u2090-\u209C\u20A0-\u20C0\u2100-\u218B\u2190-\u2319\u231C-\u2328\u232B-\u23E8\u23ED-\u23EF\u23F1\u23F2\u23F4-\u2426\u2440-\u244A\u2460-\u25FC\u25FF-\u2613\u2616-\u262F\u2638-\u2647\u2654-\u267E\u2680-\u2689\u2690-\u2692\u2694-\u26A0\u26A2-\u26A9\u26AC-\u26BC\u26BF-\u26C3\u26C6-\u26CD\u26CF-\u26D3\u26D5-\u26E9\u26EB-\u26F1\u26F4\u26F6-\u26F9\u26FB\u26FC\u26FE-\u2704\u2706-\u2709\u270C-\u2727\u2729-\u274B\u274D\u274F-\u2752\u2756\u2758-\u2794\u2798-\u27AF\u27B1-\u27BE\u27C0-\u2B1A\u2B1D-\u2B4F\u2B51-\u2B54\u2B56-\u2B73\u2B76-\u2BFF]*$/;

/** string-width's options, as its callers pass them. */
export interface WidthOptions {
  ambiguousIsNarrow?: boolean;
  countAnsiEscapeCodes?: boolean;
}

type StringWidth = (text: string, options?: WidthOptions) => number;
let library: StringWidth | undefined;

/**
 * string-width itself, loaded on first need from the installed packages (a dependency of ours, as
 * dockerode is); require() of an ES module needs Node 22.12 (package.json's engines).
 */
function exactWidth(text: string, options?: WidthOptions): number {
  library ??= (createRequire(import.meta.url)('string-width') as { default: StringWidth }).default;
  return library(text, options);
}

export default function stringWidth(text: string, options?: WidthOptions): number {
  if (typeof text !== 'string' || text.length === 0) return 0;
  const escaped = text.includes('\u001B') || text.includes('\u009B');
  // Wide ambiguous characters, or escape codes that count: string-width's own rules.
  if (options?.ambiguousIsNarrow === false || (escaped && options?.countAnsiEscapeCodes))
    return exactWidth(text, options);
  const visible = escaped ? stripVTControlCharacters(text) : text;
  return ONE_COLUMN.test(visible) ? visible.length : exactWidth(text, options);
}
