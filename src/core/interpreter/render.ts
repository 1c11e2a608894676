import type { CompiledAction } from "../definition/compiled-journey.js";
import { renderJsonTemplate } from "../template/json-template.js";
import { renderTemplate, type CompiledTemplate } from "../template/template.js";
import type { ActionResult, EventFacts, JsonObject, Profile } from "../types.js";

/** The variables a template sees: `profile` (its attributes also at top level), `event`, `results`. */
export function templateScope(
  profile: Profile,
  event: EventFacts | null,
  results: { readonly [nodeId: string]: ActionResult },
): object {
  /* Built by assignment, not `{ ...attributes, id }`: V8 handles a spread followed by more properties
     very slowly, and this runs for every templated action. */
  const scopeProfile: Record<string, unknown> = {};
  const attributes = profile.attributes;
  for (const key of Object.keys(attributes)) if (key !== "__proto__") scopeProfile[key] = attributes[key];
  scopeProfile.id = profile.id;
  scopeProfile.email = profile.email;
  scopeProfile.timezone = profile.timezone;
  scopeProfile.subscribed = profile.subscribed;
  scopeProfile.attributes = attributes;
  return {
    profile: scopeProfile,
    event: event === null ? null : { name: event.name, payload: event.payload, occurredAt: event.occurredAt },
    results,
  };
}

/** A lazily built scope: most actions with static templates never need one. */
export class LazyScope {
  private scope: object | null = null;
  constructor(private readonly build: () => object) {}
  render(template: CompiledTemplate): string {
    if (typeof template === "string") return template;
    this.scope ??= this.build();
    return renderTemplate(template, this.scope);
  }
}

/** Render an update_profile action's values. */
export function renderSet(
  action: Extract<CompiledAction, { type: "update_profile" }>,
  scope: LazyScope,
): JsonObject {
  const set: JsonObject = {};
  for (const [key, v] of action.set) set[key] = "template" in v ? scope.render(v.template) : v.value;
  return set;
}

/** Render a webhook's body: a JSON body's strings are rendered, then encoded, so the result is always JSON. */
export function renderBody(
  body: Extract<CompiledAction, { type: "webhook" }>["body"],
  scope: LazyScope,
): string | null {
  if (body === null) return null;
  if (body.type === "text") return scope.render(body.template);
  return renderJsonTemplate(body.value, (template) => scope.render(template));
}
