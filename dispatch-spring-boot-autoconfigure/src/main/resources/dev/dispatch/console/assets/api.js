// The console's JSON API, at the base address the page was served with; actions carry the CSRF token if any.

function meta(name) {
    return document.querySelector(`meta[name="${name}"]`)?.content ?? '';
}

export const base = meta('dispatch-base');
export const writeOperations = meta('dispatch-write-operations') === 'true';
export const refreshMillis = Number(meta('dispatch-refresh-millis')) || 3000;
export const pageSize = Number(meta('dispatch-page-size')) || 50;

export class ApiError extends Error {}

async function answer(response) {
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(body.detail || `${response.status} ${response.statusText}`);
    return body;
}

export async function get(path, params = {}) {
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== ''));
    const url = `${base}/api${path}${query.size || [...query].length ? `?${query}` : ''}`;
    return answer(await fetch(url, {headers: {Accept: 'application/json'}, credentials: 'same-origin'}));
}

export async function post(path, body = {}) {
    const headers = {'Content-Type': 'application/json', Accept: 'application/json'};
    const csrfHeader = meta('dispatch-csrf-header');
    if (csrfHeader) headers[csrfHeader] = meta('dispatch-csrf-token');
    return answer(await fetch(`${base}/api${path}`, {
        method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify(body),
    }));
}
