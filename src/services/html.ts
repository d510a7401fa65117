/** Text for an HTML page we serve (the sign-in callback page, the demo's consent page). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
