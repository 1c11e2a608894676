import { z } from "zod";
import {
  compileDefinition,
  NotFoundError,
  type Journey,
  type JsonObject,
  type Version,
} from "../../core/index.js";
import type { Store } from "../../store/index.js";

/** The journey, or `NotFoundError`. */
export async function requireJourney(store: Store, workspaceId: string, journeyId: string): Promise<Journey> {
  const journey = await store.getJourney(workspaceId, journeyId);
  if (journey === null) throw new NotFoundError("journey", journeyId);
  return journey;
}

/** A version of this journey, or `NotFoundError` (also when it belongs to another journey). */
export async function requireVersion(
  store: Store,
  workspaceId: string,
  journeyId: string,
  versionId: string,
): Promise<Version> {
  const version = await store.getVersion(workspaceId, versionId);
  if (version === null || version.journeyId !== journeyId) throw new NotFoundError("version", versionId);
  return version;
}

/** One node as the results list names it. */
export interface NodeHead {
  readonly id: string;
  readonly kind: string;
  readonly name: string | null;
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
    }));
  } catch {
    const loose = LooseNodesSchema.safeParse(definition);
    return loose.success
      ? loose.data.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name ?? null }))
      : [];
  }
}
