/**
 * Where things are in a JSON text, for error messages: the first syntax error, and the key and
 * value at a path such as notifications.sms.to. JSON.parse stays the parser; this walks the text
 * only when something is wrong, so the happy path costs nothing. Problems are described without
 * quoting the text, since the text may hold a secret.
 */
export type JsonPath = readonly (string | number)[];

export interface JsonSyntaxProblem {
  offset: number;
  problem: string;
}

export interface JsonLocation {
  /** Where the key of an object member starts (its opening quote); absent for list items. */
  key?: number;
  /** Where the value starts. */
  value: number;
}

/** Far deeper than any settings file; stops a hostile file from taking the stack. */
const MAX_DEPTH = 256;

class SyntaxProblem extends Error {
  constructor(
    readonly offset: number,
    readonly problem: string,
  ) {
    super(problem);
  }
}

export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  try {
    walk(text, () => undefined);
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxProblem) return { offset: error.offset, problem: error.problem };
    throw error;
  }
}

/**
 * The key and value at `path` in a valid JSON text, or undefined when the path is not there. A key
 * given twice is found where it is given last, which is the one JSON.parse keeps.
 */
export function locateInJson(text: string, path: JsonPath): JsonLocation | undefined {
  let found: JsonLocation | undefined;
  const wanted = path.map(String);
  try {
    walk(text, (at, location) => {
      if (at.length === wanted.length && at.every((segment, i) => segment === wanted[i])) found = location;
    });
  } catch (error) {
    if (!(error instanceof SyntaxProblem)) throw error;
  }
  return found;
}

/** 1-based line and column of an offset, as `line:col`. */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `${line}:${offset - before.lastIndexOf('\n')}`;
}

type Visit = (path: readonly string[], location: JsonLocation) => void;

/** A strict JSON recogniser (RFC 8259, as JSON.parse) that reports every value it passes. */
function walk(text: string, visit: Visit): void {
  let pos = 0;
  const path: string[] = [];
  const fail = (problem: string, offset = pos): never => {
    throw new SyntaxProblem(offset, problem);
  };
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const atEnd = () => pos >= text.length;

  const string = (): string => {
    const start = pos++;
    for (;;) {
      if (atEnd()) fail('this string is never closed (a " is missing)', start);
      const char = text[pos]!;
      if (char === '"') break;
      if (char < ' ') {
        fail(
          char === '\n'
            ? 'this string is never closed on its line (a " is missing)'
            : 'a control character in a string must be escaped',
          char === '\n' ? start : pos,
        );
      }
      if (char === '\\') {
        const escape = text[pos + 1];
        if (escape === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)))
            fail('\\u must be followed by 4 hex digits');
          pos += 6;
        } else {
          if (escape === undefined || !'"\\/bfnrt'.includes(escape)) fail('an invalid escape in a string');
          pos += 2;
        }
        continue;
      }
      pos++;
    }
    pos++;
    return JSON.parse(text.slice(start, pos)) as string;
  };

  const numberPattern = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const number = () => {
    numberPattern.lastIndex = pos;
    const match = numberPattern.exec(text);
    if (!match)
      return fail('expected a value: a string in double quotes, a number, true, false, null, {...} or [...]');
    const start = pos;
    pos += match[0].length;
    if (/[0-9.eE+-]/.test(text[pos] ?? '')) fail('this number is not written as JSON writes numbers', start);
  };

  const value = (key: number | undefined) => {
    skipSpace();
    if (atEnd()) fail('the file ends where a value was expected');
    visit(path, { key, value: pos });
    const char = text[pos]!;
    if (char === '{') return object();
    if (char === '[') return array();
    if (char === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return;
      }
    }
    if (char === "'") fail('strings need double quotes in JSON');
    number();
  };

  /** Steps over an opening bracket; `close` is what ends the object or list. */
  const opens = (close: string): boolean => {
    if (path.length >= MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep`);
    pos++;
    skipSpace();
    return !closes(close);
  };
  const closes = (close: string): boolean => {
    if (text[pos] !== close) return false;
    pos++;
    return true;
  };

  const object = () => {
    if (!opens('}')) return;
    for (;;) {
      skipSpace();
      if (text[pos] === '}') fail('a trailing comma is not allowed in JSON');
      if (text[pos] !== '"') fail('expected a key in double quotes');
      const keyAt = pos;
      path.push(string());
      skipSpace();
      if (text[pos] !== ':') fail('expected a colon after the key');
      pos++;
      value(keyAt);
      path.pop();
      skipSpace();
      if (closes('}')) return;
      if (!closes(',')) {
        fail(atEnd() ? 'the file ends inside an object (a } is missing)' : 'expected a comma or a }');
      }
    }
  };

  const array = () => {
    if (!opens(']')) return;
    for (let index = 0; ; index++) {
      skipSpace();
      if (text[pos] === ']') fail('a trailing comma is not allowed in JSON');
      path.push(String(index));
      value(undefined);
      path.pop();
      skipSpace();
      if (closes(']')) return;
      if (!closes(',')) {
        fail(atEnd() ? 'the file ends inside a list (a ] is missing)' : 'expected a comma or a ]');
      }
    }
  };

  value(undefined);
  skipSpace();
  if (!atEnd()) fail('more text after the end of the JSON value');
}
