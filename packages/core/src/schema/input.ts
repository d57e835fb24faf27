import type { Static, TArray, TObject, TOptional, TProperties, TRecord, TSchema } from 'typebox';

/**
 * A schema whose `default` fills the field when the host leaves it out. TypeBox keeps a
 * schema's options out of its static type, so {@link Defaulted} records the default in the type
 * too, and {@link InputOf} makes such a field optional in the input type.
 */
export type TDefaulted<T extends TSchema> = T & { readonly default: unknown };

/**
 * Mark a schema built with a `default` option as defaulted in its type (the schema object
 * is returned as it is). Throws at module load when the schema has no default.
 */
export function Defaulted<T extends TSchema>(schema: T): TDefaulted<T> {
  if (!('default' in schema)) throw new TypeError('Defaulted(schema): the schema has no default option');
  return schema as TDefaulted<T>;
}

/** True for a property the host may leave out: optional, or filled by a default. */
type MayOmit<S> = S extends { readonly default: unknown } ? true : S extends TOptional<TSchema> ? true : false;

/** Flattens an intersection so editors show one object type. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

type ObjectInput<P extends TProperties> = Simplify<
  { readonly [K in keyof P as MayOmit<P[K]> extends true ? K : never]?: InputOf<P[K]> | undefined } & {
    readonly [K in keyof P as MayOmit<P[K]> extends true ? never : K]: InputOf<P[K]>;
  }
>;

/**
 * What a host may pass where a schema's value is expected, before defaults are applied:
 * `Static<T>` with every defaulted field optional (`undefined` counts as left out, as at run
 * time, also under `exactOptionalPropertyTypes`) and arrays readonly. Enumerations stay
 * string unions, so a misspelt `dialMode` fails to compile. A parsed value (`Static<T>`) is
 * always a valid input.
 */
export type InputOf<T extends TSchema> =
  T extends TObject<infer P extends TProperties>
    ? ObjectInput<P>
    : T extends TArray<infer Item extends TSchema>
      ? readonly InputOf<Item>[]
      : T extends TRecord<string, infer Value extends TSchema>
        ? { readonly [key: string]: InputOf<Value> }
        : Static<T>;
