import { Type, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

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
