/**
 * fast-check arbitraries of hostile request parts for the fuzzing tests: strings PostgreSQL cannot store (NUL, lone
 * surrogates), huge strings, prototype keys, malformed ids and percent-encodings, deep and broken JSON texts, and
 * JSON values built from them (serialised by hand so keys such as `__proto__` reach the wire).
 */
import fc from 'fast-check';

/** `arb` with probability `1/every`, else null. */
export function sometimes<T>(arb: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });
}

/** Strings chosen to break things: control and unstorable characters, injection shapes, numbers, ids. */
export const HOSTILE_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udbff\udfff', '\u{1F600}', '\u202Eevil', '\ufeff', '\r\n', '\t',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', "'; DROP TABLE runs; --", '%', '%00', '\\', '"',
  '{{input}}', '{{__proto__}}', '${process.env.LLMCTL_MASTER_KEY}', '../../../../etc/passwd', '/dev/zero', 'file:///etc/passwd',
  'http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:1/', 'javascript:alert(1)', '<script>alert(1)</script>',
  '0', '-1', '1e308', '-0', 'NaN', 'Infinity', '99999999999999999999999', '1.5', 'true', 'null', '[]', '{}',
  'fc_', 'fc_0', 'run_zzzzzzzzzzzzzzzzzzzzzzzzzz', 'mdl_01aaaaaaaaaaaaaaaaaaaaaaaa', 'FC_01ABC', 'scripted', 'openai', 'global',
] as const;

/** Tokens put into a URL verbatim (already percent-encoded, or deliberately malformed). */
export const RAW_URL_TOKENS = ['%', '%0', '%zz', '%00', '%ED%A0%80', '%C0%AF', '%E0%A4%A', '..', '%2e%2e', '%2F', '%2f..%2f', '.', '%20', '+', '%FF'] as const;

/** A huge string (a size that passes the body limit, or one that does not). */
export const hugeString = fc.constantFrom(10_000, 100_000, 900_000).map((n) => 'x'.repeat(n));

/** Any string: mostly short ordinary text, often a hostile one, sometimes full-Unicode (lone surrogates included). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 24, unit: 'binary' }) },
  { weight: 3, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('\u0000', '\ud800', '\udc00'), fc.string({ maxLength: 8 })).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.constantFrom(300, 5_000).map((n) => 'a'.repeat(n)) },
);

/** A property key: ordinary, hostile or a prototype key. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'name', 'id', 'input', 'document', 'nodes', '', '\u0000', '\ud800', 'a.b', '$ref') },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

/** A JSON value tree whose strings and keys are hostile; depth-bounded. */
export type JsonTree = null | boolean | number | string | JsonTree[] | { entries: [string, JsonTree][] };

export const hostileJson: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, 2 ** 53 + 1, 1e308)),
    hostileString,
    fc.array(tie('tree'), { maxLength: 5 }),
    fc.array(fc.tuple(hostileKey, tie('tree')), { maxLength: 5 }).map((entries) => ({ entries })),
  ),
})).tree;

/** Serialises a {@link JsonTree} (object entries keep duplicate and prototype keys). */
export function jsonText(t: JsonTree): string {
  if (t === null || typeof t !== 'object') return JSON.stringify(t) ?? 'null';
  if (Array.isArray(t)) return `[${t.map(jsonText).join(',')}]`;
  return `{${t.entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`;
}

/** Plain-object value of a JSON value, with own (not inherited) `__proto__` keys, for JSON.stringify. */
export function ownKeysObject(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

const deep = (n: number, open: string, close: string, leaf = ''): string => open.repeat(n) + leaf + close.repeat(n);

/** Raw body texts that are broken, deep, huge or otherwise hostile JSON. */
export const hostileBodyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '', ' ', 'null', 'true', '0', '"text"', '[]', '{}', '{"a":1', '{"a":1}}', '{a:1}', "{'a':1}", '[1,]', '{"a":1,}', 'NaN', '1e999999',
    '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"a":1,"a":2}', '\ufeff{}', '{"a":"\u0000"}',
    '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"\\u0000":1}', '{"a":"\\x00"}', '{"a":"\t"}',
    deep(65, '[', ']'), deep(10_000, '[', ']'), deep(10_000, '{"a":', '}', '1'), deep(64, '[', ']'), deep(100_000, '[', ']'),
    `{"s":"${'x'.repeat(1_100_000)}"}`, `[${'1,'.repeat(200_000)}1]`,
  ),
  hostileJson.map(jsonText),
);

/** Content types for a body: right, wrong, malformed. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      undefined, 'application/json; charset=utf-8', 'application/json; charset=latin1', 'application/vnd.api+json', 'text/plain',
      'text/markdown', 'application/pdf', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '*/*', 'garbage',
      'application/json; boundary=', 'APPLICATION/JSON', 'text/html', 'application/xml',
    ),
  },
);

/** Percent-encodes `s` as UTF-8 (a lone surrogate becomes U+FFFD, as any client would send it). */
export function encodeSegment(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A URL piece: a string encoded, or a raw token verbatim. */
export const urlPiece: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: hostileString.map(encodeSegment) },
  { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_TOKENS) },
);
