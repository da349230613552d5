import { Type, type SchemaOptions, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A string from a fixed list, as a JSON Schema `enum`. Unlike a union of literals, a bad value gives
 * one validation error that names the allowed values (see problem.ts), and OpenAPI shows an enum.
 */
export function StringEnum<const Values extends readonly string[]>(
  values: Values,
  options: SchemaOptions = {},
): TUnsafe<Values[number]> {
  return Type.Unsafe<Values[number]>({ ...options, type: 'string', enum: [...values] });
}

/**
 * A primitive schema that also accepts null, as `type: [<type>, 'null']` rather than `anyOf`: a bad
 * value then gives one validation error instead of one per branch.
 */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Static<T> | null> {
  if (typeof schema.type !== 'string')
    throw new Error('Nullable takes a schema with a single primitive type');
  return Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}
