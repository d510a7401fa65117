/**
 * `mcp-setup demo`: startDemoServer({port?, signal?, accessTokenTtl?}) → {url, issuer, close()}.
 * A local OAuth-protected MCP server on 127.0.0.1 (consent page with an Approve button, three
 * tools) so a newcomer can walk the whole sign-in without an account. Point `login` at `url`.
 */
export { startDemoServer, type DemoServer, type DemoServerOptions } from './server.js';
