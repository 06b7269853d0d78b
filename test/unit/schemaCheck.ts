/**
 * Just enough JSON Schema (draft 7) to check scenarios against schemas/scenario.schema.json:
 * $ref to definitions, type (one or a list), enum, const, properties, required, additionalProperties: false,
 * items, minItems, anyOf, not, if/then/else, pattern, minimum, maximum.
 */
export type Schema = { [key: string]: unknown };

export function validate(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, root, value, '$', errors);
  return errors;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(root: Schema, s: Schema, v: unknown, at: string, errors: string[]): void {
  if (typeof s.$ref === 'string')
    return check(
      root,
      (root.definitions as Record<string, Schema>)[s.$ref.split('/').pop()!],
      v,
      at,
      errors,
    );
  const fail = (msg: string) => errors.push(`${at}: ${msg}`);
  const t = typeOf(v);
  const types = s.type === undefined ? undefined : ([] as unknown[]).concat(s.type);
  if (types && !types.some((ty) => ty === t || (ty === 'number' && t === 'integer')))
    return void fail(`expected ${types.join(' or ')}, got ${t}`);
  if (s.enum && !(s.enum as unknown[]).includes(v))
    fail(`${JSON.stringify(v)} is not one of ${(s.enum as unknown[]).join(', ')}`);
  if ('const' in s && s.const !== v) fail(`expected ${JSON.stringify(s.const)}`);
  if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern).test(v))
    fail(`'${v}' does not match ${s.pattern}`);
  if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum)
    fail(`${v} < ${s.minimum}`);
  if (typeof s.maximum === 'number' && typeof v === 'number' && v > s.maximum)
    fail(`${v} > ${s.maximum}`);
  if (t === 'object') checkObject(root, s, v as Record<string, unknown>, at, errors);
  if (t === 'array') {
    if (typeof s.minItems === 'number' && (v as unknown[]).length < s.minItems)
      fail(`fewer than ${s.minItems} items`);
    if (s.items)
      (v as unknown[]).forEach((item, i) =>
        check(root, s.items as Schema, item, `${at}[${i}]`, errors),
      );
  }
  if (s.anyOf && !(s.anyOf as Schema[]).some((alt) => validate2(root, alt, v)))
    fail(`matches none of the ${(s.anyOf as Schema[]).length} alternatives`);
  if (s.not && validate2(root, s.not as Schema, v)) fail('matches a forbidden shape');
  if (s.if) {
    const branch = validate2(root, s.if as Schema, v) ? s.then : s.else;
    if (branch) check(root, branch as Schema, v, at, errors);
  }
}

function checkObject(
  root: Schema,
  s: Schema,
  v: Record<string, unknown>,
  at: string,
  errors: string[],
): void {
  const props = (s.properties ?? {}) as Record<string, Schema>;
  for (const key of (s.required ?? []) as string[])
    if (!(key in v)) errors.push(`${at}: missing '${key}'`);
  for (const [key, value] of Object.entries(v)) {
    if (props[key]) check(root, props[key], value, `${at}.${key}`, errors);
    else if (s.additionalProperties === false) errors.push(`${at}: unknown key '${key}'`);
  }
}

function validate2(root: Schema, s: Schema, v: unknown): boolean {
  const errors: string[] = [];
  check(root, s, v, '', errors);
  return errors.length === 0;
}
