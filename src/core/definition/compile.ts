import { compileCondition } from "../condition/evaluate.js";
import { ValidationError } from "../errors.js";
import { compileJsonTemplate } from "../template/json-template.js";
import { parseTemplate, type CompiledTemplate } from "../template/template.js";
import { parseDuration } from "../time/duration.js";
import { parseIsoDateTime, parseTimeOfDay } from "../time/iso-datetime.js";
import type { ReentryRule, RetryPolicy } from "../types.js";
import type { CompiledAction, CompiledJourney, CompiledNode, CompiledTrigger } from "./compiled-journey.js";
import type { JourneyDefinition, JourneyNode } from "./journey-schema.js";
import { analyseDefinition, type AnalyseOptions } from "./validate.js";

/** The retry policy of a webhook whose node sets none. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  maximumAttempts: 4,
});

function optionalTemplate(source: string | undefined): CompiledTemplate | null {
  return source === undefined ? null : parseTemplate(source);
}

function compileTrigger(node: Extract<JourneyNode, { kind: "entry" }>): CompiledTrigger {
  const t = node.trigger;
  switch (t.type) {
    case "api":
      return { type: "api" };
    case "event":
      return {
        type: "event",
        event: t.event,
        filter: t.filter ? compileCondition(t.filter) : null,
        source: t.filter ?? null,
      };
    case "audience": {
      const s = t.schedule;
      const schedule =
        s.type === "at"
          ? { type: "at" as const, at: (parseIsoDateTime(s.at) as { at: number }).at }
          : s.type === "cron"
            ? { type: "cron" as const, cron: s.cron, timezone: s.timezone }
            : { type: "now" as const };
      return { type: "audience", filter: compileCondition(t.filter), source: t.filter, schedule };
    }
  }
}

function compileAction(node: Extract<JourneyNode, { kind: "action" }>): CompiledAction {
  const a = node.action;
  switch (a.type) {
    case "webhook": {
      const headers = Object.entries(a.headers ?? {});
      const headerSetsType = headers.some(([name]) => name.toLowerCase() === "content-type");
      const body =
        a.body === undefined
          ? null
          : typeof a.body === "string"
            ? { type: "text" as const, template: parseTemplate(a.body) }
            : { type: "json" as const, value: compileJsonTemplate(a.body) };
      return {
        type: "webhook",
        url: parseTemplate(a.url),
        method: a.method,
        headers: headers.map(([k, v]) => [k, parseTemplate(v)] as const),
        body,
        contentType:
          headerSetsType || body === null
            ? null
            : (a.contentType ?? (body.type === "json" ? "application/json" : null)),
        timeoutMs: parseDuration(a.timeout),
        retry: {
          initialIntervalMs:
            a.retry?.initialInterval === undefined
              ? DEFAULT_RETRY_POLICY.initialIntervalMs
              : parseDuration(a.retry.initialInterval),
          backoffCoefficient: a.retry?.backoffCoefficient ?? DEFAULT_RETRY_POLICY.backoffCoefficient,
          maximumIntervalMs:
            a.retry?.maximumInterval === undefined
              ? DEFAULT_RETRY_POLICY.maximumIntervalMs
              : parseDuration(a.retry.maximumInterval),
          maximumAttempts: a.retry?.maximumAttempts ?? DEFAULT_RETRY_POLICY.maximumAttempts,
        },
      };
    }
    case "email":
      return {
        type: "email",
        subject: parseTemplate(a.subject),
        html: a.html === undefined ? null : parseTemplate(a.html, { html: true }),
        text: optionalTemplate(a.text),
        to: optionalTemplate(a.to),
        from: a.from ?? null,
      };
    case "update_profile":
      return {
        type: "update_profile",
        set: Object.entries(a.set).map(
          ([k, v]) => [k, typeof v === "string" ? { template: parseTemplate(v) } : { value: v }] as const,
        ),
      };
  }
}

function compileNode(node: JourneyNode): CompiledNode {
  switch (node.kind) {
    case "entry":
      return { kind: "entry", id: node.id, trigger: compileTrigger(node), next: node.next };
    case "wait":
      if (node.mode === "duration") {
        return {
          kind: "wait_duration",
          id: node.id,
          durationMs: parseDuration(node.duration),
          next: node.next,
        };
      }
      if (node.mode === "until") {
        return {
          kind: "wait_until",
          id: node.id,
          at: node.at === undefined ? null : parseIsoDateTime(node.at),
          attribute: node.attribute ?? null,
          timeOfDay: node.time === undefined ? null : parseTimeOfDay(node.time),
          next: node.next,
        };
      }
      return {
        kind: "wait_event",
        id: node.id,
        event: node.event,
        filter: node.filter ? compileCondition(node.filter) : null,
        timeoutMs: parseDuration(node.timeout),
        next: node.next,
        onTimeout: node.onTimeout,
      };
    case "condition":
      return {
        kind: "condition",
        id: node.id,
        branches: node.branches.map((b, i) => ({
          label: b.name ?? i,
          when: compileCondition(b.when),
          next: b.next,
        })),
        else: node.else,
      };
    case "split": {
      let upTo = 0;
      const paths = node.paths.map((p, i) => {
        upTo += p.percent;
        return { label: p.name ?? i, upTo, next: p.next };
      });
      return { kind: "split", id: node.id, paths };
    }
    case "action":
      return {
        kind: "action",
        id: node.id,
        action: compileAction(node),
        next: node.next,
        onFailure: node.onFailure ?? null,
      };
    case "remove_from_flow":
      return { kind: "remove_from_flow", id: node.id, journeys: node.journeys, next: node.next };
    case "exit":
      return { kind: "exit", id: node.id };
  }
}

function compileReentry(settings: JourneyDefinition["settings"]): ReentryRule {
  const r = settings.reentry;
  return r.mode === "every" ? { mode: "every", everyMs: parseDuration(r.every) } : { mode: r.mode };
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return value;
  /* Parsed Liquid templates belong to liquidjs, which may keep state on them: leave them alone. */
  if ("parsed" in value && "source" in value) return Object.freeze(value);
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * Validate a definition and compile it for the interpreter: node map, durations in ms, templates parsed
 * once, conditions compiled to predicates, everything deep-frozen.
 * With `{ stored: true }`, for a version saved under earlier rules, the rules added since are skipped
 * (see `NEW_DEFINITION_RULES`).
 * @throws ValidationError with every issue when the definition is not valid.
 */
export function compileDefinition(json: unknown, options: AnalyseOptions = {}): CompiledJourney {
  const analysis = analyseDefinition(json, options);
  if (!analysis.ok) throw new ValidationError(analysis.issues);
  const definition = analysis.definition;
  const nodes: Record<string, CompiledNode> = Object.create(null) as Record<string, CompiledNode>;
  let entry: Extract<CompiledNode, { kind: "entry" }> | undefined;
  const awaited = new Set<string>();
  for (const node of definition.nodes) {
    const compiled = compileNode(node);
    nodes[node.id] = compiled;
    if (compiled.kind === "entry") entry = compiled;
    if (compiled.kind === "wait_event") awaited.add(compiled.event);
  }
  if (!entry)
    throw new ValidationError([
      { path: "nodes", code: "no_entry", message: "a journey needs one entry node" },
    ]);
  return deepFreeze({
    definition,
    entryNodeId: entry.id,
    entry,
    nodes,
    trigger: entry.trigger,
    reentry: compileReentry(definition.settings),
    pausedEntries: definition.settings.pausedEntries,
    globalTimeoutMs: parseDuration(definition.settings.globalTimeout),
    awaitedEventNames: [...awaited].sort(),
    guardrails: (definition.settings.guardrails ?? []).map((g) => ({
      nodeId: g.node ?? null,
      errorRate: g.errorRate,
      windowMs: parseDuration(g.window),
      minAttempts: g.minAttempts,
      action: g.action,
    })),
  });
}
