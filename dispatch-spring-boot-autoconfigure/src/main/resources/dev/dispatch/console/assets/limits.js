// Each function's flow control, as the actuator shows it: concurrency limits (configured, as adapted after throttling,
// running now), rate limits (the tokens their bucket holds now, calls waiting) and concurrency keys (calls running and
// waiting per value, the busiest values first).

import {get} from './api.js';
import {count, h, renderInto} from './dom.js';

export function limitsView(container) {
    const concurrency = h('tbody', {id: 'concurrency'});
    const rates = h('tbody', {id: 'rates'});
    const keys = h('tbody', {id: 'keys'});
    const head = (...names) => h('thead', {}, h('tr', {}, names.map(([name, cls]) => h('th', cls ? {class: cls} : {}, name))));
    container.replaceChildren(
        h('section', {class: 'panel'}, h('div', {class: 'title'}, h('h1', {}, 'Limits')),
            h('h2', {}, 'Concurrency'),
            h('div', {class: 'table-wrap'}, h('table', {class: 'concurrency'},
                head(['Function'], ['Configured', 'num'], ['Now', 'num'], ['Running', 'num']), concurrency))),
        h('section', {class: 'panel'}, h('h2', {}, 'Rate limits'),
            h('div', {class: 'table-wrap'}, h('table', {class: 'rates'},
                head(['Function'], ['Limit'], ['Tokens now', 'num'], ['Waiting', 'num']), rates))),
        h('section', {class: 'panel'}, h('h2', {}, 'Concurrency keys'),
            h('div', {class: 'table-wrap'}, h('table', {class: 'keys'},
                head(['Function'], ['Key'], ['Per key', 'num'], ['Value'], ['Running', 'num'], ['Waiting', 'num']), keys))));

    async function refresh() {
        const answer = await get('/limits');
        renderInto(concurrency, answer.concurrency, map => {
            const rows = Object.entries(map).map(([name, c]) => h('tr', {'data-function': name},
                h('td', {class: 'mono'}, name),
                h('td', {class: 'num'}, c.configured > 0 ? count(c.configured) : h('span', {class: 'muted'}, 'none')),
                h('td', {class: 'num'}, count(Math.floor(c.current))),
                h('td', {class: 'num'}, count(c.running))));
            return rows.length ? rows : h('tr', {}, h('td', {colspan: 4, class: 'empty'}, 'No function has a concurrency limit.'));
        });
        renderInto(rates, answer.rateLimits, map => {
            const rows = Object.entries(map).map(([name, r]) => h('tr', {'data-function': name},
                h('td', {class: 'mono'}, name),
                h('td', {class: 'mono'}, r.limit),
                h('td', {class: 'num'}, count(r.tokens)),
                h('td', {class: 'num'}, count(r.waiting))));
            return rows.length ? rows : h('tr', {}, h('td', {colspan: 4, class: 'empty'}, 'No function has a rate limit.'));
        });
        renderInto(keys, answer.concurrencyKeys, map => {
            const rows = [];
            for (const [name, k] of Object.entries(map)) {
                const values = Object.entries(k.byKey);
                if (!values.length) {
                    rows.push(h('tr', {'data-function': name},
                        h('td', {class: 'mono'}, name), h('td', {class: 'mono'}, k.key), h('td', {class: 'num'}, count(k.perKey)),
                        h('td', {colspan: 3, class: 'muted'}, 'no call running or waiting')));
                }
                for (const [value, c] of values) {
                    rows.push(h('tr', {'data-function': name, 'data-key': value},
                        h('td', {class: 'mono'}, name), h('td', {class: 'mono'}, k.key), h('td', {class: 'num'}, count(k.perKey)),
                        h('td', {class: 'mono'}, value), h('td', {class: 'num'}, count(c.running)), h('td', {class: 'num'}, count(c.waiting))));
                }
            }
            return rows.length ? rows : h('tr', {}, h('td', {colspan: 6, class: 'empty'}, 'No function has a concurrency key.'));
        });
    }

    return {refresh};
}
