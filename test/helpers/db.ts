import crypto from 'node:crypto';
import path from 'node:path';
import { tempDir } from './tmp';

/**
 * Database tests run on SQLite always and, with TEST_MYSQL_URL set, on MySQL/MariaDB too — each
 * test gets a fresh database built by the migrations. TEST_DIALECTS=mysql runs only MySQL (CI's
 * second pass).
 */
export type TestDialect = 'sqlite' | 'mysql';

export function dialects(): TestDialect[] {
  const only = process.env.TEST_DIALECTS?.split(',').map((s) => s.trim()) as TestDialect[] | undefined;
  const all: TestDialect[] = process.env.TEST_MYSQL_URL ? ['sqlite', 'mysql'] : ['sqlite'];
  return only ? all.filter((d) => only.includes(d)) : all;
}

const created: string[] = [];

export async function freshDatabaseUrl(dialect: TestDialect): Promise<string> {
  if (dialect === 'sqlite') {
    const dir = tempDir('minqing-test-');
    return `sqlite:${path.join(dir, 'test.sqlite')}`;
  }
  const base = process.env.TEST_MYSQL_URL;
  if (!base) throw new Error('TEST_MYSQL_URL is not set');
  const name = `mq_test_${crypto.randomBytes(5).toString('hex')}`;
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(base);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await conn.end();
  created.push(name);
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops the MySQL databases this test file created. */
export async function dropCreatedDatabases(): Promise<void> {
  if (!created.length || !process.env.TEST_MYSQL_URL) return;
  const mysql = await import('mysql2/promise');
  const conn = await mysql.createConnection(process.env.TEST_MYSQL_URL);
  for (const name of created.splice(0)) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  await conn.end();
}
