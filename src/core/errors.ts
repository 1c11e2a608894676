/**
 * Waymark's few named errors. Each carries a stable machine `code`; the API maps codes to HTTP statuses
 * in one table (`src/api/`), and every `catch` normalises what it gets into one of these.
 */

/** One problem with an input, naming where it is. */
export interface Issue {
  /** Where the problem is, e.g. `nodes[3].wait.duration` or `body.events[12].eventId`. */
  readonly path: string;
  /** A stable machine code, e.g. `dangling_edge`, `invalid_duration`. */
  readonly code: string;
  readonly message: string;
  /** The node the problem is in, for journey definitions. */
  readonly nodeId?: string;
}

/** Stable codes of the named errors. */
export const ErrorCode = {
  validation: "validation_failed",
  notFound: "not_found",
  conflict: "conflict",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Base of Waymark's named errors. */
export abstract class WaymarkError extends Error {
  abstract readonly code: ErrorCode;
}

/** Bad input: one issue per problem. Nothing was written. */
export class ValidationError extends WaymarkError {
  override readonly name = "ValidationError";
  readonly code = ErrorCode.validation;
  constructor(
    readonly issues: readonly Issue[],
    options?: { cause?: unknown },
  ) {
    super(issues.map((i) => `${i.path}: ${i.message}`).join("; ") || "invalid input", options);
  }
}

/** The named thing does not exist (in this workspace). */
export class NotFoundError extends WaymarkError {
  override readonly name = "NotFoundError";
  readonly code = ErrorCode.notFound;
  constructor(
    readonly entity: string,
    readonly id: string,
  ) {
    super(`${entity} ${id} not found`);
  }
}

/**
 * The current state forbids the operation (publishing a stopped version, editing a live one).
 * `current` names the state; `allowed` says what can be done instead.
 */
export class ConflictError extends WaymarkError {
  override readonly name = "ConflictError";
  readonly code = ErrorCode.conflict;
  constructor(
    message: string,
    readonly current: string,
    readonly allowed: readonly string[] = [],
  ) {
    super(message);
  }
}
