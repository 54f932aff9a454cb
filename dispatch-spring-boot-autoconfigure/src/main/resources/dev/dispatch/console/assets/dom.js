// Small helpers to build the DOM from data: text always goes in as text, never as HTML.

export function h(tag, attrs = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
        else if (name === 'class') element.className = value;
        else element.setAttribute(name, value === true ? '' : String(value));
    }
    append(element, children);
    return element;
}

function append(element, children) {
    for (const child of children) {
        if (child === null || child === undefined || child === false) continue;
        if (Array.isArray(child)) append(element, child);
        else element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
}

const numbers = new Intl.NumberFormat('en-US');

export function count(n) {
    return numbers.format(n ?? 0);
}

export function time(iso) {
    if (!iso) return '';
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    return today
        ? date.toLocaleTimeString([], {hour: '2-digit', minute: '2-digit', second: '2-digit'})
        : date.toLocaleString([], {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit'});
}

export function duration(millis) {
    if (millis === null || millis === undefined) return '';
    if (millis < 1000) return `${millis} ms`;
    const seconds = millis / 1000;
    if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return `${hours} h ${minutes % 60} min`;
    return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function between(startIso, endIso) {
    if (!startIso) return null;
    const end = endIso ? new Date(endIso) : new Date();
    return Math.max(0, end - new Date(startIso));
}

export function status(value) {
    return h('span', {class: `status s-${(value || '').toLowerCase()}`}, value);
}

/** "7,412 / 10,000, 3 failed": calls finished out of all, and the failed and cancelled ones if any. */
export function progressText(p) {
    let text = `${count(p.succeeded + p.failed + p.cancelled)} / ${count(p.total)}`;
    if (p.failed) text += `, ${count(p.failed)} failed`;
    if (p.cancelled) text += `, ${count(p.cancelled)} cancelled`;
    return text;
}

export function progressBar(p) {
    const bar = h('span', {class: 'bar', role: 'img', 'aria-label': progressText(p)});
    const total = p.total || 1;
    for (const [part, n] of [['ok', p.succeeded], ['failed', p.failed], ['cancelled', p.cancelled]]) {
        if (!n) continue;
        const segment = h('span', {class: `seg ${part}`});
        segment.style.width = `${(100 * n) / total}%`; // CSSOM, allowed under the style-src policy
        bar.append(segment);
    }
    return bar;
}

export function progress(p) {
    return h('span', {class: 'progress'}, progressBar(p), h('span', {class: 'progress-text'}, progressText(p)));
}

export function shortId(id) {
    return id ? id.slice(0, 8) : '';
}

/** Replaces the children of a container only when the data it shows changed, so that live refresh does not flicker. */
export function renderInto(container, data, render) {
    const key = JSON.stringify(data);
    if (container.dataset.rendered === key) return false;
    container.dataset.rendered = key;
    container.replaceChildren(...[render(data)].flat().filter(Boolean));
    return true;
}
