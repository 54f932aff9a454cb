// Failed calls grouped by function and error type; with write operations, retry or cancel in bulk by filter.

import {base, get, post, writeOperations} from './api.js';
import {count, h, renderInto, time} from './dom.js';
import {confirmAction, notify} from './ui.js';

const PERIODS = [['1h', 'last hour', 3600e3], ['24h', 'last 24 hours', 86400e3], ['7d', 'last 7 days', 7 * 86400e3], ['all', 'all time', 0]];

export function failuresView(container) {
    const params = new URLSearchParams(location.search);
    let period = params.get('period') || '24h';
    const groups = h('tbody', {id: 'failure-groups'});
    const choose = h('select', {id: 'period'}, PERIODS.map(([value, label]) => h('option', {value, selected: value === period}, label)));
    choose.addEventListener('change', () => {
        period = choose.value;
        history.replaceState(null, '', `${base}/failures?period=${period}`);
        refresh();
    });
    container.replaceChildren(
        h('section', {class: 'panel'},
            h('div', {class: 'title'}, h('h1', {}, 'Failures'), h('label', {class: 'inline'}, 'Failed in the ', choose)),
            h('div', {class: 'table-wrap'}, h('table', {class: 'failures'},
                h('thead', {}, h('tr', {}, h('th', {}, 'Function'), h('th', {}, 'Error'), h('th', {class: 'num'}, 'Failed'),
                    h('th', {class: 'wide'}, 'Latest'), writeOperations ? h('th', {}, '') : null)),
                groups))),
        writeOperations ? bulkForm() : null);

    function since() {
        const millis = PERIODS.find(([value]) => value === period)?.[2];
        return millis ? new Date(Date.now() - millis).toISOString() : '';
    }

    async function refresh() {
        const failures = await get('/failures', {since: since()});
        renderInto(groups, failures, list => list.length ? list.map(group => h('tr', {'data-function': group.function},
            h('td', {}, h('a', {href: `${base}?function=${encodeURIComponent(group.function)}`, 'data-route': ''}, group.function)),
            h('td', {}, h('div', {class: 'mono'}, group.errorType || '(none)'),
                h('a', {class: 'error-line', href: `${base}/runs/${group.latestId}`, 'data-route': '', title: group.latestMessage || ''}, group.latestMessage || '')),
            h('td', {class: 'num'}, count(group.count)),
            h('td', {class: 'wide'}, time(group.latestAt)),
            writeOperations ? h('td', {}, h('button', {type: 'button', class: 'retry-group',
                onclick: () => bulk({action: 'retry', function: group.function, errorType: group.errorType, since: since()}, refresh)}, 'Retry all')) : null))
            : h('tr', {}, h('td', {colspan: 5, class: 'empty'}, 'No failures in this period.')));
    }

    function bulkForm() {
        const form = h('form', {class: 'filters', id: 'bulk'},
            h('label', {}, h('span', {}, 'Action'), h('select', {name: 'action'},
                h('option', {value: 'retry'}, 'retry every FAILED call'), h('option', {value: 'cancel'}, 'cancel every unfinished call'))),
            h('label', {}, h('span', {}, 'Function'), h('input', {name: 'function', placeholder: 'any function'})),
            h('label', {}, h('span', {}, 'Error type (retry)'), h('input', {name: 'errorType', placeholder: 'any error'})),
            h('label', {}, h('span', {}, 'Since'), h('input', {type: 'datetime-local', name: 'since'})),
            h('div', {class: 'buttons'}, h('button', {type: 'submit', class: 'danger'}, 'Count and confirm…')));
        form.addEventListener('submit', event => {
            event.preventDefault();
            const f = form.elements;
            bulk({action: f.action.value, function: f.function.value, errorType: f.errorType.value,
                since: f.since.value ? new Date(f.since.value).toISOString() : ''}, refresh);
        });
        return h('section', {class: 'panel'}, h('h2', {}, 'Bulk action'),
            h('p', {class: 'muted'}, 'Retry failed calls (finished since the time given) or cancel unfinished ones (created since then), each with its own transaction; you see how many first.'),
            form);
    }

    return {refresh};
}

async function bulk(filter, refresh) {
    try {
        const preview = await post('/bulk', {...filter, dryRun: true});
        if (!preview.matching) {
            notify(`Nothing to ${filter.action}: no invocation matches.`, 'info');
            return;
        }
        const what = filter.action === 'retry' ? 'failed' : 'unfinished';
        const capped = preview.matching > preview.limit ? ` (the first ${count(preview.limit)} of them)` : '';
        const question = `${filter.action === 'retry' ? 'Retry' : 'Cancel'} ${count(preview.matching)} ${what} invocation${preview.matching === 1 ? '' : 's'}${filter.function ? ` of ${filter.function}` : ''}${filter.errorType ? ` that failed with ${filter.errorType}` : ''}${capped}?`;
        if (!(await confirmAction(question))) return;
        const done = await post('/bulk', {...filter, confirmed: true});
        notify(filter.action === 'retry'
            ? `Retried ${count(done.retried)} of ${count(done.selected)} selected invocations`
            : `Cancelled ${count(done.cancelled)} invocations (from ${count(done.selected)} selected)`, 'ok');
    } catch (error) {
        notify(error.message, 'error');
    }
    await refresh();
}
