import type { en } from './en.ts';

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** The shape every catalogue must have: the English keys, any strings. */
export type MessageCatalogue = Shape<typeof en>;

/** Looks a dotted key up in a nested catalogue (`rules.phone.digitsOutOfRange`). */
export function lookupMessage(catalogue: MessageCatalogue, key: string): string | undefined {
  let node: unknown = catalogue;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Every dotted key of a (nested) catalogue, for completeness checks. */
export function listMessageKeys(catalogue: object, prefix = ''): string[] {
  return Object.entries(catalogue).flatMap(([name, value]: [string, unknown]) =>
    typeof value === 'string' ? [prefix + name] : listMessageKeys(value as object, `${prefix}${name}.`),
  );
}
