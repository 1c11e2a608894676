import fc from "fast-check";
import { expect } from "vitest";
import type { VersionStatus } from "../../src/core/index.js";
import type { EnrollRequest, VersionAction } from "../../src/store/index.js";
import {
  DAY,
  activeVersion,
  applyAdvance,
  applyPublish,
  applySweep,
  applyVersionAction,
  modelDefinition,
  modelEntry,
  planned,
} from "./lifecycle-model.js";
import type { Model, ModelJourney, ModelVersion, PausedEntries } from "./lifecycle-model.js";
import { ACTOR, WS, checkAgainstModel, expectConflict } from "./lifecycle-real.js";
import type { Real } from "./lifecycle-real.js";

/*
 * The commands of the model-based test. Illegal operations are ordinary commands: the model predicts
 * the refusal (a `ConflictError` whose `current` is the model's state) and the real system must give it.
 * Every command ends by comparing the real system with the model.
 */

type Cmd = fc.AsyncCommand<Model, Real>;

const MAX_JOURNEYS = 3;
const PROFILES = ["p0", "p1", "p2", "p3"] as const;

const hasJourney = (m: Readonly<Model>): boolean => m.journeys.length > 0;

function journeyAt(m: Model, j: number): ModelJourney {
  return m.journeys[j % m.journeys.length]!;
}

function versionAt(journey: ModelJourney, v: number): ModelVersion {
  return journey.versions[v % journey.versions.length]!;
}

/** Create a journey (version 1, a draft) in both the real system and the model. */
export async function createJourney(m: Model, r: Real, pausedEntries: PausedEntries): Promise<void> {
  const { journey, version } = await r.store.createJourney(
    {
      workspaceId: WS,
      name: `j${m.journeys.length}`,
      owner: null,
      definition: modelDefinition(pausedEntries),
    },
    m.now,
  );
  m.journeys.push({
    id: journey.id,
    pausedEntries,
    versions: [{ id: version.id, number: 1, status: "draft", active: [], queued: [] }],
  });
}

class CreateJourney implements Cmd {
  constructor(readonly pausedEntries: PausedEntries) {}
  check(m: Readonly<Model>): boolean {
    return m.journeys.length < MAX_JOURNEYS;
  }
  async run(m: Model, r: Real): Promise<void> {
    await createJourney(m, r, this.pausedEntries);
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `createJourney(${this.pausedEntries})`;
  }
}

class NewVersion implements Cmd {
  constructor(readonly j: number) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const call = r.app.newVersion({ workspaceId: WS, journeyId: journey.id, actor: ACTOR.actor });
    if (journey.versions.some((v) => v.status === "draft")) {
      await expectConflict(call, "draft");
    } else {
      const version = await call;
      expect(version.status).toBe("draft");
      journey.versions.push({
        id: version.id,
        number: journey.versions.length + 1,
        status: "draft",
        active: [],
        queued: [],
      });
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `newVersion(j${this.j})`;
  }
}

/** Publish version `v`, or with `v` null the journey's draft (its latest version when it has none). */
class Publish implements Cmd {
  constructor(
    readonly j: number,
    readonly v: number | null,
  ) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const version =
      this.v === null
        ? (journey.versions.find((v) => v.status === "draft") ?? journey.versions.at(-1)!)
        : versionAt(journey, this.v);
    const before = (await r.store.listVersions(WS, journey.id)).find(
      (v) => v.status === "live" || v.status === "paused",
    );
    const call = r.store.publishVersion(WS, version.id, m.now, ACTOR);
    if (planned(version.status, "publish") === null) {
      await expectConflict(call, version.status);
    } else {
      const result = await call;
      const previous = applyPublish(journey, version);
      expect(result.closed?.id ?? null).toBe(previous?.id ?? null);
      if (before) {
        const after = await r.store.getVersion(WS, before.id);
        expect(after?.status, "publishing a draft closes the previous live or paused version").toBe("closed");
      }
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `publish(j${this.j}, ${this.v === null ? "draft" : `v${this.v}`})`;
  }
}

/** The version `changeVersion` picks when given none: the live or paused one, else a refusal. */
function implicitTarget(
  journey: ModelJourney,
  action: VersionAction,
): ModelVersion | { refusal: VersionStatus } {
  const active = activeVersion(journey);
  if (active) return active;
  const closed = action === "stop" ? journey.versions.filter((v) => v.status === "closed").at(-1) : undefined;
  if (closed) return closed;
  const latest = journey.versions.filter((v) => v.status !== "archived").at(-1) ?? journey.versions.at(-1)!;
  return { refusal: latest.status };
}

class ChangeVersion implements Cmd {
  constructor(
    readonly j: number,
    readonly v: number | null,
    readonly action: VersionAction,
  ) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const target = this.v === null ? implicitTarget(journey, this.action) : versionAt(journey, this.v);
    const call = r.app[this.action]({
      workspaceId: WS,
      journeyId: journey.id,
      ...ACTOR,
      ...(this.v === null ? {} : { versionId: (target as ModelVersion).id }),
    });
    if ("refusal" in target) {
      await expectConflict(call, target.refusal);
    } else {
      const to = planned(target.status, this.action);
      if (to === null) {
        await expectConflict(call, target.status);
      } else {
        const outcome = await call;
        expect([outcome.from, outcome.to]).toEqual([target.status, to]);
        expect(outcome.counts.inFlight).toBe(target.active.length);
        applyVersionAction(m, journey, target, to);
      }
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `${this.action}(j${this.j}, ${this.v === null ? "active" : `v${this.v}`})`;
  }
}

class Archive implements Cmd {
  constructor(
    readonly j: number,
    readonly v: number,
  ) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const version = versionAt(journey, this.v);
    const call = r.app.deleteVersion({ workspaceId: WS, versionId: version.id, ...ACTOR });
    const to = planned(version.status, "archive");
    if (to === null) {
      await expectConflict(call, version.status);
    } else {
      expect((await call).status).toBe(to);
      version.status = to;
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `archive(j${this.j}, v${this.v})`;
  }
}

/** API entry through the engine: into the journey's live version, or its paused one (queued or refused). */
class EnrollApi implements Cmd {
  constructor(
    readonly j: number,
    readonly profiles: readonly string[],
  ) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const call = r.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: journey.id,
      profileIds: this.profiles,
    });
    const target = activeVersion(journey);
    if (!target) {
      await expectConflict(call, journey.versions.at(-1)!.status);
    } else {
      const outcomes = await call;
      const expected = this.profiles.map((p) => modelEntry(m, journey, target, p, null));
      expect(outcomes.map((o) => o.status)).toEqual(expected);
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `enroll(j${this.j}, [${this.profiles.join(",")}])`;
  }
}

function request(
  journey: ModelJourney,
  version: ModelVersion,
  profileId: string,
  runId: string | null,
): EnrollRequest {
  return {
    workspaceId: WS,
    journeyId: journey.id,
    versionId: version.id,
    profileId,
    runId,
    event: null,
    reentry: { mode: "always" },
    entryNodeId: "start",
    pausedEntries: journey.pausedEntries,
  };
}

/** Entry straight through the store, into any version whatever its state: only a live one takes anybody. */
class EnrollDirect implements Cmd {
  constructor(
    readonly j: number,
    readonly v: number,
    readonly profiles: readonly string[],
  ) {}
  check = hasJourney;
  async run(m: Model, r: Real): Promise<void> {
    const journey = journeyAt(m, this.j);
    const version = versionAt(journey, this.v);
    const outcomes = await r.store.enroll(
      this.profiles.map((p) => request(journey, version, p, null)),
      m.now,
    );
    const expected = this.profiles.map((p) => modelEntry(m, journey, version, p, null));
    expect(outcomes.map((o) => o.status)).toEqual(expected);
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `enrollDirect(j${this.j}, v${this.v}, [${this.profiles.join(",")}])`;
  }
}

/** An audience-style run of the live version, and its entries. */
class RunEntries implements Cmd {
  constructor(
    readonly j: number,
    readonly profiles: readonly string[],
  ) {}
  check(m: Readonly<Model>): boolean {
    return m.journeys.some((j) => j.versions.some((v) => v.status === "live"));
  }
  async run(m: Model, r: Real): Promise<void> {
    const live = m.journeys.filter((j) => j.versions.some((v) => v.status === "live"));
    const journey = live[this.j % live.length]!;
    const version = journey.versions.find((v) => v.status === "live")!;
    const run = await r.store.createRun(
      { workspaceId: WS, journeyId: journey.id, versionId: version.id, trigger: "now" },
      m.now,
    );
    m.runs.push({ id: run.id, versionId: version.id, status: "running" });
    const outcomes = await r.store.enroll(
      this.profiles.map((p) => request(journey, version, p, run.id)),
      m.now,
    );
    const expected = this.profiles.map((p) => modelEntry(m, journey, version, p, run.id));
    expect(outcomes.map((o) => o.status)).toEqual(expected);
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `runEntries(j${this.j}, [${this.profiles.join(",")}])`;
  }
}

class AbortRun implements Cmd {
  constructor(readonly k: number) {}
  check(m: Readonly<Model>): boolean {
    return m.runs.length > 0;
  }
  async run(m: Model, r: Real): Promise<void> {
    const run = m.runs[this.k % m.runs.length]!;
    const call = r.app.abortRun({ workspaceId: WS, runId: run.id, ...ACTOR });
    if (run.status === "aborted") {
      await expectConflict(call, "aborted");
    } else {
      const outcome = await call;
      expect([outcome.from, outcome.to, outcome.run.status]).toEqual(["running", "aborted", "aborted"]);
      run.status = "aborted";
      const version = m.journeys.flatMap((j) => j.versions).find((v) => v.id === run.versionId)!;
      for (const e of version.active) if (e.runId === run.id) e.doomed = true;
    }
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `abortRun(r${this.k})`;
  }
}

class Sweep implements Cmd {
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    let swept = 0;
    for (let n = await r.store.sweep(m.now, 2); n > 0; n = await r.store.sweep(m.now, 2)) swept += n;
    const finished = await r.store.finishDrained(m.now);
    const closedBefore = m.journeys.flatMap((j) => j.versions).filter((v) => v.status === "closed");
    expect(swept).toBe(applySweep(m));
    const finishedNow = closedBefore.filter((v) => v.status === "finished");
    expect(finished.map((v) => v.id).sort()).toEqual(finishedNow.map((v) => v.id).sort());
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return "sweep";
  }
}

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = (): boolean => true;
  async run(m: Model, r: Real): Promise<void> {
    await r.engine.advanceClockTo(m.now + this.ms);
    applyAdvance(m, m.now + this.ms);
    await checkAgainstModel(m, r);
  }
  toString(): string {
    return `advance(${this.ms / 3_600_000}h)`;
  }
}

const index = fc.nat({ max: 7 });
/** The `pausedEntries` setting of a journey. */
export const pausedEntries = fc.constantFrom<PausedEntries>("discard", "queue");
const action = fc.constantFrom<VersionAction>("pause", "resume", "pause", "resume", "close", "stop");
const profiles = fc.array(fc.constantFrom(...PROFILES), { minLength: 1, maxLength: 3 });

/** Every command, weighted so that sequences reach the interesting states. */
export const lifecycleCommands = fc.commands(
  [
    pausedEntries.map((p) => new CreateJourney(p)),
    index.map((j) => new NewVersion(j)),
    fc.tuple(index, fc.option(index, { freq: 2 })).map(([j, v]) => new Publish(j, v)),
    fc.tuple(index, fc.option(index, { freq: 2 })).map(([j, v]) => new Publish(j, v)),
    fc.tuple(index, index, action).map(([j, v, a]) => new ChangeVersion(j, v, a)),
    fc.tuple(index, action).map(([j, a]) => new ChangeVersion(j, null, a)),
    fc.tuple(index, action).map(([j, a]) => new ChangeVersion(j, null, a)),
    fc.tuple(index, index).map(([j, v]) => new Archive(j, v)),
    fc.tuple(index, profiles).map(([j, p]) => new EnrollApi(j, p)),
    fc.tuple(index, profiles).map(([j, p]) => new EnrollApi(j, p)),
    fc.tuple(index, profiles).map(([j, p]) => new EnrollApi(j, p)),
    fc.tuple(index, index, profiles).map(([j, v, p]) => new EnrollDirect(j, v, p)),
    fc.tuple(index, profiles).map(([j, p]) => new RunEntries(j, p)),
    index.map((k) => new AbortRun(k)),
    fc.constant(new Sweep()),
    fc.constantFrom(DAY / 24, DAY / 2, DAY, (3 * DAY) / 2).map((ms) => new Advance(ms)),
  ],
  { maxCommands: 30, size: "max" },
);
