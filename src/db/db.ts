import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Dialect, dialectOf, isUniqueViolation } from './data-source';

type SqliteStatement = { run(...params: unknown[]): unknown };
type SqliteConnection = { prepare(sql: string): SqliteStatement };

/**
 * The database as the rest of the app sees it: transactions and a few dialect-aware helpers.
 *
 * SQLite (better-sqlite3) runs every query on one connection, so a write issued while another
 * task's transaction is open would silently join that transaction (and be rolled back with it).
 * On SQLite every write therefore runs under one in-process lock; MySQL gets real concurrent
 * transactions from its pool.
 */
export class Db {
  readonly dialect: Dialect;
  private chain: Promise<unknown> = Promise.resolve();
  private stmtConn: SqliteConnection | null = null;
  private readonly stmts = new Map<string, SqliteStatement>();

  constructor(readonly ds: DataSource, url?: string) {
    this.dialect = url ? dialectOf(url) : ds.options.type === 'mysql' ? 'mysql' : 'sqlite';
  }

  /** Runs `fn` alone on SQLite; directly on MySQL. For single writes outside a transaction. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dialect !== 'sqlite') return fn();
    const run = this.chain.then(fn, fn);
    this.chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** A transaction; everything written through `em` commits or rolls back together. */
  tx<T>(fn: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => this.ds.transaction(fn));
  }

  /** Plain read query (no lock needed). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.ds.query(sql, params);
  }

  /**
   * INSERT that reports a unique-key collision instead of throwing: `true` if the row was written,
   * `false` if a row with the same unique key already exists.
   */
  async insertUnique(table: string, row: Record<string, unknown>): Promise<boolean> {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${this.quote(table)} (${cols.map((c) => this.quote(c)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    const values = Object.values(row);
    try {
      await this.exclusive(async () => (this.dialect === 'sqlite' ? this.runPrepared(sql, values) : this.ds.query(sql, values)));
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  /**
   * SQLite: runs `sql` on the better-sqlite3 connection TypeORM itself uses, as a statement prepared
   * once per SQL text — the webhook ack path's INSERT without TypeORM's per-query machinery (query
   * runner, broadcaster, async hops). Booleans are bound as 0/1 and errors thrown as a
   * QueryFailedError around the driver's error, as `ds.query` does.
   */
  private runPrepared(sql: string, params: unknown[]): void {
    const conn = (this.ds.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    if (this.stmtConn !== conn) {
      this.stmts.clear();
      this.stmtConn = conn;
    }
    let stmt = this.stmts.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      this.stmts.set(sql, stmt);
    }
    const values = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    try {
      stmt.run(...values);
    } catch (e) {
      throw new QueryFailedError(sql, values, e as Error);
    }
  }

  quote(name: string): string {
    return this.dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
  }

  async ping(): Promise<boolean> {
    try {
      await this.ds.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
