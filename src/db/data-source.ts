import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';

export type Dialect = 'sqlite' | 'mysql';

export function dialectOf(url: string): Dialect {
  return url.startsWith('sqlite:') ? 'sqlite' : 'mysql';
}

/**
 * The TypeORM data source for `DATABASE_URL`: `sqlite:PATH` (better-sqlite3, the embedded default)
 * or `mysql://user:pass@host:port/db` (mysql2, production). The schema comes from migrations only.
 */
export function createDataSource(url: string): DataSource {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, logging: false } as const;
  let options: DataSourceOptions;
  if (dialectOf(url) === 'sqlite') {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    options = {
      ...common,
      type: 'better-sqlite3',
      database: file,
      enableWAL: file !== ':memory:',
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma('busy_timeout = 5000');
        db.pragma('synchronous = NORMAL');
        db.pragma('foreign_keys = ON');
      },
    };
  } else {
    options = {
      ...common,
      type: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      charset: 'utf8mb4_unicode_ci',
      timezone: 'Z',
      supportBigNumbers: true,
      bigNumberStrings: false,
      // The dashboard asks up to nine reads at once (src/web/reports/dashboard-data.ts); callbacks,
      // the outbox and the queue keep connections of their own beside them.
      extra: { connectionLimit: 20 },
    };
  }
  return new DataSource(options);
}

export async function openDatabase(url: string, { migrate = true } = {}): Promise<DataSource> {
  const ds = createDataSource(url);
  await ds.initialize();
  if (migrate) await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** True when `e` is a unique-key violation on either dialect. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; errno?: number; driverError?: { code?: string; errno?: number } };
  const code = err?.driverError?.code ?? err?.code;
  const errno = err?.driverError?.errno ?? err?.errno;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'ER_DUP_ENTRY' || errno === 1062;
}

/** Rows changed by a TypeORM UpdateResult/DeleteResult on both dialects. */
export function affected(r: { affected?: number | null }): number {
  return r.affected ?? 0;
}
