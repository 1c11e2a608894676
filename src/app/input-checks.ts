import { ConditionSchema, validateDefinition, ValidationError } from "../core/index.js";
import type { Condition, Issue, JsonObject, Millis } from "../core/index.js";

/** An issue of a definition, as a path in a command: under `definition`. */
export function underDefinition(issue: Issue): Issue {
  if (issue.path === "") return { ...issue, path: "definition" };
  const sep = issue.path.startsWith("[") ? "" : ".";
  return { ...issue, path: `definition${sep}${issue.path}` };
}

/** Throw a `ValidationError` with every issue of the definition, paths under `definition`. */
export function assertValidDefinition(definition: JsonObject): void {
  const issues = validateDefinition(definition);
  if (issues.length > 0) throw new ValidationError(issues.map(underDefinition));
}

/** Run `operation`; a `ValidationError` it throws names its paths under `definition`. */
export async function definitionIssues<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof ValidationError) {
      throw new ValidationError(err.issues.map(underDefinition), { cause: err });
    }
    throw err;
  }
}

/** Who acts and why: both required, neither blank. */
export function checkActorReason(
  input: { readonly actor: string; readonly reason: string },
  issues: Issue[],
): void {
  if (typeof input.actor !== "string" || input.actor.trim() === "") {
    issues.push({ path: "actor", code: "required", message: "say who acts (a user or API key name)" });
  }
  if (typeof input.reason !== "string" || input.reason.trim() === "") {
    issues.push({ path: "reason", code: "required", message: "a lifecycle operation needs a reason" });
  }
}

/** Who acts: required, not blank. */
export function checkActor(actor: string, issues: Issue[]): void {
  if (typeof actor !== "string" || actor.trim() === "") {
    issues.push({ path: "actor", code: "required", message: "say who acts (a user or API key name)" });
  }
}

/** A pause's end: in the future, and `then` one of resume or stop. */
export function checkPause(
  pause: { readonly until: Millis | null; readonly then: string } | undefined,
  now: Millis,
  issues: Issue[],
): void {
  if (pause === undefined) return;
  if (pause.until !== null && (!Number.isFinite(pause.until) || pause.until <= now)) {
    issues.push({ path: "until", code: "in_the_past", message: "the pause must end in the future" });
  }
  if (pause.then !== "resume" && pause.then !== "stop") {
    issues.push({ path: "then", code: "invalid", message: "a pause ends with resume or stop" });
  }
}

/** A resume's release rate and skip age: positive finite numbers, or null. */
export function checkResume(
  resume: { readonly ratePerSecond: number | null; readonly skipOlderThanMs: number | null } | undefined,
  issues: Issue[],
): void {
  if (resume === undefined) return;
  const { ratePerSecond, skipOlderThanMs } = resume;
  if (ratePerSecond !== null && !(Number.isFinite(ratePerSecond) && ratePerSecond > 0)) {
    issues.push({
      path: "ratePerSecond",
      code: "not_positive",
      message: "the release rate must be above zero",
    });
  }
  if (skipOlderThanMs !== null && !(Number.isFinite(skipOlderThanMs) && skipOlderThanMs > 0)) {
    issues.push({ path: "skipOlderThan", code: "not_positive", message: "the skip age must be above zero" });
  }
}

/** A removal names profiles or gives a filter, exactly one of the two; the filter must parse. */
export function checkRemoval(
  input: { readonly profileIds?: readonly string[] | undefined; readonly filter?: Condition | undefined },
  issues: Issue[],
): void {
  const byIds = input.profileIds !== undefined;
  const byFilter = input.filter !== undefined;
  if (byIds === byFilter) {
    issues.push({
      path: "profileIds",
      code: "one_of",
      message: "name the profiles (profileIds) or give a profile filter (filter), not both and not neither",
    });
    return;
  }
  if (byIds) {
    if (input.profileIds.length === 0) {
      issues.push({ path: "profileIds", code: "empty", message: "name at least one profile" });
    }
    input.profileIds.forEach((id, i) => {
      if (typeof id !== "string" || id.trim() === "") {
        issues.push({ path: `profileIds[${i}]`, code: "required", message: "a profile id cannot be blank" });
      }
    });
  } else if (!ConditionSchema.safeParse(input.filter).success) {
    issues.push({
      path: "filter",
      code: "invalid_condition",
      message: "the filter is not a valid condition",
    });
  }
}

/** Throw a `ValidationError` if any issue was found. */
export function throwIfIssues(issues: readonly Issue[]): void {
  if (issues.length > 0) throw new ValidationError(issues);
}
