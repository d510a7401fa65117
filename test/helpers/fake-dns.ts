import type { LookupFunction } from 'node:net';

/**
 * Name resolution from a table, so tests can use made-up names (mcp.test) without a single real
 * DNS query. Unknown names fail with ENOTFOUND, like a real resolver.
 */
export function fakeDns(table: Record<string, string>) {
  const find = (host: string) => table[host.toLowerCase()];
  const notFound = (host: string) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
  const resolve = async (host: string) => {
    const address = find(host);
    if (!address) throw notFound(host);
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
  const lookup: LookupFunction = (host, options, callback) => {
    const address = find(host);
    if (!address) return callback(notFound(host), '', 4);
    const family = address.includes(':') ? 6 : 4;
    if ((options as { all?: boolean }).all) {
      (callback as unknown as (err: null, addresses: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    } else callback(null, address, family);
  };
  return { resolve, lookup };
}
