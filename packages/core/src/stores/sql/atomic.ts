import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely, Transaction } from 'kysely';

interface Scope<DB> {
  trx: Transaction<DB>;
  /** Set once the transaction has committed or rolled back: late callbacks use the pool again. */
  finished: boolean;
}

export interface TransactionScoped<DB> {
  /** Use in place of the database: inside `atomically`, every query runs in its transaction. */
  db: Kysely<DB>;
  /** Runs `work` in one transaction: every store write inside commits together or not at all. */
  atomically: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Lets a flow that spans several stores (signup: the user row and the first session or
 * token family) be all-or-nothing without each store taking a transaction argument: the
 * stores hold a stand-in for the database that, inside `atomically`, forwards to the
 * current transaction. A store's own `db.transaction()` joins the outer one.
 */
export function transactionScoped<DB>(base: Kysely<DB>): TransactionScoped<DB> {
  const scopes = new AsyncLocalStorage<Scope<DB>>();
  const openScope = (): Scope<DB> | undefined => {
    const scope = scopes.getStore();
    return scope === undefined || scope.finished ? undefined : scope;
  };

  const joinedTransaction = (trx: Transaction<DB>) => ({
    setIsolationLevel() {
      return this;
    },
    execute: <T>(work: (inner: Transaction<DB>) => Promise<T>): Promise<T> => work(trx),
  });

  const db = new Proxy(base, {
    get(_target, property) {
      const scope = openScope();
      if (scope !== undefined && property === 'transaction') return () => joinedTransaction(scope.trx);
      const target: Kysely<DB> = scope?.trx ?? base;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });

  return {
    db,
    atomically: async <T>(work: () => Promise<T>): Promise<T> => {
      if (openScope() !== undefined) return work();
      return base.transaction().execute(async (trx) => {
        const scope: Scope<DB> = { trx, finished: false };
        try {
          return await scopes.run(scope, work);
        } finally {
          scope.finished = true;
        }
      });
    },
  };
}
