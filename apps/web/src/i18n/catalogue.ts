import type { en } from './en.ts';

type Shape<T> = { readonly [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** The shape of every UI catalogue: the English keys, any strings. */
export type UiCatalogue = Shape<typeof en>;
