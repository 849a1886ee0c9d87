/**
 * Connector errors. Two kinds, told apart by class and `code`:
 *
 * - `ConnectorDefinitionError`: the connector file (or what it names: recon.yaml, the operation,
 *   the integration spec) cannot be used. Nothing is run; exit 2.
 * - `ConnectorInputError`: one message cannot become a request (a template points at a field the
 *   record lacks, the body fails the vendor's schema). The runner dead-letters that message with
 *   `message` as the reason and carries on with the others.
 */
import { FileProblemsError, formatProblems, type ConfigProblem } from '../../config/errors.js';
import { ExitCode, ReconError, type ReconErrorOptions } from '../../errors.js';

export type ConnectorDefinitionErrorCode =
  /** The file does not exist or cannot be read. */
  | 'RECON_CONNECTOR_NOT_FOUND'
  /** Not YAML, or a module without a default export. */
  | 'RECON_CONNECTOR_SYNTAX'
  /** Unknown keys, wrong types, bad templates, strategy none without acknowledgement. */
  | 'RECON_CONNECTOR_INVALID'
  /** The operation (or lookup operation) is not in the vendor document. */
  | 'RECON_CONNECTOR_UNKNOWN_OPERATION'
  /** recon.yaml has no such target, the target has no spec, there is no rate limit. */
  | 'RECON_CONNECTOR_UNRESOLVED';

export type ConnectorInputErrorCode =
  /** The body (or a parameter) fails the operation's documented schema. */
  | 'RECON_CONNECTOR_INVALID_MESSAGE'
  /** A template or `messageId` names a pointer the record does not have. */
  | 'RECON_CONNECTOR_MISSING_FIELD';

/** One problem in a connector file, placed when it can be: the same shape as recon.yaml's. */
export type ConnectorProblem = ConfigProblem;

/** Most problems written into the message; `problems` holds them all. */
const FORMAT = { max: 30, colonAfterPlace: true } as const;

/** The connector definition cannot be used. Exit 2: the input is at fault. */
export class ConnectorDefinitionError extends FileProblemsError<ConnectorDefinitionErrorCode> {
  constructor(code: ConnectorDefinitionErrorCode, file: string, problems: ConnectorProblem[], options: ReconErrorOptions = {}) {
    super(code, file, problems, options, FORMAT);
  }
}

/** One message cannot become a request: the runner dead-letters it with this message. */
export class ConnectorInputError extends ReconError {
  readonly exitCode = ExitCode.usage;
  readonly code: ConnectorInputErrorCode;
  /** The message id, when known. */
  readonly messageId: string | undefined;

  constructor(code: ConnectorInputErrorCode, message: string, messageId?: string, options: ReconErrorOptions = {}) {
    super(message, options);
    this.code = code;
    this.messageId = messageId;
  }
}

/**
 * `connectors/push.yaml:7:5: idempotency.strategy: …`, one line per problem: the shape editors
 * and terminals jump to. (recon.yaml's messages put no colon after the column; connector
 * messages follow the form the runtime issue asked for, which compilers use too.)
 */
export function formatConnectorProblems(file: string, problems: readonly ConnectorProblem[]): string {
  return formatProblems(file, problems, FORMAT);
}
