/**
 * The core's public face. Pure: definitions, validation, the interpreter, lifecycle rules, the Clock port.
 */
export * from "./types.js";
export * from "./errors.js";
