// Fallback for machines without GNU time: `node --import ./bench/hooks/max-rss.mjs …` writes
// "maxRSS <kB>" (process.resourceUsage().maxRSS) to MCP_SETUP_MAXRSS_FILE when the process exits.
import { writeFileSync } from 'node:fs';

const file = process.env.MCP_SETUP_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `maxRSS ${process.resourceUsage().maxRSS}\n`));
