import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn, locateInJson } from '../../src/config/json-positions.js';

const at = (text: string) => {
  const found = findJsonSyntaxError(text);
  return found && { where: lineAndColumn(text, found.offset), problem: found.problem };
};

describe('findJsonSyntaxError', () => {
  it('finds nothing wrong in valid JSON', () => {
    for (const text of [
      '{}',
      '[]',
      '0',
      '"x"',
      'null',
      ' {"a": [1, -2.5e3, true, false, null, {"b": "\\u00e9\\n"}]} ',
    ]) {
      expect(findJsonSyntaxError(text)).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on what is valid', () => {
    const samples = [
      '{"a":1}',
      '{"a":1,}',
      '[1,]',
      '{a:1}',
      "{'a':1}",
      '{"a":01}',
      '{"a":1.}',
      '{"a":.5}',
      '{"a":+1}',
      '{"a":-}',
      '{"a":1e}',
      '{"a":"\\x"}',
      '{"a":"\\u12"}',
      '{"a":"tab\there"}',
      '{"a" 1}',
      '{"a":1 "b":2}',
      '[1 2]',
      '{"a":tru}',
      '{"a":truex}',
      '{} {}',
      '',
      '{',
      '"abc',
      '\ufeff{}',
      '{"a":[{"b":{"c":[1,2,{"d":null}]}}]}',
      '{"a":"é","b":"\\ud83d\\ude00"}',
    ];
    for (const text of samples) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect({ text, valid: findJsonSyntaxError(text) === undefined }).toEqual({ text, valid: parses });
    }
  });

  it('points at a trailing comma and says so', () => {
    expect(at('{\n  "a": 1,\n}')).toEqual({
      where: '3:1',
      problem: 'a trailing comma is not allowed in JSON',
    });
    expect(at('[1,\n 2,\n ]')).toEqual({ where: '3:2', problem: 'a trailing comma is not allowed in JSON' });
  });

  it('points at a missing comma, colon or key quote', () => {
    expect(at('{\n  "a": 1\n  "b": 2\n}')).toEqual({ where: '3:3', problem: 'expected a comma or a }' });
    expect(at('{"a" 1}')?.where).toBe('1:6');
    expect(at('{"a" 1}')?.problem).toBe('expected a colon after the key');
    expect(at('{\n  a: 1\n}')).toEqual({ where: '2:3', problem: 'expected a key in double quotes' });
  });

  it('points at the start of a string that is never closed', () => {
    expect(at('{\n  "a": "open\n}')).toEqual({
      where: '2:8',
      problem: 'this string is never closed on its line (a " is missing)',
    });
    expect(at('{"a": "open')?.where).toBe('1:7');
  });

  it('names the end of the file when something is left open', () => {
    expect(at('{"a": [1, 2')).toEqual({
      where: '1:12',
      problem: 'the file ends inside a list (a ] is missing)',
    });
    expect(at('{"a": {"b": 1}')).toEqual({
      where: '1:15',
      problem: 'the file ends inside an object (a } is missing)',
    });
    expect(at('{"a":')?.problem).toBe('the file ends where a value was expected');
  });

  it('explains single quotes, bad numbers, bad escapes and text after the value', () => {
    expect(at("{'a': 1}")?.problem).toBe('expected a key in double quotes');
    expect(at('{"a": \'x\'}')).toEqual({ where: '1:7', problem: 'strings need double quotes in JSON' });
    expect(at('{"a": 007}')).toEqual({
      where: '1:7',
      problem: 'this number is not written as JSON writes numbers',
    });
    expect(at('{"a": "\\q"}')).toEqual({ where: '1:8', problem: 'an invalid escape in a string' });
    expect(at('{"a": "x\ty"}')?.problem).toBe('a control character in a string must be escaped');
    expect(at('{}\n{}')).toEqual({ where: '2:1', problem: 'more text after the end of the JSON value' });
  });

  it('never quotes the text: it may hold a secret', () => {
    const found = findJsonSyntaxError('{"authToken": "hunter2-secret" "to": 1}');
    expect(found?.problem).not.toContain('hunter2');
  });

  it('stops at a depth no settings file has, instead of running out of stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(findJsonSyntaxError(deep)?.problem).toMatch(/nested more than \d+ levels deep/);
  });
});

describe('locateInJson', () => {
  const text = [
    '{',
    '  "githubMeta": "no",',
    '  "notifications": {',
    '    "sms": { "to": "+1", "tto": 2 }',
    '  },',
    '  "watchPaths": ["src", "../up"],',
    '  "we\\"ird": 1',
    '}',
  ].join('\n');
  const where = (path: (string | number)[]) => {
    const found = locateInJson(text, path);
    return (
      found && {
        key: found.key === undefined ? undefined : lineAndColumn(text, found.key),
        value: lineAndColumn(text, found.value),
      }
    );
  };

  it('finds keys and values at each depth', () => {
    expect(where([])).toEqual({ key: undefined, value: '1:1' });
    expect(where(['githubMeta'])).toEqual({ key: '2:3', value: '2:17' });
    expect(where(['notifications'])).toEqual({ key: '3:3', value: '3:20' });
    expect(where(['notifications', 'sms'])).toEqual({ key: '4:5', value: '4:12' });
    expect(where(['notifications', 'sms', 'tto'])).toEqual({ key: '4:26', value: '4:33' });
  });

  it('finds list items by index, as numbers or as strings', () => {
    expect(where(['watchPaths', 1])).toEqual({ key: undefined, value: '6:25' });
    expect(where(['watchPaths', '1'])).toEqual({ key: undefined, value: '6:25' });
  });

  it('matches keys by their value, escapes decoded', () => {
    expect(where(['we"ird'])).toEqual({ key: '7:3', value: '7:14' });
  });

  it('returns undefined for a path that is not there', () => {
    expect(where(['notifications', 'sms', 'from'])).toBeUndefined();
    expect(where(['watchPaths', 5])).toBeUndefined();
    expect(where(['githubMeta', 'x'])).toBeUndefined();
  });

  it('finds the last of a key given twice, the one JSON.parse keeps', () => {
    expect(locateInJson('{"a": 1, "a": 2}', ['a'])).toEqual({ key: 9, value: 14 });
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('abc', 0)).toBe('1:1');
    expect(lineAndColumn('abc\ndef', 5)).toBe('2:2');
    expect(lineAndColumn('a\r\nb', 3)).toBe('2:1');
  });
});
