import { DEFAULT_RETRY_POLICY } from "../definition/compile.js";
import type { CompiledJourney, CompiledNode } from "../definition/compiled-journey.js";
import type {
  ActionResult,
  ActiveEnrollment,
  Awaiting,
  EndedEnrollment,
  Effect,
  ExitReason,
  JsonObject,
  LogEntry,
  Millis,
  Profile,
  StepInput,
  StepResult,
} from "../types.js";
import { webhookUrlError } from "../definition/webhook-url.js";
import { LazyScope, renderBody, renderSet, templateScope } from "./render.js";
import { splitBucket } from "./split-bucket.js";
import { waitUntilTarget } from "./wait-until.js";

/** What `advance` needs besides the enrollment: the time, and the enrollment's profile as stored now. */
export interface AdvanceContext {
  readonly now: Millis;
  readonly profile: Profile;
}

/**
 * At most this many transitions happen in one `advance`. Validation forbids loops without a wait, so
 * this only guards against a bug: the enrollment is parked, due at once, and goes on at the next step.
 */
export const MAX_TRANSITIONS_PER_ADVANCE = 1000;

type Results = { readonly [nodeId: string]: ActionResult };

/** The mutable state of one advance. */
class Step {
  seq: number;
  results: Results;
  profile: Profile;
  readonly log: LogEntry[] = [];
  readonly effects: Effect[] = [];

  constructor(
    readonly journey: CompiledJourney,
    readonly enrollment: ActiveEnrollment,
    readonly now: Millis,
    profile: Profile,
  ) {
    this.seq = enrollment.seq;
    this.results = enrollment.context.results;
    this.profile = profile;
  }

  record(nodeId: string, outcome: LogEntry["outcome"], resumed: boolean, detail?: JsonObject): void {
    this.log.push(
      detail === undefined
        ? { nodeId, at: this.now, outcome, resumed }
        : { nodeId, at: this.now, outcome, resumed, detail },
    );
    this.seq++;
  }

  setResult(nodeId: string, result: ActionResult): void {
    this.results = withKey(this.results, nodeId, result);
  }

  private context() {
    const c = this.enrollment.context;
    return c.results === this.results ? c : { event: c.event, results: this.results };
  }

  /* Both builders list the fields one by one: object rest (`{ dueAt, ...base }`) is slow in V8 and this
     is the hot path; an explicit literal also keeps every enrollment object the same shape. */
  park(nodeId: string, dueAt: Millis | null, awaiting: Awaiting | null): StepResult {
    const e = this.enrollment;
    const enrollment: ActiveEnrollment = {
      id: e.id,
      workspaceId: e.workspaceId,
      journeyId: e.journeyId,
      versionId: e.versionId,
      runId: e.runId,
      profileId: e.profileId,
      nodeId,
      seq: this.seq,
      enteredAt: e.enteredAt,
      context: this.context(),
      status: "active",
      dueAt,
      awaiting,
    };
    return { enrollment, effects: this.effects, log: this.log };
  }

  end(nodeId: string, exitReason: ExitReason): StepResult {
    const e = this.enrollment;
    const enrollment: EndedEnrollment = {
      id: e.id,
      workspaceId: e.workspaceId,
      journeyId: e.journeyId,
      versionId: e.versionId,
      runId: e.runId,
      profileId: e.profileId,
      nodeId,
      seq: this.seq,
      enteredAt: e.enteredAt,
      context: this.context(),
      status: "ended",
      endedAt: this.now,
      exitReason,
    };
    return { enrollment, effects: this.effects, log: this.log };
  }
}

/* A copy of a JSON object with one key set. Assignment, not spread: see `park`. */
function withKey<V>(source: { readonly [key: string]: V }, key: string, value: V): { [key: string]: V } {
  const out: { [key: string]: V } = {};
  for (const k of Object.keys(source)) if (k !== "__proto__") out[k] = source[k]!;
  if (key !== "__proto__") out[key] = value;
  return out;
}

/** Where to go after a node: on to a node, or parked/ended with the step's result. */
type Next = string | StepResult;

function unchanged(enrollment: ActiveEnrollment): StepResult {
  return { enrollment, effects: [], log: [] };
}

function iso(at: Millis): string {
  return new Date(at).toISOString();
}

function failure(step: Step, node: Extract<CompiledNode, { kind: "action" }>): Next {
  return node.onFailure ?? step.end(node.id, "failed");
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/* Resume the node the enrollment was parked at. Returns null when the input does not fit it. */
function resume(step: Step, node: CompiledNode, input: StepInput): Next | null {
  switch (node.kind) {
    case "entry":
      if (input.type === "action_result") return null;
      step.record(node.id, "completed", false);
      return node.next;
    case "wait_duration":
    case "wait_until":
      if (input.type !== "due") return null;
      step.record(node.id, "completed", true);
      return node.next;
    case "wait_event":
      if (input.type === "due") {
        step.record(node.id, "completed", true, { timedOut: true });
        return node.onTimeout;
      }
      if (input.type !== "event" || input.event.name !== node.event) return null;
      if (
        node.filter &&
        !node.filter({
          profile: step.profile,
          event: input.event,
          entry: step.enrollment.context.event,
          results: step.results,
        })
      ) {
        return null;
      }
      step.record(node.id, "completed", true, { event: input.event.name, eventId: input.event.eventId });
      return node.next;
    case "action": {
      const awaiting = step.enrollment.awaiting;
      if (
        input.type !== "action_result" ||
        awaiting?.type !== "action" ||
        awaiting.outboxId !== input.outboxId
      )
        return null;
      const result = input.result;
      step.setResult(node.id, result);
      if (result.ok) {
        step.record(
          node.id,
          "completed",
          true,
          result.status === undefined
            ? { outboxId: input.outboxId }
            : { outboxId: input.outboxId, status: result.status },
        );
        return node.next;
      }
      /* A send that never reached its channel (a stale one skipped on resume) did not fail: the
         enrollment goes on, as it does past an email skipped for an unsubscribed profile. */
      if (result.skipped === true) {
        step.record(node.id, "completed", true, { outboxId: input.outboxId, skipped: result.error });
        return node.next;
      }
      step.record(
        node.id,
        "failed",
        true,
        result.status === undefined
          ? { outboxId: input.outboxId, error: result.error }
          : { outboxId: input.outboxId, error: result.error, status: result.status },
      );
      return failure(step, node);
    }
    default:
      /* Not a node anyone parks at: run it as an arrival (this is also how the transition cap resumes). */
      return arrive(step, node);
  }
}

function runAction(step: Step, node: Extract<CompiledNode, { kind: "action" }>): Next {
  const { enrollment, now } = step;
  const action = node.action;
  const profile = step.profile;
  const scope = new LazyScope(() => templateScope(profile, enrollment.context.event, step.results));
  const outboxId = `${enrollment.id}:${step.seq}`;
  try {
    switch (action.type) {
      case "update_profile": {
        const set = renderSet(action, scope);
        step.effects.push({ type: "update_profile", profileId: profile.id, set });
        const attributes: JsonObject = {};
        for (const source of [profile.attributes, set]) {
          for (const key of Object.keys(source)) if (key !== "__proto__") attributes[key] = source[key];
        }
        step.profile = {
          workspaceId: profile.workspaceId,
          id: profile.id,
          email: profile.email,
          timezone: profile.timezone,
          subscribed: profile.subscribed,
          attributes,
          createdAt: profile.createdAt,
          updatedAt: profile.updatedAt,
        };
        step.record(node.id, "completed", false);
        return node.next;
      }
      case "webhook": {
        const headers: Record<string, string> = {};
        for (const [name, value] of action.headers) headers[name] = scope.render(value);
        if (action.contentType !== null) headers["content-type"] = action.contentType;
        const url = scope.render(action.url);
        /* A URL without markup was checked at validation; a rendered one is checked for this profile. */
        const badUrl = typeof action.url === "string" ? null : webhookUrlError(url);
        if (badUrl !== null) {
          const error = `webhook URL rendered as ${badUrl}`;
          step.setResult(node.id, { ok: false, at: now, error, attempts: 0 });
          step.record(node.id, "failed", false, { error });
          return failure(step, node);
        }
        const request = {
          url,
          method: action.method,
          headers,
          body: renderBody(action.body, scope),
          timeoutMs: action.timeoutMs,
        };
        step.effects.push({
          type: "dispatch",
          outboxId,
          nodeId: node.id,
          payload: { channel: "webhook", request },
          retry: action.retry,
        });
        step.record(node.id, "waiting", false, { outboxId });
        return step.park(node.id, null, { type: "action", outboxId });
      }
      case "email": {
        if (!profile.subscribed) {
          step.setResult(node.id, { ok: false, at: now, error: "unsubscribed", attempts: 0, skipped: true });
          step.record(node.id, "completed", false, { skipped: "unsubscribed" });
          return node.next;
        }
        const to = action.to === null ? profile.email : scope.render(action.to).trim();
        if (!to) {
          step.setResult(node.id, { ok: false, at: now, error: "no_address", attempts: 0, skipped: true });
          step.record(node.id, "failed", false, { skipped: "no_address" });
          return failure(step, node);
        }
        const message = {
          to,
          from: action.from,
          subject: scope.render(action.subject),
          html: action.html === null ? null : scope.render(action.html),
          text: action.text === null ? null : scope.render(action.text),
        };
        step.effects.push({
          type: "dispatch",
          outboxId,
          nodeId: node.id,
          payload: { channel: "email", message },
          retry: DEFAULT_RETRY_POLICY,
        });
        step.record(node.id, "waiting", false, { outboxId });
        return step.park(node.id, null, { type: "action", outboxId });
      }
    }
  } catch (err) {
    /* A template that parsed can still fail to render (a filter given a bad value): the action fails. */
    const error = `template render failed: ${errorMessage(err)}`;
    step.setResult(node.id, { ok: false, at: now, error, attempts: 0 });
    step.record(node.id, "failed", false, { error });
    return failure(step, node);
  }
}

/* Execute a node the enrollment has just reached. */
function arrive(step: Step, node: CompiledNode): Next {
  const { now, enrollment } = step;
  switch (node.kind) {
    case "entry":
      step.record(node.id, "completed", false);
      return node.next;
    case "wait_duration": {
      const dueAt = now + node.durationMs;
      step.record(node.id, "waiting", false, { until: iso(dueAt) });
      return step.park(node.id, dueAt, null);
    }
    case "wait_until": {
      const target = waitUntilTarget(node, step.profile);
      if ("skip" in target) {
        step.record(node.id, "completed", false, { skipped: target.skip });
        return node.next;
      }
      if (target.at <= now) {
        step.record(node.id, "completed", false, { until: iso(target.at), past: true });
        return node.next;
      }
      step.record(node.id, "waiting", false, { until: iso(target.at) });
      return step.park(node.id, target.at, null);
    }
    case "wait_event": {
      const dueAt = now + node.timeoutMs;
      step.record(node.id, "waiting", false, { event: node.event, until: iso(dueAt) });
      return step.park(node.id, dueAt, { type: "event", name: node.event });
    }
    case "condition": {
      const facts = {
        profile: step.profile,
        event: enrollment.context.event,
        entry: enrollment.context.event,
        results: step.results,
      };
      for (const branch of node.branches) {
        if (branch.when(facts)) {
          step.record(node.id, "completed", false, { branch: branch.label });
          return branch.next;
        }
      }
      step.record(node.id, "completed", false, { branch: "else" });
      return node.else;
    }
    case "split": {
      const bucket = splitBucket(enrollment.journeyId, node.id, enrollment.profileId);
      const path = node.paths.find((p) => bucket < p.upTo) ?? node.paths[node.paths.length - 1]!;
      step.record(node.id, "completed", false, { path: path.label });
      return path.next;
    }
    case "action":
      return runAction(step, node);
    case "remove_from_flow": {
      const journeys =
        node.journeys === "all" ? "all" : node.journeys.filter((j) => j !== enrollment.journeyId);
      if (journeys === "all" || journeys.length > 0) {
        step.effects.push({
          type: "remove_from_flow",
          profileId: step.profile.id,
          journeys,
          logIndex: step.log.length,
        });
        /* The store, which ends the enrollments, adds how many to this entry. */
        step.record(node.id, "completed", false);
      } else {
        step.record(node.id, "completed", false, { removed: 0 });
      }
      return node.next;
    }
    case "exit":
      step.record(node.id, "completed", false);
      return step.end(node.id, "completed");
  }
}

/**
 * Move one enrollment as far as it goes: pure, no I/O, deterministic in its arguments.
 *
 * It resumes the node the enrollment is at with `input` (a timer, an event, an action result), then runs
 * the following nodes until the enrollment parks (a wait, an action awaiting its result) or ends. Each
 * node executed adds one log entry and raises `seq` by one; an action's outbox id is
 * `${enrollment.id}:${seq}` with the seq of its transition, so re-running a step gives the same id and
 * re-visiting the node in a loop a new one.
 *
 * An input that does not fit where the enrollment is (an `action_result` for another outbox item, `due`
 * while awaiting an action, an event of another name or that fails the wait's filter) returns the same
 * enrollment object with no effects and no log: the caller keeps the row as it was.
 */
export function advance(
  journey: CompiledJourney,
  enrollment: ActiveEnrollment,
  input: StepInput,
  ctx: AdvanceContext,
): StepResult {
  const start = journey.nodes[enrollment.nodeId];
  if (start === undefined) return unchanged(enrollment);
  const step = new Step(journey, enrollment, ctx.now, ctx.profile);
  let next = resume(step, start, input);
  if (next === null) return unchanged(enrollment);
  while (typeof next === "string") {
    if (step.log.length >= MAX_TRANSITIONS_PER_ADVANCE) return step.park(next, ctx.now, null);
    next = arrive(step, journey.nodes[next]!);
  }
  return next;
}
