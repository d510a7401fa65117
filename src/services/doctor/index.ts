export { runDoctor, runDoctorAll, exitCodeOfReport, exitCodeOfReports } from './run.js';
export type { DoctorAllOptions } from './run.js';
export { buildSupportBundle } from './bundle.js';
export type { BundleContext } from './bundle.js';
export type * from './types.js';
