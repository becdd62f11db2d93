// The network examples' surroundings: is the development server there,
// and the browser's limit of connections per host.

// Where the network examples go unless told otherwise: the server the
// playground itself came from (the development server serves both), which
// for an element embedded in another site is not that site.
export const DEFAULT_SERVER = new URL(import.meta.url).origin;

// Resolves to null if the server at `baseUrl` answers, else to a message.
export async function checkServer(baseUrl) {
  let url;
  try {
    url = new URL("api/stats", baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  } catch {
    return `"${baseUrl}" is not a URL: give the development server's address, such as http://127.0.0.1:8000.`;
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(3000), cache: "no-store" });
    if (response.ok) return null;
    return `The server at ${url.origin} answered ${response.status} for /api/stats: it does not look like the development server.`;
  } catch {
    return `The server at ${url.origin} is not reachable. This example needs the project's development server (cargo xtask serve), or its address in "Server".`;
  }
}

// The note for a run that had more than 6 requests in flight to one host.
export function connectionNote(model) {
  const [host, count] = model.busiestHost;
  if (count <= 6) return "";
  return `${count} requests to ${host} were in flight at once, but browsers open at most 6 connections per host, so the responses come back in waves of 6.`;
}
