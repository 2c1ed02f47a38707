import { Type, type TUnsafe } from 'typebox';

/**
 * A TypeBox union of string literals from an `as const` list (a domain vocabulary array): the
 * same `anyOf` of constants as spelling the literals out, typed as the list's union.
 */
export function literalUnion<const V extends string>(
  values: readonly V[],
  options: { description?: string; default?: NoInfer<V> } = {},
): TUnsafe<V> {
  return Type.Unsafe<V>(
    Type.Union(
      values.map((v) => Type.Literal(v)),
      options,
    ),
  );
}
