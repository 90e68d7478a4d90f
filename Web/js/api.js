// Small fetch helpers: JSON in, JSON out, errors with the server's message. A server with keys serves the page with
// one in its sparrow-key meta tag (serve --web-key); every request sends it.
const key = document.querySelector('meta[name="sparrow-key"]')?.content || '';
const auth = key ? { Authorization: `Bearer ${key}` } : {};

export async function get(path) {
  const response = await fetch(path, { headers: auth });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

export async function post(path, payload) {
  const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...auth }, body: JSON.stringify(payload) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

export function currentUser() {
  const id = Number(localStorage.getItem('sparrow.user'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export function setUser(id) { localStorage.setItem('sparrow.user', String(id)); }
