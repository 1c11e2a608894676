import type { Issue } from "../errors.js";
import { compileFieldPath } from "../condition/field-path.js";
import { jsonStrings } from "../template/json-template.js";
import { templateError } from "../template/template.js";
import { isValueRef, type Condition } from "./condition-schema.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import type { JourneyNode } from "./journey-schema.js";
import { webhookUrlError } from "./webhook-url.js";

const PERCENT_EPSILON = 1e-9;

function checkCondition(cond: Condition, path: string, nodeId: string, out: Issue[]): void {
  if ("all" in cond) cond.all.forEach((c, i) => checkCondition(c, `${path}.all[${i}]`, nodeId, out));
  else if ("any" in cond) cond.any.forEach((c, i) => checkCondition(c, `${path}.any[${i}]`, nodeId, out));
  else if ("not" in cond) checkCondition(cond.not, `${path}.not`, nodeId, out);
  else {
    if (compileFieldPath(cond.field) === null) {
      out.push({
        path: `${path}.field`,
        code: C.invalidField,
        message: `field path "${cond.field}" names nothing`,
        nodeId,
      });
    }
    if (cond.op !== "exists" && cond.op !== "not_exists" && cond.value === undefined) {
      out.push({
        path: `${path}.value`,
        code: C.missingValue,
        message: `operator "${cond.op}" needs a value`,
        nodeId,
      });
    } else if (isValueRef(cond.value)) {
      const ref: unknown = cond.value.ref;
      if (typeof ref !== "string") {
        out.push({
          path: `${path}.value.ref`,
          code: C.invalidValue,
          message: "a ref is a field path, as a string",
          nodeId,
        });
      } else if (compileFieldPath(ref) === null) {
        out.push({
          path: `${path}.value.ref`,
          code: C.invalidField,
          message: `ref "${ref}" names no field`,
          nodeId,
        });
      }
    } else if (cond.op === "in" && !Array.isArray(cond.value)) {
      out.push({
        path: `${path}.value`,
        code: C.invalidValue,
        message: `operator "in" needs an array value`,
        nodeId,
      });
    }
  }
}

const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;[^\r\n]*)?$/;

type WebhookAction = Extract<Extract<JourneyNode, { kind: "action" }>["action"], { type: "webhook" }>;

/* A JSON body's strings are templates; a text body needs a content type, given once. */
function checkWebhookBody(action: WebhookAction, path: string, nodeId: string, out: Issue[]): void {
  for (const [text, at] of jsonStrings(action.body, `${path}.body`)) {
    const error = templateError(text);
    if (error !== null)
      out.push({ path: at, code: C.invalidTemplate, message: `template does not parse: ${error}`, nodeId });
  }
  const header = Object.keys(action.headers ?? {}).find((name) => name.toLowerCase() === "content-type");
  if (action.contentType !== undefined) {
    if (!MEDIA_TYPE.test(action.contentType)) {
      out.push({
        path: `${path}.contentType`,
        code: C.invalidValue,
        message: `"${action.contentType}" is not a media type like text/plain`,
        nodeId,
      });
    } else if (action.body === undefined) {
      out.push({
        path: `${path}.contentType`,
        code: C.invalidValue,
        message: "`contentType` goes with `body`",
        nodeId,
      });
    } else if (header !== undefined) {
      out.push({
        path: `${path}.headers.${header}`,
        code: C.invalidValue,
        message: "give the content type once: `contentType` sets it",
        nodeId,
      });
    }
  } else if (typeof action.body === "string" && header === undefined) {
    out.push({
      path: `${path}.contentType`,
      code: C.missingContentType,
      message:
        'a text body (a string) needs `contentType`, such as "text/plain"; to send JSON, write the body as a JSON object',
      nodeId,
    });
  }
}

/**
 * Rules inside one node that the zod schema does not express: condition field paths, split percents,
 * wait-until's fields, webhook URLs without templates and bodies, email content, templates in update_profile values.
 */
export function checkNode(node: JourneyNode, path: string): Issue[] {
  const out: Issue[] = [];
  const nodeId = node.id;
  switch (node.kind) {
    case "entry":
      if (node.trigger.type !== "api" && node.trigger.filter !== undefined) {
        checkCondition(node.trigger.filter, `${path}.trigger.filter`, nodeId, out);
      }
      break;
    case "wait":
      if (node.mode === "event" && node.filter !== undefined)
        checkCondition(node.filter, `${path}.filter`, nodeId, out);
      if (node.mode === "until") {
        if ((node.at === undefined) === (node.attribute === undefined)) {
          out.push({
            path,
            code: C.invalidWaitUntil,
            message: "give exactly one of `at` and `attribute`",
            nodeId,
          });
        } else if (node.time !== undefined && node.attribute === undefined) {
          out.push({
            path: `${path}.time`,
            code: C.invalidWaitUntil,
            message: "`time` goes with `attribute`",
            nodeId,
          });
        }
      }
      break;
    case "condition":
      node.branches.forEach((b, i) => checkCondition(b.when, `${path}.branches[${i}].when`, nodeId, out));
      break;
    case "split": {
      const sum = node.paths.reduce((s, p) => s + p.percent, 0);
      if (Math.abs(sum - 100) > PERCENT_EPSILON) {
        out.push({
          path: `${path}.paths`,
          code: C.splitPercentSum,
          message: `percents sum to ${sum}, not 100`,
          nodeId,
        });
      }
      break;
    }
    case "action": {
      const action = node.action;
      if (action.type === "webhook") {
        /* A URL with template markup is checked once rendered, for each profile. */
        const templated = action.url.includes("{{") || action.url.includes("{%");
        const error = templated ? null : webhookUrlError(action.url);
        if (error !== null)
          out.push({ path: `${path}.action.url`, code: C.invalidUrl, message: error, nodeId });
        checkWebhookBody(action, `${path}.action`, nodeId, out);
      }
      if (action.type === "email" && action.html === undefined && action.text === undefined) {
        out.push({
          path: `${path}.action`,
          code: C.missingContent,
          message: "an email needs `html` or `text`",
          nodeId,
        });
      }
      if (action.type === "update_profile") {
        for (const [key, value] of Object.entries(action.set)) {
          const error = typeof value === "string" ? templateError(value) : null;
          if (error !== null) {
            out.push({
              path: `${path}.action.set.${key}`,
              code: C.invalidTemplate,
              message: `template does not parse: ${error}`,
              nodeId,
            });
          }
        }
      }
      break;
    }
    case "remove_from_flow":
    case "exit":
      break;
  }
  return out;
}
