import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compileDefinition } from "../definition/compile.js";
import { buildGraph, reachableFrom } from "../definition/graph-checks.js";
import { validateDefinition } from "../definition/validate.js";
import type { ActiveEnrollment, Enrollment, Profile, StepInput } from "../types.js";
import { advance } from "./advance.js";

const T0 = Date.UTC(2026, 0, 1);

/** Random numbers that decide one middle node: its kind, variant, exits and flags. */
const nodeSpec = fc.record({
  kind: fc.integer({ min: 0, max: 5 }),
  variant: fc.integer({ min: 0, max: 2 }),
  targets: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  back: fc.boolean(),
  flag: fc.boolean(),
});
interface NodeSpec {
  readonly kind: number;
  readonly variant: number;
  readonly targets: readonly number[];
  readonly back: boolean;
  readonly flag: boolean;
}

/*
 * A random valid journey: n0 is the entry, the last node is the exit, and every other node's first exit
 * goes to the node after it, so every node is reachable. Other exits go forward at random, except the
 * exits the driver steers (a wait-for-event's onTimeout, a webhook's onFailure), which may also go back
 * to a wait. Every cycle therefore passes through a wait, and a driver that stops timing out and failing
 * always reaches the exit.
 */
function buildJourney(specs: readonly NodeSpec[]): { nodes: Record<string, unknown>[] } {
  const last = specs.length + 1;
  const id = (i: number) => `n${i}`;
  const forward = (i: number, r: number) => id(i + 1 + (r % (last - i)));
  const waits: number[] = [];
  const nodes: Record<string, unknown>[] = [
    { id: "n0", kind: "entry", trigger: { type: "event", event: "entered" }, next: "n1" },
  ];
  specs.forEach((s, k) => {
    const i = k + 1;
    const [t0 = 0, t1 = 0, t2 = 0, t3 = 0] = s.targets;
    const steerable = (r: number) =>
      s.back && waits.length > 0 ? id(waits[r % waits.length]!) : forward(i, r);
    const next = id(i + 1);
    switch (s.kind) {
      case 0: {
        waits.push(i);
        const self = s.back ? id(i) : forward(i, t1);
        if (s.variant === 0)
          nodes.push({ id: id(i), kind: "wait", mode: "duration", duration: `${1 + (t0 % 48)}h`, next });
        else if (s.variant === 1)
          nodes.push({ id: id(i), kind: "wait", mode: "until", attribute: "renewal", time: "09:00", next });
        else {
          nodes.push({
            id: id(i),
            kind: "wait",
            mode: "event",
            event: "clicked",
            /* A literal, or a ref to the entry event's payload (which holds x: 1): the same filter. */
            ...(s.flag
              ? {
                  filter: {
                    field: "event.payload.x",
                    op: "eq",
                    value: t2 % 2 === 0 ? 1 : { ref: "entry.payload.x" },
                  },
                }
              : {}),
            timeout: "2d",
            next,
            onTimeout: self,
          });
        }
        break;
      }
      case 1:
        nodes.push({
          id: id(i),
          kind: "condition",
          branches: [
            { name: "pro", when: { field: "profile.plan", op: "eq", value: "pro" }, next },
            {
              when: {
                any: [
                  { field: String(t0), op: "eq", value: true },
                  { field: "profile.email", op: "not_exists" },
                ],
              },
              next: forward(i, t1),
            },
          ],
          else: forward(i, t2),
        });
        break;
      case 2:
        nodes.push({
          id: id(i),
          kind: "split",
          paths: [
            { percent: 30, next },
            { percent: 70, next: forward(i, t3) },
          ],
        });
        break;
      case 3: {
        const action =
          s.variant === 0
            ? {
                type: "webhook",
                url: "https://example.test/{{ profile.id }}",
                body: { plan: "{{ profile.plan }}" },
              }
            : s.variant === 1
              ? { type: "email", subject: "Hi {{ profile.id }}", text: "Hello" }
              : { type: "update_profile", set: { plan: s.flag ? "pro" : "free", seen: "{{ profile.id }}" } };
        /* Only a webhook's failure is the driver's to choose, so only it may loop back. */
        const onFailure = s.variant === 0 ? steerable(t2) : forward(i, t2);
        nodes.push({ id: id(i), kind: "action", action, next, ...(s.flag ? { onFailure } : {}) });
        break;
      }
      case 4:
        nodes.push({ id: id(i), kind: "remove_from_flow", journeys: s.flag ? "all" : ["other"], next });
        break;
      default:
        nodes.push({ id: id(i), kind: "wait", mode: "duration", duration: "30m", next });
        waits.push(i);
    }
  });
  nodes.push({ id: id(last), kind: "exit" });
  /* A condition may read only the result of an action that can come before it: it reads the one its
     dice pick among those, or a profile field when there is none. */
  const graph = buildGraph(nodes);
  const actions = nodes
    .filter((n) => n.kind === "action")
    .map((n) => ({ id: n.id as string, after: reachableFrom(graph, n.id as string) }));
  for (const n of nodes) {
    if (n.kind !== "condition") continue;
    const read = (n.branches as { when: { any?: { field: string }[] } }[])[1]!.when.any![0]!;
    const before = actions.filter((a) => a.after.has(n.id as string));
    const pick = before[Number(read.field) % Math.max(1, before.length)];
    read.field = pick === undefined ? "profile.subscribed" : `results.${pick.id}.ok`;
  }
  return { nodes };
}

const profileArb = fc.record({
  email: fc.option(fc.constant("someone@example.test"), { nil: null }),
  timezone: fc.constantFrom(null, "Europe/Paris", "America/New_York", "Asia/Kolkata"),
  subscribed: fc.boolean(),
  plan: fc.constantFrom("pro", "free", undefined),
  renewal: fc.constantFrom("2026-01-03", "2025-06-01", "not a date", undefined),
});

describe("advance over random valid journeys", () => {
  test("every enrollment ends exactly once; seq counts every log entry", () => {
    fc.assert(
      fc.property(
        fc.array(nodeSpec, { minLength: 1, maxLength: 12 }),
        profileArb,
        fc.array(fc.nat({ max: 99 }), { minLength: 200, maxLength: 200 }),
        fc.string({ minLength: 1, maxLength: 8 }),
        (specs, p, dice, profileId) => {
          const definition = buildJourney(specs);
          expect(validateDefinition(definition)).toEqual([]);
          const journey = compileDefinition(definition);
          let profile: Profile = {
            workspaceId: "ws",
            id: profileId,
            email: p.email,
            timezone: p.timezone,
            subscribed: p.subscribed,
            attributes: {
              ...(p.plan === undefined ? {} : { plan: p.plan }),
              ...(p.renewal === undefined ? {} : { renewal: p.renewal }),
            },
            createdAt: T0,
            updatedAt: T0,
          };
          let enrollment: Enrollment = {
            id: "e1",
            workspaceId: "ws",
            journeyId: "j1",
            versionId: "v1",
            runId: null,
            profileId,
            nodeId: journey.entryNodeId,
            seq: 0,
            enteredAt: T0,
            context: {
              event: { eventId: "in", name: "entered", payload: { x: 1 }, occurredAt: T0 },
              results: {},
            },
            status: "active",
            dueAt: T0,
            awaiting: null,
          };
          let now = T0;
          let logCount = 0;
          const outboxIds = new Set<string>();
          let lastOutcome: string | undefined;
          for (let step = 0; enrollment.status === "active"; step++) {
            expect(step).toBeLessThan(400);
            const roll = dice[step % dice.length]!;
            /* After 60 steps the driver stops timing out and failing, so that loops run out. */
            const calm = step > 60;
            const current: ActiveEnrollment = enrollment;
            let input: StepInput;
            const awaiting = current.awaiting;
            if (awaiting?.type === "action") {
              input = {
                type: "action_result",
                outboxId: awaiting.outboxId,
                result:
                  calm || roll < 60
                    ? { ok: true, at: now, status: 200, attempts: 1 }
                    : { ok: false, at: now, error: "503", attempts: 4 },
              };
            } else if (awaiting?.type === "event") {
              input =
                !calm && roll < 40
                  ? { type: "due" }
                  : {
                      type: "event",
                      event: {
                        eventId: `ev${step}`,
                        name: "clicked",
                        payload: { x: calm || roll < 80 ? 1 : 2 },
                        occurredAt: now,
                      },
                    };
            } else {
              input = { type: "due" };
            }
            now += 3_600_000 * (1 + (roll % 50));
            const startNode = journey.nodes[current.nodeId]!;
            const r = advance(journey, current, input, { now, profile });
            if (r.log.length === 0) {
              expect(r.enrollment).toBe(current);
              expect(r.effects).toEqual([]);
              continue;
            }
            expect(r.enrollment.seq - current.seq).toBe(r.log.length);
            r.log.forEach((entry, i) => {
              expect(entry.at).toBe(now);
              expect(entry.resumed).toBe(i === 0 && startNode.kind !== "entry");
            });
            for (const effect of r.effects) {
              if (effect.type === "dispatch") {
                expect(outboxIds.has(effect.outboxId)).toBe(false);
                outboxIds.add(effect.outboxId);
                expect(r.enrollment.status === "active" && r.enrollment.awaiting).toEqual({
                  type: "action",
                  outboxId: effect.outboxId,
                });
              }
              if (effect.type === "update_profile")
                profile = { ...profile, attributes: { ...profile.attributes, ...effect.set } };
              if (effect.type === "remove_from_flow") {
                expect(effect.journeys === "all" || !effect.journeys.includes("j1")).toBe(true);
                /* The entry that the store completes with the count is this node's. */
                expect(journey.nodes[r.log[effect.logIndex]!.nodeId]!.kind).toBe("remove_from_flow");
              }
            }
            logCount += r.log.length;
            lastOutcome = r.log[r.log.length - 1]!.outcome;
            enrollment = r.enrollment;
          }
          const ended = enrollment;
          expect(ended.seq).toBe(logCount);
          expect(ended.endedAt).toBe(now);
          expect(ended).not.toHaveProperty("dueAt");
          expect(ended).not.toHaveProperty("awaiting");
          if (ended.exitReason === "completed") {
            expect(journey.nodes[ended.nodeId]!.kind).toBe("exit");
            expect(lastOutcome).toBe("completed");
          } else {
            expect(ended.exitReason).toBe("failed");
            expect(lastOutcome).toBe("failed");
            expect(journey.nodes[ended.nodeId]!.kind).toBe("action");
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
