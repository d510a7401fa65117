// Bundled in place of mime-db (≈ 150 kB) for `mcp-setup demo`'s express app, which only serves
// JSON, HTML, plain text and forms. mime-types falls back sensibly for anything else.
export default {
  'application/json': { source: 'iana', charset: 'UTF-8', compressible: true, extensions: ['json', 'map'] },
  'application/x-www-form-urlencoded': { source: 'iana', compressible: true },
  'application/octet-stream': { source: 'iana', compressible: true, extensions: ['bin'] },
  'text/html': { source: 'iana', compressible: true, extensions: ['html', 'htm'] },
  'text/plain': { source: 'iana', compressible: true, extensions: ['txt', 'text'] },
  'text/css': { source: 'iana', charset: 'UTF-8', compressible: true, extensions: ['css'] },
  'application/javascript': { source: 'apache', charset: 'UTF-8', compressible: true, extensions: ['js'] },
};
