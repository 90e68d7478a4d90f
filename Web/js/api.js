// Small fetch helpers: JSON in, JSON out, errors with the server's message.
export async function get(path) {
  const response = await fetch(path);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

export async function post(path, payload) {
  const response = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(payload) });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
  return body;
}

export function currentUser() {
  const id = Number(localStorage.getItem('sparrow.user'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

export function setUser(id) { localStorage.setItem('sparrow.user', String(id)); }
