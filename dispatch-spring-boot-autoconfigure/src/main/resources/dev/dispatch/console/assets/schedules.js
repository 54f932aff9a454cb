// The schedules (cron, zone, next tick, last run) with pause, resume and trigger when write operations are on; the
// functions waiting for a signal and the signals no wait has taken yet.

import {base, get, post, writeOperations} from './api.js';
import {count, h, renderInto, shortId, status, time} from './dom.js';
import {act} from './ui.js';

export function schedulesView(container) {
    const schedules = h('tbody', {id: 'schedules'});
    const waits = h('tbody', {id: 'waits'});
    const signals = h('tbody', {id: 'signals'});
    const head = (...names) => h('thead', {}, h('tr', {}, names.map(name => name === null ? null : h('th', {}, name))));
    container.replaceChildren(
        h('section', {class: 'panel'}, h('div', {class: 'title'}, h('h1', {}, 'Schedules')),
            h('div', {class: 'table-wrap'}, h('table', {class: 'schedules'},
                head('Function', 'Cron', 'Next tick', 'Last run', 'State', writeOperations ? '' : null), schedules))),
        h('section', {class: 'panel'}, h('h2', {}, 'Waiting for a signal'),
            h('div', {class: 'table-wrap'}, h('table', {class: 'waits'}, head('Key', 'Run', 'Since', 'Time-out'), waits))),
        h('section', {class: 'panel'}, h('h2', {}, 'Signals not taken'),
            h('div', {class: 'table-wrap'}, h('table', {class: 'signals'}, head('Key', 'Sent', 'Payload'), signals))));

    async function refresh() {
        const answer = await get('/schedules');
        renderInto(schedules, answer.schedules, list => list.length ? list.map(s => h('tr', {'data-schedule': s.function},
            h('td', {class: 'mono'}, s.function),
            h('td', {}, h('span', {class: 'mono'}, s.cron), ' ', h('span', {class: 'muted'}, s.zone)),
            h('td', {}, s.paused ? h('span', {class: 'muted'}, 'paused') : time(s.nextTick)),
            h('td', {}, s.lastRunId
                ? [h('a', {href: `${base}/runs/${s.lastRunId}`, 'data-route': ''}, shortId(s.lastRunId)), ' ', status(s.lastRunStatus)]
                : h('span', {class: 'muted'}, 'never')),
            h('td', {class: 'state'}, s.paused ? 'Paused' : 'Active'),
            writeOperations ? h('td', {class: 'buttons'},
                s.paused
                    ? h('button', {type: 'button', class: 'resume', onclick: () => schedule(s.function, 'resume')}, 'Resume')
                    : h('button', {type: 'button', class: 'pause', onclick: () => schedule(s.function, 'pause')}, 'Pause'),
                h('button', {type: 'button', class: 'trigger', onclick: () => schedule(s.function, 'trigger')}, 'Run now')) : null))
            : h('tr', {}, h('td', {colspan: 6, class: 'empty'}, 'No schedules.')));
        renderInto(waits, answer.waits, list => list.length ? list.map(w => h('tr', {'data-key': w.key},
            h('td', {class: 'mono'}, w.key),
            h('td', {}, h('a', {href: `${base}/runs/${w.invocationId}`, 'data-route': ''}, w.function), ' ', h('span', {class: 'muted'}, shortId(w.invocationId))),
            h('td', {}, time(w.since)),
            h('td', {}, time(w.timeoutAt))))
            : h('tr', {}, h('td', {colspan: 4, class: 'empty'}, 'No function is waiting for a signal.')));
        renderInto(signals, answer.signals, list => list.length ? list.map(s => h('tr', {'data-key': s.key},
            h('td', {class: 'mono'}, s.key),
            h('td', {}, time(s.sentAt)),
            h('td', {class: 'num'}, `${count(s.payloadSize)} B`)))
            : h('tr', {}, h('td', {colspan: 3, class: 'empty'}, 'Every signal has been taken.')));
    }

    function schedule(name, action) {
        const question = {
            pause: `Pause ${name} on every node? Its ticks start nothing until it is resumed.`,
            resume: `Resume ${name}? It runs again from its next tick (the ticks while paused do not run).`,
            trigger: `Run ${name} now, outside its ticks?`,
        }[action];
        return act(question, () => post(`/schedules/${encodeURIComponent(name)}/${action}`),
            done => action === 'trigger' ? `Started ${shortId(done.runId)}` : `${name}: ${action}d`, refresh);
    }

    return {refresh};
}
