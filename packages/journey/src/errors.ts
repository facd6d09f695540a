/** The closed set of reasons a journey fails validation. */
export const journeyErrorCodes = [
  'invalid_document',
  'unsupported_schema_version',
  'invalid_settings',
  'duplicate_node_id',
  'duplicate_edge_id',
  'unknown_node_type',
  'unsupported_type_version',
  'invalid_config',
  'no_trigger',
  'multiple_triggers',
  'edge_into_trigger',
  'unknown_source',
  'unknown_target',
  'unknown_port',
  'dangling_port',
  'port_connected_twice',
  'unreachable_node',
  'cycle_without_wait',
  'unknown_template',
  'unknown_segment',
  'invalid_compile_output',
] as const;

export type JourneyErrorCode = (typeof journeyErrorCodes)[number];

/**
 * One validation error. `nodeId` names the offending node, or is `null` for graph-level errors
 * (no trigger, settings), where `path` says which setting (`settings.goal.within`).
 */
export interface JourneyError {
  readonly nodeId: string | null;
  readonly port?: string;
  /** Dotted path to the field at fault, from the document root or the node's config. */
  readonly path?: string;
  readonly code: JourneyErrorCode;
  readonly message: string;
}
