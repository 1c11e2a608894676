import { join } from "node:path";
import { CliInputError } from "./cli-error.js";

/**
 * Which database a process opens: the embedded SQLite file, or a PostgreSQL server that many processes
 * share. Chosen once, at the edge, by `compileStoreTarget`.
 */
export type StoreTarget =
  | {
      readonly kind: "sqlite";
      /** Absolute path of the database file, `<dataDir>/waymark.db`. */
      readonly path: string;
    }
  | {
      readonly kind: "postgres";
      /** The connection string as given. Holds the password: never print it; print `shown` instead. */
      readonly connectionString: string;
      /** The connection string with its password replaced by `***`. */
      readonly shown: string;
    };

/** Name of the SQLite file inside the data directory. */
const SQLITE_FILE = "waymark.db";

/**
 * Pick the store: a `postgres://` or `postgresql://` URL from `--database-url` (first) or
 * `WAYMARK_DATABASE_URL` selects PostgreSQL; no URL selects SQLite in `dataDir` (absolute).
 * Throws `CliInputError` naming the option (the flag, or the variable it came from) for any other URL.
 */
export function compileStoreTarget(
  databaseUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  dataDir: string,
): StoreTarget {
  const fromFlag = databaseUrl !== undefined;
  const url = databaseUrl ?? env["WAYMARK_DATABASE_URL"];
  if (url === undefined || (!fromFlag && url.trim() === "")) {
    return { kind: "sqlite", path: join(dataDir, SQLITE_FILE) };
  }
  const option = fromFlag ? "--database-url" : "WAYMARK_DATABASE_URL";
  const shown = redactUrl(url.trim());
  if (!URL.canParse(url.trim())) {
    throw new CliInputError(
      `${option}: "${shown}" is not a URL; use e.g. postgres://user:password@db.example.com:5432/waymark`,
    );
  }
  const protocol = new URL(url.trim()).protocol;
  if (protocol !== "postgres:" && protocol !== "postgresql:") {
    throw new CliInputError(
      `${option}: "${shown}" must start with postgres:// or postgresql://; leave it out to use SQLite in --data-dir`,
    );
  }
  return { kind: "postgres", connectionString: url.trim(), shown };
}

/** How a start line or an error names the target: `sqlite <path>` or `postgres <redacted URL>`. */
export function describeStoreTarget(target: StoreTarget): string {
  return target.kind === "sqlite" ? `sqlite ${target.path}` : `postgres ${target.shown}`;
}

/**
 * Replace the password of a URL-like text with `***`: the `user:password@` part and `password=` query
 * parameters. Works on text that does not parse as a URL, and errs on the side of hiding: with an `@`
 * after the host, everything from the first `:` of the user part to the last `@` is hidden.
 * @example redactUrl("postgres://app:s3cret@db:5432/waymark") // "postgres://app:***@db:5432/waymark"
 */
export function redactUrl(text: string): string {
  const query = text.replace(/([?&](?:ssl)?password=)[^&#]*/gi, "$1***");
  const scheme = query.indexOf("://");
  if (scheme < 0) return query;
  const rest = query.slice(scheme + 3);
  const at = rest.lastIndexOf("@");
  const colon = rest.indexOf(":");
  if (at < 0 || colon < 0 || colon > at) return query;
  return `${query.slice(0, scheme + 3)}${rest.slice(0, colon)}:***${rest.slice(at)}`;
}

/**
 * Hide the target's password in a message that came from elsewhere (a driver error): the connection
 * string, and the password itself (raw or percent-decoded), wherever they occur.
 */
export function redactTarget(target: StoreTarget, message: string): string {
  if (target.kind === "sqlite") return message;
  let out = message.split(target.connectionString).join(target.shown);
  const parsed = URL.canParse(target.connectionString) ? new URL(target.connectionString) : null;
  const passwords = [parsed?.password ?? "", parsed?.searchParams.get("password") ?? ""];
  for (const secret of new Set([...passwords, ...passwords.map(safeDecode)])) {
    if (secret.length > 0) out = out.split(secret).join("***");
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
