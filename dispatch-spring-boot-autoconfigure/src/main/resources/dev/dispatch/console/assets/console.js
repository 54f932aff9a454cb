// The console's entry: routes the address to a view, follows links without reloading, and refreshes the view live.

import {base, refreshMillis} from './api.js';
import {failuresView} from './failures.js';
import {limitsView} from './limits.js';
import {runView} from './run.js';
import {runsView} from './runs.js';
import {schedulesView} from './schedules.js';
import {notify} from './ui.js';

const view = document.getElementById('view');
const liveButton = document.getElementById('live');
let current = null;
let live = true;
let timer = null;
let generation = 0;

function route() {
    const path = location.pathname.slice(base.length).replace(/\/+$/, '');
    const run = path.match(/^\/runs\/([^/]+)$/);
    for (const link of document.querySelectorAll('[data-nav]')) {
        link.classList.toggle('active', link.dataset.nav === (['/failures', '/schedules', '/limits'].includes(path) ? path.slice(1) : 'runs'));
    }
    generation++;
    if (run) current = runView(view, navigate, decodeURIComponent(run[1]));
    else if (path === '/failures') current = failuresView(view, navigate);
    else if (path === '/schedules') current = schedulesView(view, navigate);
    else if (path === '/limits') current = limitsView(view, navigate);
    else current = runsView(view, navigate);
    tick();
}

function navigate(href) {
    history.pushState(null, '', href);
    window.scrollTo(0, 0);
    route();
}

async function tick() {
    clearTimeout(timer);
    const mine = generation;
    try {
        await current.refresh();
        document.body.classList.remove('offline');
    } catch (error) {
        document.body.classList.add('offline');
        notify(`Could not refresh: ${error.message}`, 'error');
    }
    if (mine === generation) schedule();
}

function schedule() {
    clearTimeout(timer);
    if (live && !document.hidden) timer = setTimeout(tick, refreshMillis);
}

document.addEventListener('click', event => {
    const link = event.target.closest('a[data-route]');
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    navigate(link.href);
});
window.addEventListener('popstate', route);
document.addEventListener('visibilitychange', () => { if (!document.hidden && live) tick(); });
liveButton.addEventListener('click', () => {
    live = !live;
    liveButton.classList.toggle('on', live);
    liveButton.setAttribute('aria-pressed', String(live));
    liveButton.textContent = live ? 'Live' : 'Paused';
    if (live) tick(); else clearTimeout(timer);
});

route();
