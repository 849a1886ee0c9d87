/**
 * recon's library API. The CLI is a thin layer over these functions.
 *
 * @example
 * import { loadSpec, buildInventory, startSandbox } from 'recon';
 * const sandbox = await startSandbox({ port: 0 });
 * const spec = await loadSpec(ACME_SPEC_PATH);
 * console.log(buildInventory(spec).gaps);
 * await sandbox.close();
 */
export * from './spec/index.js';
export { startSandbox, ACME_SPEC_PATH, type SandboxOptions, type RunningSandbox } from './sandbox/index.js';
export { startFaultProxy, loadFaultSpec, FAULT_KINDS, FaultSpecError, type FaultSpec, type FaultProxyOptions, type FaultProxyStats, type RunningFaultProxy } from './sandbox/index.js';
export {
  startRunMonitoring,
  buildRules,
  rulesYaml,
  checkAlerts,
  statusReport,
  webhookTarget,
  commandTarget,
  MONITOR_DEFAULTS,
  type RunMonitoring,
  type CheckResult,
  type StatusReport,
  type NotifyTarget,
} from './monitor/index.js';
export { runDemo, DEMO_BATCH, type DemoOptions, type DemoResult } from './demo/index.js';
export { generateTypes, writeTypesFile, TypesError } from './types/index.js';
export * from './runtime/index.js';
export { runReview, REVIEW_STAGES, type ReviewOptions, type ReviewResult, type ReviewStage, type ReviewStageEvent } from './review/index.js';
export { writeReport, readReview, buildReviewModel, renderReportMarkdown, renderReportHtml, REVIEW_FILES, type WrittenReport } from './report/index.js';
export {
  ExitCode,
  ReconError,
  UsageError,
  SpecLoadError,
  RuntimeFailure,
  formatLocation,
  isReconError,
  type SpecLoadErrorCode,
  type SourceLocation,
} from './errors.js';
export {
  loadConfig,
  findConfig,
  resolveConfigPath,
  targetFromFlags,
  ConfigError,
  CONFIG_DEFAULTS,
  type ReconConfig,
  type TargetConfig,
  type AuthConfig,
  type TlsConfig,
  type ProbePlanConfig,
  type ExplicitCall,
  type RedactionConfig,
} from './config/index.js';
export { initWorkspace } from './init/index.js';
export * from './http/index.js';
export * from './probe/index.js';
export * from './drift/index.js';
export {
  diffSpecs,
  diffSpecFiles,
  renderSpecDiffText,
  renderSpecDiffMarkdown,
  CHANGE_KINDS,
  SpecDiffLoadError,
  type SpecDiff,
  type SpecChange,
} from './drift/spec-diff/index.js';
export * from './limits/index.js';
export { RECON_VERSION } from './version.js';
