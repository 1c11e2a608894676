import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError } from "../core/index.js";
import { normaliseError, STATUS_OF_CODE, WorkspaceNotFoundError } from "./error-boundary.js";

describe("normaliseError", () => {
  it("maps Waymark's named errors through the status table", () => {
    const v = normaliseError(new ValidationError([{ path: "a.b", code: "x", message: "bad" }]));
    expect(v.status).toBe(400);
    expect(v.body).toMatchObject({ code: "validation_failed", path: "a.b" });
    expect(normaliseError(new NotFoundError("journey", "j1")).status).toBe(404);
    const c = normaliseError(new ConflictError("no", "live", ["pause"]));
    expect(c.status).toBe(409);
    expect(c.body).toEqual({ code: "conflict", message: "no", current: "live", allowed: ["pause"] });
  });

  it("issue 16 defect 11: an unknown workspace is a 404 that names it", () => {
    const w = normaliseError(new WorkspaceNotFoundError("acmee"));
    expect(w.status).toBe(404);
    expect(w.body.code).toBe("workspace_not_found");
    expect(w.body.message).toContain('"acmee"');
  });

  it("maps Fastify's body errors", () => {
    expect(normaliseError({ code: "FST_ERR_CTP_BODY_TOO_LARGE", statusCode: 413 }).body.code).toBe(
      "payload_too_large",
    );
    expect(normaliseError({ code: "FST_ERR_CTP_INVALID_MEDIA_TYPE", statusCode: 415 }).status).toBe(415);
    const json = normaliseError(Object.assign(new SyntaxError("Unexpected token"), { statusCode: 400 }));
    expect(json.body).toMatchObject({ code: "validation_failed", path: "body" });
  });

  it("answers 500 without the message or stack of an unexpected error", () => {
    const a = normaliseError(new Error("secret detail"));
    expect(a).toMatchObject({ status: 500, unexpected: true });
    expect(JSON.stringify(a.body)).not.toContain("secret");
  });

  it("has a status for every code", () => {
    expect(Object.values(STATUS_OF_CODE).every((s) => s >= 400 && s < 600)).toBe(true);
    expect(Object.keys(STATUS_OF_CODE).sort()).toEqual([
      "conflict",
      "internal",
      "not_found",
      "payload_too_large",
      "unsupported_media_type",
      "validation_failed",
      "workspace_not_found",
    ]);
  });
});
