import { z } from "zod";
import {
  compileDefinition,
  NotFoundError,
  type Journey,
  type JsonObject,
  type Version,
} from "../../core/index.js";
import { findVersion, resultsVersion } from "../../runtime/index.js";
import type { Store } from "../../store/index.js";

/** The journey, or `NotFoundError`. */
export async function requireJourney(store: Store, workspaceId: string, journeyId: string): Promise<Journey> {
  const journey = await store.getJourney(workspaceId, journeyId);
  if (journey === null) throw new NotFoundError("journey", journeyId);
  return journey;
}

/**
 * A version of this journey, by id or by number (`"3"`), or `NotFoundError` (also when it belongs to
 * another journey).
 */
export async function requireVersion(
  store: Store,
  workspaceId: string,
  journeyId: string,
  versionId: string,
): Promise<Version> {
  return findVersion(store, workspaceId, journeyId, versionId);
}

/**
 * The version a results query means: the one named (by id or number), else the journey's live or
 * paused version, else the latest one that had enrollments, else its latest. `NotFoundError` for an
 * unknown journey or a version of another journey.
 */
export async function resolveResultsVersion(
  store: Store,
  workspaceId: string,
  journeyId: string,
  versionId: string | undefined,
): Promise<{ journey: Journey; version: Version }> {
  const journey = await requireJourney(store, workspaceId, journeyId);
  if (versionId !== undefined) {
    return { journey, version: await requireVersion(store, workspaceId, journey.id, versionId) };
  }
  const version = await resultsVersion(store, workspaceId, journey.id);
  if (version === undefined) throw new NotFoundError("version of journey", journey.id);
  return { journey, version };
}

/** One node as the results list names it. */
export interface NodeHead {
  readonly id: string;
  readonly kind: string;
  readonly name: string | null;
  /** A condition's branch labels (name, or index when unnamed) then `else`; a split's path labels; else null. */
  readonly branches: readonly string[] | null;
}

/** The labels the interpreter logs for a node's branches (see `advance`): name, or index when unnamed. */
function branchLabels(node: { readonly kind: string }): string[] | null {
  const labels = (list: readonly { readonly name?: string | undefined }[]) =>
    list.map((b, i) => b.name ?? String(i));
  if (node.kind === "condition" && "branches" in node) {
    return [...labels(node.branches as readonly { name?: string }[]), "else"];
  }
  if (node.kind === "split" && "paths" in node) return labels(node.paths as readonly { name?: string }[]);
  return null;
}

const LooseNodesSchema = z.object({
  nodes: z.array(z.looseObject({ id: z.string(), kind: z.string(), name: z.string().optional() })),
});

/**
 * The nodes of a stored definition, in definition order. A stored draft may not compile (it can be
 * replaced by anything valid later, or the rules may have tightened), so fall back to reading the
 * raw `nodes` list rather than failing the results page.
 */
export function definitionNodes(definition: JsonObject): NodeHead[] {
  try {
    return compileDefinition(definition).definition.nodes.map((n) => ({
      id: n.id,
      kind: n.kind,
      name: n.name ?? null,
      branches: branchLabels(n),
    }));
  } catch {
    const loose = LooseNodesSchema.safeParse(definition);
    return loose.success
      ? loose.data.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name ?? null, branches: null }))
      : [];
  }
}
