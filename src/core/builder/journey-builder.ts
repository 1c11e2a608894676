import type { z } from "zod";
import { ValidationError } from "../errors.js";
import type { Condition } from "../definition/condition-schema.js";
import type { JourneyDefinitionInput, JourneyNodeInput } from "../definition/journey-schema.js";
import type { ActionSchema, AudienceScheduleSchema, EntryTriggerSchema } from "../definition/node-schema.js";
import { validateDefinition } from "../definition/validate.js";

/** An entry trigger as written. */
export type TriggerInput = z.input<typeof EntryTriggerSchema>;
/** An action as written. */
export type ActionInput = z.input<typeof ActionSchema>;
/** An audience schedule as written. */
export type ScheduleInput = z.input<typeof AudienceScheduleSchema>;
/** Journey settings as written. */
export type SettingsInput = NonNullable<JourneyDefinitionInput["settings"]>;

/** Enter on an event, optionally filtered. */
export function onEvent(event: string, filter?: Condition): TriggerInput {
  return filter === undefined ? { type: "event", event } : { type: "event", event, filter };
}

/** Enter by API call only. */
export function onApi(): TriggerInput {
  return { type: "api" };
}

/** Enter by an audience run over stored profiles. @default schedule `{ type: "now" }` */
export function onAudience(filter: Condition, schedule: ScheduleInput = { type: "now" }): TriggerInput {
  return { type: "audience", filter, schedule };
}

/** Call a webhook. */
export function webhook(
  url: string,
  options: Omit<Extract<ActionInput, { type: "webhook" }>, "type" | "url"> = {},
): ActionInput {
  return { type: "webhook", url, ...options };
}

/** Send an email; give `html`, `text` or both. */
export function email(options: Omit<Extract<ActionInput, { type: "email" }>, "type">): ActionInput {
  return { type: "email", ...options };
}

/** Merge values into the profile's attributes (strings are templates). */
export function updateProfile(set: { [attribute: string]: unknown }): ActionInput {
  return { type: "update_profile", set: set as Extract<ActionInput, { type: "update_profile" }>["set"] };
}

/** Common options of a node: a display name, and its `next` when it is not the node added after it. */
export interface NodeOptions {
  readonly name?: string;
  readonly next?: string;
}

/* An id must be new: `Id extends Ids` only for a literal already used. */
type NewId<Id extends string, Ids extends string> = string extends Id ? Id : Id extends Ids ? never : Id;

/**
 * Builds a journey definition node by node. A node whose `next` is not given goes on to the node added
 * after it; branching nodes name their exits. `build()` validates the whole definition.
 *
 * @example
 * const definition = defineJourney()
 *   .entry("start", onEvent("signed_up"))
 *   .wait("cool_off", "1d")
 *   .action("welcome", email({ subject: "Welcome {{ profile.first_name }}", text: "Hello!" }), { onFailure: "done" })
 *   .exit("done")
 *   .build();
 */
export class JourneyBuilder<Ids extends string = never> {
  private readonly nodes: Record<string, unknown>[] = [];
  /* The node waiting for the next one to be added, to take its id as `next`. */
  private pending: Record<string, unknown> | null = null;
  private settingsValue: SettingsInput | undefined;

  /** Set journey-wide settings (re-entry, paused entries, global timeout). */
  settings(settings: SettingsInput): this {
    this.settingsValue = settings;
    return this;
  }

  private add<Id extends string>(
    node: Record<string, unknown>,
    options: NodeOptions,
    linksOn: boolean,
  ): JourneyBuilder<Ids | Id> {
    if (this.pending) this.pending.next = node.id;
    if (options.name !== undefined) node.name = options.name;
    this.nodes.push(node);
    this.pending = null;
    if (linksOn) {
      if (options.next === undefined) this.pending = node;
      else node.next = options.next;
    }
    return this as JourneyBuilder<Ids | Id>;
  }

  /** The entry node. */
  entry<Id extends string>(
    id: NewId<Id, Ids>,
    trigger: TriggerInput,
    options: NodeOptions = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "entry", trigger }, options, true);
  }

  /** Wait for a duration (`30s`, `2h`, `1d12h`, `P1DT2H`). */
  wait<Id extends string>(
    id: NewId<Id, Ids>,
    duration: string,
    options: NodeOptions = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "wait", mode: "duration", duration }, options, true);
  }

  /** Wait until an instant (`at`) or the date in a profile attribute (`attribute`, optional `time`). */
  waitUntil<Id extends string>(
    id: NewId<Id, Ids>,
    until: { readonly at: string } | { readonly attribute: string; readonly time?: string },
    options: NodeOptions = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "wait", mode: "until", ...until }, options, true);
  }

  /** Wait for an event; `next` (or the following node) when it comes, `onTimeout` after `timeout`. */
  waitForEvent<Id extends string>(
    id: NewId<Id, Ids>,
    event: string,
    options: NodeOptions & {
      readonly timeout: string;
      readonly onTimeout: string;
      readonly filter?: Condition;
    },
  ): JourneyBuilder<Ids | Id> {
    const node: Record<string, unknown> = {
      id,
      kind: "wait",
      mode: "event",
      event,
      timeout: options.timeout,
      onTimeout: options.onTimeout,
    };
    if (options.filter !== undefined) node.filter = options.filter;
    return this.add(node, options, true);
  }

  /** Branch: the first branch whose `when` holds wins, else `elseNext`. */
  condition<Id extends string>(
    id: NewId<Id, Ids>,
    branches: readonly { readonly when: Condition; readonly next: string; readonly name?: string }[],
    elseNext: string,
    options: Omit<NodeOptions, "next"> = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "condition", branches: [...branches], else: elseNext }, options, false);
  }

  /** A deterministic random split; percents sum to 100. */
  split<Id extends string>(
    id: NewId<Id, Ids>,
    paths: readonly { readonly percent: number; readonly next: string; readonly name?: string }[],
    options: Omit<NodeOptions, "next"> = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "split", paths: [...paths] }, options, false);
  }

  /** Perform an action (see `webhook`, `email`, `updateProfile`). */
  action<Id extends string>(
    id: NewId<Id, Ids>,
    action: ActionInput,
    options: NodeOptions & { readonly onFailure?: string } = {},
  ): JourneyBuilder<Ids | Id> {
    const node: Record<string, unknown> = { id, kind: "action", action };
    if (options.onFailure !== undefined) node.onFailure = options.onFailure;
    return this.add(node, options, true);
  }

  /** End the profile's enrollments in other journeys (ids, or "all"). */
  removeFromFlow<Id extends string>(
    id: NewId<Id, Ids>,
    journeys: readonly string[] | "all",
    options: NodeOptions = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add(
      { id, kind: "remove_from_flow", journeys: journeys === "all" ? "all" : [...journeys] },
      options,
      true,
    );
  }

  /** End the enrollment as completed. */
  exit<Id extends string>(
    id: NewId<Id, Ids>,
    options: Omit<NodeOptions, "next"> = {},
  ): JourneyBuilder<Ids | Id> {
    return this.add({ id, kind: "exit" }, options, false);
  }

  /**
   * The definition, as plain JSON.
   * @throws ValidationError with every issue when it is not a valid journey (e.g. the last node still
   * waits for a `next`, which is reported as a dangling edge).
   */
  build(): JourneyDefinitionInput {
    const definition: JourneyDefinitionInput = {
      nodes: structuredClone(this.nodes) as unknown as JourneyNodeInput[],
      ...(this.settingsValue === undefined ? {} : { settings: structuredClone(this.settingsValue) }),
    };
    if (this.pending) {
      const index = this.nodes.indexOf(this.pending);
      throw new ValidationError([
        {
          path: `nodes[${index}].next`,
          code: "dangling_edge",
          message: "the last node needs a next node",
          nodeId: String(this.pending.id),
        },
      ]);
    }
    const issues = validateDefinition(definition);
    if (issues.length > 0) throw new ValidationError(issues);
    return definition;
  }
}

/** Start a journey definition. See {@link JourneyBuilder}. */
export function defineJourney(): JourneyBuilder {
  return new JourneyBuilder();
}
