/**
 * The answers to the Streamable HTTP initialize POST after which a legacy (2024-11-05) HTTP+SSE
 * endpoint is tried, per the spec's backwards-compatibility section. verify and the doctor share
 * it so they never disagree about the same server.
 */
export const SSE_FALLBACK_STATUSES: readonly number[] = [400, 404, 405];
