import { existsSync } from "node:fs";
import type { Command } from "commander";
import { createSqliteStore, type SchemaStatus, type Store } from "../../store/index.js";
import { CliInputError } from "../cli-error.js";
import type { CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { openStore } from "../open-store.js";
import { addDatabaseOptions, type DatabaseFlags } from "../process-options.js";
import { compileDatabaseConfig } from "../process-config.js";
import { reachStore, schemaRefusal } from "../schema-policy.js";
import { describeStoreTarget, type StoreTarget } from "../store-target.js";

interface MigrateFlags extends DatabaseFlags {
  check?: boolean;
}

/**
 * `waymark migrate`: apply the schema migrations this build ships (idempotent), or with `--check` only
 * report where the schema stands and exit 0 when it is current, 1 otherwise.
 */
export function registerMigrateCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("migrate")
    .description("apply the database schema migrations (PostgreSQL processes never migrate by themselves)")
    .option("--check", "only report the schema's state; exit 0 when current, 1 when behind or ahead");
  addDatabaseOptions(command).action(async (flags: MigrateFlags) => {
    const { store: target } = compileDatabaseConfig(flags, ctx.io.env);
    const where = describeStoreTarget(target);
    if (flags.check) {
      const status = await checkSchema(target);
      writeLine(ctx.io.stdout, `${where}: ${describeStatus(status)}`);
      if (status.state !== "current") ctx.fail(1);
      return;
    }
    await withStore(target, async (store) => {
      const before = await reachStore(target, () => store.schemaStatus());
      if (before.state === "ahead") throw new CliInputError(schemaRefusal(before));
      if (before.state === "current") {
        writeLine(ctx.io.stdout, `${where}: schema already at migration ${before.applied} (current)`);
        return;
      }
      await reachStore(target, () => store.migrate());
      const after = await store.schemaStatus();
      writeLine(
        ctx.io.stdout,
        `${where}: schema migrated from ${before.applied} to ${after.applied} (${after.state})`,
      );
    });
  });
}

/** The schema status, without creating a SQLite file that is not there yet (nothing applied). */
async function checkSchema(target: StoreTarget): Promise<SchemaStatus> {
  if (target.kind === "sqlite" && !existsSync(target.path)) {
    const blank = createSqliteStore({ path: ":memory:" });
    try {
      return await blank.schemaStatus();
    } finally {
      await blank.close();
    }
  }
  return withStore(target, (store) => reachStore(target, () => store.schemaStatus()));
}

async function withStore<T>(target: StoreTarget, use: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(target, "migrate");
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

function describeStatus(status: SchemaStatus): string {
  switch (status.state) {
    case "current":
      return `schema at migration ${status.applied} (current)`;
    case "behind":
      return `schema behind: ${schemaRefusal(status)}`;
    case "ahead":
      return `schema ahead: ${schemaRefusal(status)}`;
  }
}
