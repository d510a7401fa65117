export { runDoctor, runDoctorAll, exitCodeOfReport, exitCodeOfReports, reportTarget, LAYER_EXIT_CODE, DEFAULT_TIMEOUT_MS, DEFAULT_CONCURRENCY } from './run.js';
export type { DoctorAllOptions } from './run.js';
export { buildSupportBundle, redactUrl, maskHeaders, redactText } from './bundle.js';
export type { BundleContext } from './bundle.js';
export { LAYERS } from './types.js';
export type * from './types.js';
