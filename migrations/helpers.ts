import { QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

/**
 * Column shorthands for migrations written with the QueryRunner/Table API, so one migration file
 * runs on both SQLite and MySQL/MariaDB (TypeORM-generated SQL only runs on the dialect it was
 * generated on).
 */
export const col = {
  id: (name = 'id'): TableColumnOptions => ({ name, type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' }),
  key: (name: string, length = 64): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true }),
  str: (name: string, length: number, nullable = false): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isNullable: nullable }),
  text: (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable }),
  int: (name: string, nullable = false, dflt?: number): TableColumnOptions => ({ name, type: 'int', isNullable: nullable, default: dflt === undefined ? undefined : String(dflt) }),
  ms: (name: string, nullable = true): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable }),
  bool: (name: string, dflt: boolean): TableColumnOptions => ({ name, type: 'boolean', default: dflt ? '1' : '0' }),
};

export function index(table: string, columns: string[], unique = false): TableIndex {
  return new TableIndex({ name: `${unique ? 'uq' : 'ix'}_${table}_${columns.join('_')}`, columnNames: columns, isUnique: unique });
}

export async function createTable(qr: QueryRunner, name: string, columns: TableColumnOptions[], indices: TableIndex[] = []): Promise<void> {
  await qr.createTable(new Table({ name, columns, indices }), true);
  if (qr.connection.options.type === 'mysql' || qr.connection.options.type === 'mariadb') {
    // Chinese text and emoji need utf8mb4 whatever the server's default charset is.
    await qr.query(`ALTER TABLE \`${name}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
}
