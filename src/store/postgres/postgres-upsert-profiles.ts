import type { JsonObject, Millis } from "../../core/index.js";
import type { DbProfile } from "../shared/rows.js";
import type { ProfileInput } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";

/** A profile's stored fields after its inputs are applied; `attributes` is the JSON text. */
interface Fields {
  readonly id: string;
  readonly email: string | null;
  readonly timezone: string | null;
  readonly subscribed: boolean;
  readonly attributes: string;
}

/* A profile inserted by someone else between our read and our insert is read again; more than a few
   rounds means rows vanish as fast as they appear, which no caller does. */
const MAX_ROUNDS = 5;

/**
 * `Store.upsertProfiles`: given fields replace stored ones, attributes merge key by key, in input order
 * (an id given twice is inserted, then updated). One durable transaction with a fixed number of
 * statements: the existing rows are read and locked in id order, merged in memory, then written with one
 * multi-row INSERT and one multi-row UPDATE. The merge happens here rather than in SQL (`jsonb ||`) so
 * that attributes keep their key order, as the SQLite adapter keeps it.
 */
export function makePgUpsertProfiles(
  ctx: PgContext,
): (
  workspaceId: string,
  profiles: readonly ProfileInput[],
  now: Millis,
) => Promise<{ inserted: number; updated: number }> {
  return (workspaceId, profiles, now) =>
    ctx.tx("durable", async (tx) => {
      const inputs = new Map<string, ProfileInput[]>();
      for (const p of profiles) {
        const list = inputs.get(p.id);
        if (list) list.push(p);
        else inputs.set(p.id, [p]);
      }
      const inputsOf = (id: string): ProfileInput[] => inputs.get(id) ?? [];
      let todo = [...inputs.keys()].sort();
      let inserted = 0;
      let updated = 0;
      const updates: Fields[] = [];
      for (let round = 1; todo.length > 0; round++) {
        if (round > MAX_ROUNDS)
          throw new Error(`profiles kept changing while being upserted: ${todo.join(", ")}`);
        const existing = await lockExisting(tx, workspaceId, todo);
        const fresh: Fields[] = [];
        for (const id of todo) {
          const row = existing.get(id);
          const fields = apply(row ? fieldsOf(row) : null, inputsOf(id));
          if (!fields) continue;
          if (row) {
            updates.push(fields);
            updated += inputsOf(id).length;
          } else {
            fresh.push(fields);
          }
        }
        const written = await insertNew(tx, workspaceId, fresh, now);
        for (const id of written) {
          inserted += 1;
          updated += inputsOf(id).length - 1;
        }
        todo = fresh.map((f) => f.id).filter((id) => !written.has(id));
      }
      await updateExisting(tx, workspaceId, updates, now);
      return { inserted, updated };
    });
}

function fieldsOf(row: DbProfile): Fields {
  return {
    id: row.id,
    email: row.email,
    timezone: row.timezone,
    subscribed: row.subscribed !== 0 && row.subscribed !== false,
    attributes: row.attributes,
  };
}

/** Apply inputs in order to the stored fields (null: not stored yet, the first input inserts). */
function apply(stored: Fields | null, inputs: readonly ProfileInput[]): Fields | null {
  let fields = stored;
  for (const p of inputs) {
    fields =
      fields === null
        ? {
            id: p.id,
            email: p.email ?? null,
            timezone: p.timezone ?? null,
            subscribed: p.subscribed !== false,
            attributes: JSON.stringify(p.attributes ?? {}),
          }
        : {
            id: fields.id,
            email: p.email === undefined ? fields.email : p.email,
            timezone: p.timezone === undefined ? fields.timezone : p.timezone,
            subscribed: p.subscribed === undefined ? fields.subscribed : p.subscribed,
            attributes:
              p.attributes === undefined
                ? fields.attributes
                : JSON.stringify({ ...(JSON.parse(fields.attributes) as JsonObject), ...p.attributes }),
          };
  }
  return fields;
}

async function lockExisting(
  tx: Tx,
  workspaceId: string,
  ids: readonly string[],
): Promise<Map<string, DbProfile>> {
  const rows = await tx.query<DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE",
    [workspaceId, ids],
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Insert the new profiles; returns the ids inserted (a row committed meanwhile by another is skipped). */
async function insertNew(
  tx: Tx,
  workspaceId: string,
  rows: readonly Fields[],
  now: Millis,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const written = await tx.query<{ id: string }>(
    `INSERT INTO profiles (workspace_id, id, email, timezone, subscribed, attributes, created_at, updated_at)
     SELECT $1, id, email, timezone, subscribed, attributes, $2, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[])
            AS t (id, email, timezone, subscribed, attributes)
      ORDER BY id
     ON CONFLICT (workspace_id, id) DO NOTHING
     RETURNING id`,
    [workspaceId, now, ...columns(rows)],
  );
  return new Set(written.map((r) => r.id));
}

async function updateExisting(
  tx: Tx,
  workspaceId: string,
  rows: readonly Fields[],
  now: Millis,
): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE profiles AS p
        SET email = t.email, timezone = t.timezone, subscribed = t.subscribed, attributes = t.attributes,
            updated_at = $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[])
            AS t (id, email, timezone, subscribed, attributes)
      WHERE p.workspace_id = $1 AND p.id = t.id`,
    [workspaceId, now, ...columns(rows)],
  );
}

function columns(rows: readonly Fields[]): unknown[] {
  return [
    rows.map((r) => r.id),
    rows.map((r) => r.email),
    rows.map((r) => r.timezone),
    rows.map((r) => r.subscribed),
    rows.map((r) => r.attributes),
  ];
}
