/** Parsed SOQL, before field names are checked against an object's describe. */
export type Literal =
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'datetime'; value: string; pos: number }
  /** TODAY, YESTERDAY, LAST_N_DAYS:n ... */
  | { kind: 'dateLiteral'; name: string; n?: number; pos: number };

export interface FieldRef {
  name: string;
  pos: number;
  /** `FIELDS(ALL|STANDARD|CUSTOM)` in the select list. */
  fieldsFunction?: 'ALL' | 'STANDARD' | 'CUSTOM';
}

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[] }
  | { kind: 'not'; item: Condition }
  | { kind: 'compare'; field: FieldRef; op: ComparisonOp; value: Literal }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: Literal[] }
  | { kind: 'like'; field: FieldRef; pattern: Literal }
  /** Multi-select picklists: `INCLUDES ('a;b', 'c')` = (a and b) or c. */
  | { kind: 'includes'; field: FieldRef; excludes: boolean; values: Literal[] };

export interface OrderItem {
  field: FieldRef;
  descending: boolean;
  nullsLast: boolean;
}

export interface SelectQuery {
  /** Empty when the query is `SELECT COUNT() ...`. */
  fields: FieldRef[];
  count: boolean;
  object: FieldRef;
  where?: Condition;
  orderBy: OrderItem[];
  limit?: number;
  offset?: number;
}
