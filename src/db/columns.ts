import { ColumnOptions } from 'typeorm';

/**
 * Instants are stored as epoch milliseconds (BIGINT): one representation on SQLite and MySQL,
 * indexable, comparable in SQL, and free of connection-timezone surprises.
 */
export const msColumn = (name: string, nullable = true): ColumnOptions => ({
  name,
  type: 'bigint',
  nullable,
  transformer: {
    to: (v: number | null | undefined) => v,
    from: (v: string | number | null) => (v === null || v === undefined ? null : Number(v)),
  },
});

/** JSON stored as TEXT (portable across both dialects). */
export const jsonColumn = (name: string, nullable = false): ColumnOptions => ({
  name,
  type: 'text',
  nullable,
  transformer: {
    to: (v: unknown) => (v === undefined ? undefined : v === null ? null : JSON.stringify(v)),
    from: (v: string | null) => (v === null || v === undefined ? null : (JSON.parse(v) as unknown)),
  },
});

export const boolColumn = (name: string, dflt: boolean): ColumnOptions => ({
  name,
  type: 'boolean',
  default: dflt,
  transformer: { to: (v: boolean) => v, from: (v: unknown) => v === true || v === 1 || v === '1' },
});
