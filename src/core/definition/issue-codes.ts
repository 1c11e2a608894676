/** The stable codes of journey definition issues. */
export const DefinitionIssueCode = {
  /** A value has the wrong JSON type. */
  invalidType: "invalid_type",
  /** A required field is missing. */
  required: "required",
  /** A field that the schema does not know. */
  unknownField: "unknown_field",
  /** A node `kind` that does not exist. */
  unknownKind: "unknown_kind",
  /** A value outside the allowed set or range. */
  invalidValue: "invalid_value",
  /** A node id (or an exit naming one) that does not match the id pattern. */
  invalidNodeId: "invalid_node_id",
  /** A malformed condition. */
  invalidCondition: "invalid_condition",
  /** A condition field path that names nothing. */
  invalidField: "invalid_field",
  /** A comparison that needs a `value` has none. */
  missingValue: "missing_value",
  /** Two nodes share an id. */
  duplicateId: "duplicate_id",
  /** No entry node. */
  noEntry: "no_entry",
  /** More than one entry node. */
  multipleEntries: "multiple_entries",
  /** An exit points at a node that does not exist. */
  danglingEdge: "dangling_edge",
  /** A node that cannot be reached from the entry. */
  unreachableNode: "unreachable_node",
  /** A cycle with no wait node on it. */
  waitlessLoop: "waitless_loop",
  /** Split percents that do not sum to 100. */
  splitPercentSum: "split_percent_sum",
  /** A duration that does not parse or is not positive. */
  invalidDuration: "invalid_duration",
  /** A cron expression that croner refuses. */
  invalidCron: "invalid_cron",
  /** An unknown IANA time zone. */
  invalidTimezone: "invalid_timezone",
  /** A Liquid template that does not parse. */
  invalidTemplate: "invalid_template",
  /** An ISO date-time that does not parse (or lacks a required offset). */
  invalidDatetime: "invalid_datetime",
  /** A time of day that is not `HH:MM`. */
  invalidTime: "invalid_time",
  /** A wait-until needs exactly one of `at` and `attribute`; `time` goes with `attribute`. */
  invalidWaitUntil: "invalid_wait_until",
  /** An email action with neither `html` nor `text`. */
  missingContent: "missing_content",
  /** A reference (a `results.<id>` field, a guardrail's `node`) to a node that does not exist. */
  unknownNode: "unknown_node",
  /** A reference to a node that is not an action node, where only actions have results. */
  notAnAction: "not_an_action",
  /** A condition reads the result of an action that never comes before it on any path. */
  resultUnavailable: "result_unavailable",
  /** A webhook URL without template markup that is not an absolute http or https URL. */
  invalidUrl: "invalid_url",
  /** A webhook's text body (a string) without `contentType`. */
  missingContentType: "missing_content_type",
} as const;
/**
 * The codes of rules that a version published before they existed may break. A stored version is
 * compiled without them (`compileDefinition(json, { stored: true })`), so that it keeps running as it
 * did; each is safe to skip: the engine handles the case at run time, as it did before the rule.
 */
export const NEW_DEFINITION_RULES: ReadonlySet<string> = new Set([
  DefinitionIssueCode.unknownNode,
  DefinitionIssueCode.notAnAction,
  DefinitionIssueCode.resultUnavailable,
  DefinitionIssueCode.invalidUrl,
  DefinitionIssueCode.missingContentType,
]);

/** A stable code of a journey definition issue. */
export type DefinitionIssueCode = (typeof DefinitionIssueCode)[keyof typeof DefinitionIssueCode];
