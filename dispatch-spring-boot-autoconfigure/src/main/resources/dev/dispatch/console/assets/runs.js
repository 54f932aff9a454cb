// The runs page: the overview (counts, workers, backlog, the last hour per minute), filters, and a page of runs.

import {base, get, pageSize} from './api.js';
import {minuteChart} from './chart.js';
import {between, count, duration, h, progress, renderInto, status, time} from './dom.js';

const STATUSES = ['PENDING', 'RUNNING', 'SUSPENDED', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
const FILTERS = ['status', 'function', 'from', 'to', 'error', 'id'];

export function runsView(container, navigate) {
    const params = new URLSearchParams(location.search);
    const filters = Object.fromEntries(FILTERS.map(name => [name, params.get(name) || '']));
    const pages = [params.get('before') || '']; // the cursors of the pages seen, to go back to newer ones

    const cards = h('div', {class: 'cards', id: 'cards'});
    const engine = h('div', {class: 'engine', id: 'engine'});
    const chart = h('div', {class: 'chart-box', id: 'chart'});
    const functions = h('select', {name: 'function', id: 'filter-function'}, h('option', {value: ''}, 'all functions'));
    const form = filterForm(filters, functions, values => {
        Object.assign(filters, values);
        pages.length = 1;
        pages[0] = '';
        syncAddress();
        refresh();
    });
    const table = h('tbody', {id: 'runs'});
    const newer = h('button', {type: 'button', id: 'newer', onclick: () => { pages.pop(); syncAddress(); refresh(); }}, '‹ Newer');
    const older = h('button', {type: 'button', id: 'older'}, 'Older ›');
    const byFunction = h('div', {id: 'by-function'});
    let next = null;
    older.addEventListener('click', () => { if (next) { pages.push(next); syncAddress(); refresh(); } });

    container.replaceChildren(
        h('section', {class: 'overview'},
            h('div', {class: 'panel'}, h('h2', {}, 'Invocations'), cards, engine),
            h('div', {class: 'panel'}, h('h2', {}, 'Calls finished per minute, last hour'), chart,
                h('p', {class: 'legend'}, h('span', {class: 'key ok'}), 'succeeded ', h('span', {class: 'key failed'}), 'failed'))),
        h('section', {class: 'panel'},
            h('h2', {}, 'Runs'), form,
            h('div', {class: 'table-wrap'}, h('table', {class: 'runs'},
                h('thead', {}, h('tr', {},
                    h('th', {}, 'Status'), h('th', {}, 'Function'), h('th', {class: 'wide'}, 'Run'),
                    h('th', {}, 'Started'), h('th', {class: 'wide'}, 'Duration'), h('th', {}, 'Calls'))),
                table)),
            h('div', {class: 'pager'}, newer, older)),
        h('details', {class: 'panel'}, h('summary', {}, 'By function'), byFunction));

    function syncAddress() {
        const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v));
        if (pages.at(-1)) query.set('before', pages.at(-1));
        history.replaceState(null, '', `${base}${[...query].length ? `?${query}` : ''}`);
    }

    async function refresh() {
        const [overview, page] = await Promise.all([
            get('/overview'),
            get('/runs', {...filters, ...isoRange(filters), before: pages.at(-1), limit: pageSize}),
        ]);
        document.getElementById('node').textContent = overview.node;
        renderInto(cards, overview.byStatus, byStatus => STATUSES.map(name => h('a', {
            class: `card s-${name.toLowerCase()}`, href: `${base}?status=${name}`, 'data-route': '', 'data-status': name,
        }, h('span', {class: 'card-count'}, count(byStatus[name] || 0)), h('span', {class: 'card-label'}, name.toLowerCase()))));
        renderInto(engine, [overview.workersBusy, overview.workers, overview.queueDepth, overview.oldestPendingAgeMillis], () => [
            h('span', {}, 'Workers busy ', h('strong', {id: 'workers'}, `${overview.workersBusy} / ${overview.workers}`)),
            h('span', {}, 'Ready queue ', h('strong', {}, count(overview.queueDepth))),
            h('span', {}, 'Oldest pending ', h('strong', {}, overview.oldestPendingAgeMillis === null ? 'none' : duration(overview.oldestPendingAgeMillis))),
        ]);
        renderInto(chart, overview.perMinute, minuteChart);
        renderInto(functions, overview.functions, names => [h('option', {value: ''}, 'all functions'),
            ...names.map(name => h('option', {value: name, selected: name === filters.function}, name))]);
        renderInto(byFunction, overview.byFunction, functionTable);
        next = page.next;
        newer.disabled = pages.length <= 1 && !pages[0];
        older.disabled = !next;
        renderInto(table, page.runs, runs => runs.length
            ? runs.map(run => runRow(run, navigate))
            : h('tr', {}, h('td', {colspan: 6, class: 'empty'}, 'No run matches.')));
    }

    return {refresh};
}

function runRow(run, navigate) {
    const href = `${base}/runs/${run.id}`;
    const row = h('tr', {'data-id': run.id, 'data-status': run.status, class: 'clickable'},
        h('td', {}, status(run.status)),
        h('td', {}, h('a', {href, 'data-route': '', class: 'run-link'}, run.function),
            run.errorMessage && run.status !== 'SUCCEEDED' ? h('div', {class: 'error-line', title: run.errorMessage}, run.errorMessage) : null),
        h('td', {class: 'wide mono small'}, run.id),
        h('td', {}, time(run.createdAt)),
        h('td', {class: 'wide'}, duration(between(run.createdAt, run.completedAt))),
        h('td', {}, run.calls.total ? progress(run.calls) : h('span', {class: 'muted'}, '—')));
    row.addEventListener('click', event => { if (!event.target.closest('a')) navigate(href); });
    return row;
}

function filterForm(filters, functions, apply) {
    const field = (label, control) => h('label', {}, h('span', {}, label), control);
    const statusSelect = h('select', {name: 'status', id: 'filter-status'}, h('option', {value: ''}, 'any status'),
        ...STATUSES.map(name => h('option', {value: name, selected: name === filters.status}, name.toLowerCase())));
    const from = h('input', {type: 'datetime-local', name: 'from', value: filters.from});
    const to = h('input', {type: 'datetime-local', name: 'to', value: filters.to});
    const error = h('input', {type: 'search', name: 'error', placeholder: 'error text', value: filters.error});
    const id = h('input', {type: 'search', name: 'id', placeholder: 'run id', value: filters.id, id: 'filter-id'});
    const form = h('form', {class: 'filters', id: 'filters'},
        field('Status', statusSelect), field('Function', functions), field('From', from), field('To', to),
        field('Error', error), field('Id', id),
        h('div', {class: 'buttons'},
            h('button', {type: 'submit', id: 'apply'}, 'Apply'),
            h('button', {type: 'reset', id: 'clear'}, 'Clear')));
    const values = () => Object.fromEntries(FILTERS.map(name => [name, form.elements[name].value.trim()]));
    form.addEventListener('submit', event => { event.preventDefault(); apply(values()); });
    form.addEventListener('reset', () => setTimeout(() => apply(values())));
    statusSelect.addEventListener('change', () => apply(values()));
    functions.addEventListener('change', () => apply(values()));
    return form;
}

function isoRange(filters) {
    const iso = value => value ? new Date(value).toISOString() : '';
    return {from: iso(filters.from), to: iso(filters.to)};
}

function functionTable(byFunction) {
    const names = Object.keys(byFunction);
    if (!names.length) return h('p', {class: 'muted'}, 'Nothing recorded yet.');
    return h('div', {class: 'table-wrap'}, h('table', {class: 'functions'},
        h('thead', {}, h('tr', {}, h('th', {}, 'Function'), ...STATUSES.map(s => h('th', {class: 'num'}, s.toLowerCase())))),
        h('tbody', {}, names.map(name => h('tr', {},
            h('td', {}, h('a', {href: `${base}?function=${encodeURIComponent(name)}`, 'data-route': ''}, name)),
            ...STATUSES.map(s => h('td', {class: 'num'}, count(byFunction[name][s] || 0))))))));
}
