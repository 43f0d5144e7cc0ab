import type Database from 'better-sqlite3';
import type { StoredRecord } from '../stored-values.js';

/**
 * What every account store in SQLite has: the database, its statements prepared once each for the
 * life of the store (a statement is compiled on first use, not on every call), and rows read as
 * records through their schema.
 */
export abstract class SqliteStore {
  protected readonly db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.db = db;
  }

  /** The prepared statement of `source`. */
  protected sql(source: string): Database.Statement {
    let statement = this.#statements.get(source);
    if (!statement) {
      statement = this.db.prepare(source);
      this.#statements.set(source, statement);
    }
    return statement;
  }

  /** Every row a query returns, each read as a record. */
  protected rows<T>(record: StoredRecord<T>, source: string, ...params: unknown[]): T[] {
    return this.sql(source).all(...params).map(record.fromRow);
  }

  /** The row a query returns read as a record, or undefined when there is none. */
  protected row<T>(record: StoredRecord<T>, source: string, ...params: unknown[]): T | undefined {
    const row = this.sql(source).get(...params);
    return row === undefined ? undefined : record.fromRow(row);
  }
}
