declare const __MCP_SETUP_VERSION__: string | undefined;

/** Injected by the bundler from package.json; the dev fallback keeps unbundled tests honest. */
export const VERSION: string = typeof __MCP_SETUP_VERSION__ === 'string' ? __MCP_SETUP_VERSION__ : '0.0.0-dev';
