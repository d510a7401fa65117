import type { Check, CheckContext, Layer } from './types.js';

/**
 * One link in the connection chain. Steps run in order; after the first failure the rest are
 * reported as skipped, so the report explains one cause instead of a cascade of symptoms.
 */
export interface Step {
  id: string;
  layer: Layer;
  run(ctx: CheckContext): Promise<Check[]>;
  /** A step that only speaks when it applies (a proxy tunnel, extra CAs): no "skipped" line after a failure. */
  quietWhenSkipped?: boolean;
}
