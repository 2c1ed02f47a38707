/**
 * A JSON writer compiled from a response schema, for answers written outside Fastify's serializer
 * (the streamed listing). It writes byte for byte what Fastify's serializer (fast-json-stringify)
 * writes for a value of the schema's type — the same property order, the same number text — but
 * picks a union's branch by the value's JavaScript type instead of running a schema validator per
 * branch: fast-json-stringify validates every nullable field that way, most of a 10,000-peer
 * listing's serialisation time.
 *
 * The subset of JSON Schema the panel's shapes use: objects (declared properties only, the
 * required ones first), arrays, string, integer, number, boolean, null, `const`, and `anyOf` of those. Anything
 * else throws when compiling, so a schema that grows past it fails in tests, not in answers.
 */

/** Writes one value as JSON text. */
export type JsonWriter = (value: unknown) => string;

type Schema = Readonly<Record<string, unknown>>;

/** One compiled piece, as JavaScript expressions of the variable holding the value. */
interface Piece {
  /** The JSON text of the value. */
  readonly write: (x: string) => string;
  /** True when the value matches this schema's type (to pick a union's branch). */
  readonly guard: (x: string) => string;
}

/**
 * What JSON.stringify escapes in a string: `"`, `\`, control characters, and surrogates (it
 * escapes the lone ones; strings with any go through it).
 */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

// What fast-json-stringify's serializer does for each type (lib/serializer.js).
const helpers = {
  /** JSON.stringify's text of a string; one without anything to escape only gets its quotes. */
  str: (v: string) => (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`),
  /** A string field holding something else (fast-json-stringify's coercions). */
  strOther: (v: unknown): string => {
    if (v === null) return '""';
    if (v instanceof Date) return JSON.stringify(v.toISOString());
    if (v instanceof RegExp) return JSON.stringify(v.source);
    return JSON.stringify(String(v));
  },
  int: (v: unknown): string => {
    if (Number.isInteger(v)) return `${v as number}`;
    if (typeof v === 'bigint') return v.toString();
    const n = Math.trunc(v as number);
    if (!Number.isFinite(n))
      throw new Error(`The value "${String(v)}" cannot be converted to an integer.`);
    return `${n}`;
  },
  num: (v: unknown): string => {
    const n = Number(v);
    if (Number.isNaN(n))
      throw new Error(`The value "${String(v)}" cannot be converted to a number.`);
    return n === Infinity || n === -Infinity ? 'null' : `${n}`;
  },
  fail: (where: string): never => {
    throw new TypeError(`The value of '${where}' does not match schema definition.`);
  },
  missing: (key: string): never => {
    throw new Error(`"${key}" is required!`);
  },
};

/** Compiles the writer of `schema` (a TypeBox schema or any JSON Schema of the subset above). */
export function compileJsonWriter(schema: unknown): JsonWriter {
  const subs: string[] = [];
  const top = piece(schema as Schema, '#', subs);
  const source = `${subs.join('\n')}\nreturn (v) => ${top.write('v')};`;
  return new Function('h', source)(helpers) as JsonWriter;
}

/** A field function: one property's value computed from a source and what goes with it. */
export type FieldOf<A extends unknown[]> = (...args: A) => unknown;

/**
 * Compiles the writer of an object schema whose property values are computed by `fields` (one
 * function per property, called with the writer's arguments) instead of read from an object:
 * the JSON of `{key: fields[key](...args), …}` without building that object. A field the schema
 * does not declare is an error; a declared property without a field is `undefined` (left out
 * when optional).
 */
export function compileFieldsWriter<A extends unknown[]>(
  schema: unknown,
  fields: Readonly<Record<string, FieldOf<A>>>,
  arity: A['length'],
): (...args: A) => string {
  const s = schema as Schema;
  if (s.type !== 'object') throw new Error('#: a fields writer needs an object schema');
  const declared = new Set(Object.keys((s.properties ?? {}) as object));
  for (const key of Object.keys(fields))
    if (!declared.has(key)) throw new Error(`#: field ${key} is not in the schema`);
  const args = Array.from({ length: arity }, (_, i) => `a${i}`).join(', ');
  const subs: string[] = [];
  const top = object(
    s,
    '#',
    subs,
    (key) => (Object.hasOwn(fields, key) ? `F[${JSON.stringify(key)}](${args})` : 'undefined'),
    `v, ${args}`,
  );
  const source = `${subs.join('\n')}\nreturn (${args}) => ${top.write(`undefined, ${args}`)};`;
  return new Function('h', 'F', source)(helpers, fields) as (...args: A) => string;
}

function piece(s: Schema, where: string, subs: string[]): Piece {
  if ('const' in s) {
    const c = s.const;
    if (typeof c !== 'string' && typeof c !== 'number' && typeof c !== 'boolean')
      throw new Error(`${where}: const ${String(c)} is not supported`);
    const literal = JSON.stringify(c);
    return { write: () => JSON.stringify(literal), guard: (x) => `(${x} === ${literal})` };
  }
  if (Array.isArray(s.anyOf)) return union(s.anyOf as Schema[], where, subs);
  switch (s.type) {
    case 'string':
      return {
        write: (x) => `(typeof ${x} === 'string' ? h.str(${x}) : h.strOther(${x}))`,
        guard: (x) => `(typeof ${x} === 'string')`,
      };
    case 'integer':
      return { write: (x) => `h.int(${x})`, guard: (x) => `Number.isInteger(${x})` };
    case 'number':
      return {
        write: (x) => `h.num(${x})`,
        guard: (x) => `(typeof ${x} === 'number' && Number.isFinite(${x}))`,
      };
    case 'boolean':
      return {
        write: (x) => `(${x} ? 'true' : 'false')`,
        guard: (x) => `(typeof ${x} === 'boolean')`,
      };
    case 'null':
      return { write: () => `'null'`, guard: (x) => `(${x} === null)` };
    case 'object':
      return object(s, where, subs);
    case 'array':
      return array(s, where, subs);
    default:
      throw new Error(`${where}: schema ${JSON.stringify(s)} is not supported`);
  }
}

/** A sub-writer as a named function of the generated source: `w3(v)`. */
function named(body: string, subs: string[], params = 'v'): string {
  const name = `w${subs.length}`;
  subs.push(`function ${name}(${params}) { ${body} }`);
  return name;
}

function union(branches: readonly Schema[], where: string, subs: string[]): Piece {
  const pieces = branches.map((b, i) => piece(b, `${where}/anyOf/${i}`, subs));
  // In order, the first branch whose type matches (fast-json-stringify: the first that validates).
  const tests = pieces.map((p) => `if (${p.guard('v')}) return ${p.write('v')};`).join(' ');
  const name = named(`${tests} return h.fail(${JSON.stringify(where)});`, subs);
  return {
    write: (x) => `${name}(${x})`,
    guard: (x) => `(${pieces.map((p) => p.guard(x)).join(' || ')})`,
  };
}

/** Where an object's property values come from: `o["key"]`, or a field function's call. */
type ValueOf = (key: string) => string;
const ownProperty: ValueOf = (key) => `o[${JSON.stringify(key)}]`;

function object(
  s: Schema,
  where: string,
  subs: string[],
  valueOf: ValueOf = ownProperty,
  params = 'v',
): Piece {
  const properties = (s.properties ?? {}) as Record<string, Schema>;
  const required = new Set((s.required ?? []) as string[]);
  if (
    (s.additionalProperties !== undefined && s.additionalProperties !== false) ||
    s.patternProperties
  )
    throw new Error(`${where}: properties other than the declared ones are not supported`);
  // Required properties first, each group in declaration order (as fast-json-stringify writes).
  const all = Object.keys(properties);
  const keys = [...all.filter((k) => required.has(k)), ...all.filter((k) => !required.has(k))];
  const optional = keys.some((k) => !required.has(k));
  const lines = keys.map((key, i) => {
    const p = piece(properties[key]!, `${where}/properties/${key}`, subs);
    const value = valueOf(key);
    const text = (comma: string) =>
      `j += ${JSON.stringify(`${comma}${JSON.stringify(key)}:`)} + ${p.write('x')};`;
    if (!required.has(key))
      return `x = ${value}; if (x !== undefined) { if (f) f = false; else j += ','; ${text('')} }`;
    const check = `x = ${value}; if (x === undefined) h.missing(${JSON.stringify(key)});`;
    // Without optional properties the commas are known when compiling.
    return optional
      ? `${check} if (f) f = false; else j += ','; ${text('')}`
      : `${check} ${text(i === 0 ? '' : ',')}`;
  });
  const name = named(
    `const o = v; let x; let f = true; let j = '{'; ${lines.join(' ')} return j + '}';`,
    subs,
    params,
  );
  return {
    write: (x) => `${name}(${x})`,
    guard: (x) => `(typeof ${x} === 'object' && ${x} !== null && !Array.isArray(${x}))`,
  };
}

function array(s: Schema, where: string, subs: string[]): Piece {
  if (typeof s.items !== 'object' || s.items === null || Array.isArray(s.items))
    throw new Error(`${where}: only arrays of one item schema are supported`);
  const item = piece(s.items as Schema, `${where}/items`, subs);
  const name = named(
    `if (!Array.isArray(v)) h.fail(${JSON.stringify(where)}); let j = '['; for (let i = 0; i < v.length; i++) { const x = v[i]; if (i > 0) j += ','; j += ${item.write('x')}; } return j + ']';`,
    subs,
  );
  return { write: (x) => `${name}(${x})`, guard: (x) => `Array.isArray(${x})` };
}
