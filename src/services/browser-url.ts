/**
 * A server's metadata is untrusted input and ends up in the browser opener, which on some
 * platforms goes through a shell. Only plain http(s) URLs with no characters a shell or the
 * opener could reinterpret are allowed through.
 */
export function isSafeBrowserUrl(candidate: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f"'`$;|&<>\\^]/.test(candidate)) return false;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
}
