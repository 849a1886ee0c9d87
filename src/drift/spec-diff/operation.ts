/**
 * One operation present in both documents: everything a client of it could notice.
 */
import type { OperationModel } from '../../spec/index.js';
import { compareParameters, compareRequestBodies } from './parameters.js';
import { compareResponses } from './responses.js';
import { childRef, type DiffScope } from './scope.js';
import { compareSecurity, compareServers } from './security.js';

export function compareOperation(scope: DiffScope, before: OperationModel, after: OperationModel): void {
  if (before.operationId !== undefined && before.operationId !== after.operationId) {
    scope.report('operation-id-changed', 'new', after.at, `operationId ${before.operationId} → ${after.operationId ?? '(none)'}`, {
      before: before.operationId,
      after: after.operationId,
    });
  }
  if (after.deprecated && !before.deprecated) {
    scope.report('operation-deprecated', 'new', childRef(after.at, 'deprecated'), 'operation is now deprecated', { before: false, after: true });
  }
  compareParameters(scope, before, after);
  compareRequestBodies(scope, before.requestBody, after.requestBody);
  compareResponses(scope, before.responses, after.responses);
  compareSecurity(scope, before.security, after.security, securityAt(scope, after));
  if (before.servers || after.servers) {
    compareServers(scope, before.servers ?? scope.oldSpec.servers, after.servers ?? scope.newSpec.servers, after.at);
  }
}

/** The operation's own `security`, else the document's, which it inherits. */
function securityAt(scope: DiffScope, operation: OperationModel) {
  const own = scope.documents('new').valueAt(childRef(operation.at, 'security'));
  return own !== undefined ? childRef(operation.at, 'security') : { uri: scope.newSpec.documents.root.uri, pointer: '/security' };
}
