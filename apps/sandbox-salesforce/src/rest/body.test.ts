import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, jsonParserMessage } from './body.ts';

const messageFor = (raw: string) => jsonParserMessage(raw);

describe('jsonParserMessage', () => {
  it('points at the unexpected character', () => {
    expect(messageFor('{"LastName": x}')).toBe(
      "Unexpected character ('x' (code 120)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at [line:1, column:14]",
    );
    expect(messageFor('{\n  "a": 1,\n  ?}')).toContain('at [line:3, column:3]');
  });

  it('reports a truncated body as end-of-input', () => {
    expect(messageFor('{"LastName":')).toMatch(/^Unexpected end-of-input/);
    expect(messageFor('{"a": "unterminated')).toMatch(/^Unexpected end-of-input/);
  });

  it('finds no error in valid JSON', () => {
    for (const valid of ['{}', '[]', '{"a": [1, -2.5e3, true, null, "x\\"y"]}', ' "s" ']) expect(() => JSON.parse(valid)).not.toThrow();
    expect(jsonErrorOffset('{"a": [1, -2.5e3, true, null, "x\\"y"]}')).toBe(38);
  });
});
