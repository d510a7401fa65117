// Baseline for `mcp-setup verify URL`: the plain MCP SDK, unbundled, doing what any client does
// to check a server (connect over Streamable HTTP + tools/list), as a whole process.
// Usage: node bench/sdk-verify.mjs URL
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const url = new URL(process.argv[2]);
const client = new Client({ name: 'sdk-verify-baseline', version: '0.0.0' });
await client.connect(new StreamableHTTPClientTransport(url));
const { tools } = await client.listTools();
process.stdout.write(`${client.getServerVersion()?.name}: ${tools.length} tools\n`);
await client.close();
process.exit(0);
