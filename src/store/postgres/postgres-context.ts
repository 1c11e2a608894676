import type { Store, TestableStore } from "../store.js";
import {
  read,
  transaction,
  type CommitWith,
  type Durability,
  type PgPool,
  type PostgresStoreOptions,
  type Tx,
} from "./postgres-db.js";

/** What every operation module of the adapter gets: the pool and the two ways to use it. */
export interface PgContext {
  readonly pool: PgPool;
  readonly options: PostgresStoreOptions;
  /**
   * Run `body` in one transaction (see `transaction`): `durable` for acknowledged writes. `lead` is a
   * statement without parameters sent with BEGIN, e.g. `lockVersionLead(id)`. A body that returns a
   * `CommitWith` ends with its statements sent together with COMMIT.
   */
  tx<T>(durability: Durability, body: (tx: Tx) => Promise<T | CommitWith<T>>, lead?: string): Promise<T>;
  /** One statement outside a transaction, for reads. */
  read<R extends object>(text: string, values?: readonly unknown[]): Promise<R[]>;
}

/** Build the context over a pool. */
export function createPgContext(pool: PgPool, options: PostgresStoreOptions): PgContext {
  return {
    pool,
    options,
    tx: (durability, body, lead) => transaction(pool, options, durability, body, lead),
    read: (text, values) => read(pool, text, values),
  };
}

/** The manual clock's time, journeys, versions, profiles, events, runs, schedules, results and the dev mailbox. */
export type CatalogOps = Pick<
  Store,
  | "manualClockTime"
  | "saveManualClock"
  | "ensureWorkspace"
  | "getWorkspace"
  | "listWorkspaces"
  | "createJourney"
  | "getJourney"
  | "listJourneys"
  | "listVersions"
  | "getVersion"
  | "updateDraft"
  | "createDraftVersion"
  | "publishVersion"
  | "listActiveVersions"
  | "upsertProfiles"
  | "getProfile"
  | "scanProfiles"
  | "appendEvents"
  | "createRun"
  | "getRun"
  | "listRuns"
  | "claimRun"
  | "writeRunPage"
  | "releaseRun"
  | "dueSchedules"
  | "setScheduleNext"
  | "takeScheduleFiring"
  | "nodeStats"
  | "getEnrollment"
  | "listEnrollments"
  | "timeline"
  | "saveDevEmail"
  | "listDevEmails"
>;

/** The engine's hot path: matching, enrolling, stepping and the outbox. */
export type EngineOps = Pick<
  Store,
  "matchEvents" | "enroll" | "advanceDue" | "nextDueAt" | "claimOutbox" | "completeOutbox" | "renewLeases"
>;

/** Lifecycle transitions, the sweep, counts, audit and notifications. */
export type LifecycleOps = Pick<
  TestableStore,
  | "changeVersionStatus"
  | "abortRun"
  | "removeFromFlow"
  | "archiveVersion"
  | "sweep"
  | "finishDrained"
  | "duePauses"
  | "versionCounts"
  | "listOutbox"
  | "recordAudit"
  | "listAudit"
  | "listNotifications"
  | "addNotification"
  | "claimNotifications"
  | "markNotificationsDelivered"
>;
