import { DataSource, QueryFailedError } from 'typeorm';
import { Dialect, dialectOf, isUniqueViolation } from './data-source';
import { Repos } from './repos';
import { SandboxRepo } from './repos/sandbox';

type SqliteStatement = { run(...params: unknown[]): unknown };
type SqliteConnection = { prepare(sql: string): SqliteStatement; readonly inTransaction: boolean };
type PendingInsert = { sql: string; values: unknown[]; resolve: (written: boolean) => void; reject: (e: Error) => void };

/**
 * The database as the rest of the app sees it: transactions and a few dialect-aware helpers.
 *
 * SQLite (better-sqlite3) runs every query on one connection, so a write issued while another
 * task's transaction is open would silently join that transaction (and be rolled back with it).
 * On SQLite every write therefore runs under one in-process lock; MySQL gets real concurrent
 * transactions from its pool.
 */
/** Runs of a transaction after the first one, on a deadlock or lock wait timeout. */
export const TX_RETRIES = 4;
/** The pause before a rerun: this many ms times the rerun's number, ±50 %. */
const TX_PAUSE_MS = 15;

/** MySQL's ER_LOCK_DEADLOCK (1213) and ER_LOCK_WAIT_TIMEOUT (1205): the transaction was rolled back and may simply run again. */
export function isRetryableTxError(e: unknown): boolean {
  const err = e as { errno?: number; code?: string; driverError?: { errno?: number; code?: string } };
  const errno = err?.driverError?.errno ?? err?.errno;
  const code = err?.driverError?.code ?? err?.code;
  return errno === 1213 || errno === 1205 || code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT';
}

export class Db {
  readonly dialect: Dialect;
  /** The repositories outside a transaction: for reads (writes go through `write` or `tx`). */
  readonly read: Repos;
  private readonly committed = new Set<() => void>();
  private chain: Promise<unknown> = Promise.resolve();
  private stmtConn: SqliteConnection | null = null;
  private readonly stmts = new Map<string, SqliteStatement>();
  private readonly pendingInserts: PendingInsert[] = [];

  constructor(readonly ds: DataSource, url?: string) {
    this.dialect = url ? dialectOf(url) : ds.options.type === 'mysql' ? 'mysql' : 'sqlite';
    this.read = new Repos(ds.manager, this.dialect);
  }

  /** Called after every transaction that commits (the outbox's wake-up). Returns a way to stop. */
  onCommit(fn: () => void): () => void {
    this.committed.add(fn);
    return () => this.committed.delete(fn);
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

  /**
   * A transaction; everything written through its repositories commits or rolls back together. On
   * MySQL a deadlock (1213) or a lock wait timeout (1205) rolls the whole transaction back: it is run
   * again from the start, up to TX_RETRIES more times after a short jittered pause, then the error is
   * thrown. `fn` must therefore keep its effects inside the transaction. The commit hooks run once
   * (not at all with `quiet`: bookkeeping that gives the outbox nothing new to send).
   */
  async tx<T>(fn: (r: Repos) => Promise<T>, o: { quiet?: boolean } = {}): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.exclusive(() => this.ds.transaction((em) => fn(new Repos(em, this.dialect))));
        if (!o.quiet) for (const f of this.committed) f();
        return result;
      } catch (e) {
        if (attempt >= TX_RETRIES || !isRetryableTxError(e)) throw e;
        this.retried++;
        await new Promise((r) => setTimeout(r, TX_PAUSE_MS * (attempt + 1) * (0.5 + Math.random())));
      }
    }
  }

  /** How many transactions were run again after a deadlock or lock wait timeout (for tests and logs). */
  retried = 0;

  /** Single writes outside a transaction (alone on SQLite). */
  write<T>(fn: (r: Repos) => Promise<T>): Promise<T> {
    return this.exclusive(() => fn(this.read));
  }

  /** The sandbox platform's own tables, for the user ids of `realm`. */
  sandbox(realm: string): SandboxRepo {
    return new SandboxRepo(this.ds.manager, realm);
  }

  /** Plain read query (no lock needed). */
  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.ds.query(sql, params);
  }

  /**
   * INSERT that reports a unique-key collision instead of throwing: `true` if the row was written,
   * `false` if a row with the same unique key already exists.
   *
   * On SQLite the inserts that arrive within one event-loop turn are written together: one
   * transaction, one WAL commit, instead of one each (what a webhook ack waits for, ~5× cheaper per
   * row in a burst). Each call still resolves only once its row is committed, each row still
   * succeeds or collides on its own (a failed INSERT aborts only itself, not the transaction), and
   * if anything else goes wrong the batch is rolled back and every row is retried on its own.
   */
  async insertUnique(table: string, row: Record<string, unknown>): Promise<boolean> {
    const cols = Object.keys(row);
    const sql = `INSERT INTO ${this.quote(table)} (${cols.map((c) => this.quote(c)).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    const values = Object.values(row);
    if (this.dialect === 'sqlite') {
      return new Promise((resolve, reject) => {
        this.pendingInserts.push({ sql, values, resolve, reject });
        if (this.pendingInserts.length > 1) return;
        // Queued at once (so close() waits for it); runs one turn later, with whatever has come in.
        void this.exclusive(async () => {
          await new Promise((r) => setImmediate(r));
          const batch = this.pendingInserts.splice(0);
          try {
            this.flushInserts(batch);
          } catch (e) {
            // Only if even ROLLBACK failed: no row of the batch is reported written.
            for (const b of batch) b.reject(e as Error);
          }
        });
      });
    }
    try {
      await this.ds.query(sql, values);
      return true;
    } catch (e) {
      if (isUniqueViolation(e)) return false;
      throw e;
    }
  }

  private flushInserts(batch: PendingInsert[]): void {
    let outcomes: (boolean | Error)[] | null = null;
    if (batch.length > 1 && !this.sqlite().inTransaction) {
      try {
        this.prepared('BEGIN').run();
        const tried = batch.map((b) => this.tryInsert(b));
        // Anything but a collision (disk full, a NOT NULL…): undo the batch and go row by row.
        if (tried.some((o) => o instanceof Error)) throw new Error('batch abandoned');
        this.prepared('COMMIT').run();
        outcomes = tried;
      } catch {
        if (this.sqlite().inTransaction) this.prepared('ROLLBACK').run();
      }
    }
    outcomes ??= batch.map((b) => this.tryInsert(b));
    batch.forEach((b, i) => {
      const o = outcomes[i];
      if (o instanceof Error) b.reject(o);
      else b.resolve(o);
    });
  }

  /** One INSERT: true if written, false on a unique-key collision, the error (as ds.query throws it) otherwise. */
  private tryInsert({ sql, values }: PendingInsert): boolean | Error {
    const bound = values.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    try {
      this.prepared(sql).run(...bound);
      return true;
    } catch (e) {
      const err = new QueryFailedError(sql, bound, e as Error);
      return isUniqueViolation(err) ? false : err;
    }
  }

  /** The better-sqlite3 connection TypeORM itself uses. */
  private sqlite(): SqliteConnection {
    return (this.ds.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
  }

  /** A statement prepared once per SQL text on that connection: no TypeORM query machinery per call. */
  private prepared(sql: string): SqliteStatement {
    const conn = this.sqlite();
    if (this.stmtConn !== conn) {
      this.stmts.clear();
      this.stmtConn = conn;
    }
    let stmt = this.stmts.get(sql);
    if (!stmt) {
      stmt = conn.prepare(sql);
      this.stmts.set(sql, stmt);
    }
    return stmt;
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
