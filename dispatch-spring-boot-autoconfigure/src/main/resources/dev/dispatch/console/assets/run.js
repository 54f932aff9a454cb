// One invocation's page: its state, error and values, and its tree: each step with its progress, each step's calls a
// page at a time, each call opening onto its own steps.

import {base, get, pageSize, post, writeOperations} from './api.js';
import {between, count, duration, h, progress, renderInto, shortId, status, time} from './dom.js';
import {act} from './ui.js';

const UNFINISHED = ['PENDING', 'RUNNING', 'SUSPENDED'];

export function runView(container, navigate, id) {
    const openSteps = new Map(); // group id -> {from, status, back: [previous froms]}
    const openCalls = new Set(); // ids of calls whose steps are shown
    const head = h('div', {id: 'head'});
    const tree = h('div', {id: 'tree'});
    container.replaceChildren(head, h('section', {class: 'panel'}, h('h2', {}, 'Steps'), tree));

    async function refresh() {
        const invocation = await get(`/invocations/${encodeURIComponent(id)}`);
        document.title = `${invocation.function} · Dispatch`;
        renderInto(head, invocation, renderHead);
        const loaded = await loadSteps(invocation);
        renderInto(tree, loaded, steps => steps.length
            ? h('ol', {class: 'tree'}, steps.map(renderStep))
            : h('p', {class: 'muted'}, 'It made no durable calls.'));
    }

    async function loadSteps(invocation) {
        return Promise.all(invocation.steps.map(async step => {
            const open = openSteps.get(step.groupId);
            if (!open) return {step};
            const page = await get(`/groups/${step.groupId}/calls`, {from: open.from, status: open.status, limit: pageSize});
            const calls = await Promise.all(page.calls.map(async call => {
                if (!openCalls.has(call.id)) return {call};
                const child = await get(`/invocations/${encodeURIComponent(call.id)}`);
                return {call, steps: await loadSteps(child)};
            }));
            return {step, open: {...open}, next: page.next, calls};
        }));
    }

    function renderHead(inv) {
        const crumbs = h('nav', {class: 'crumbs'}, h('a', {href: base, 'data-route': ''}, 'Runs'),
            inv.ancestors.map(a => [' › ', h('a', {href: `${base}/runs/${a.id}`, 'data-route': ''}, a.function)]),
            ' › ', h('span', {}, inv.function));
        const actions = h('div', {class: 'actions'});
        if (writeOperations && inv.status === 'FAILED') actions.append(retryButton(inv, 'retry'));
        if (writeOperations && UNFINISHED.includes(inv.status)) actions.append(cancelButton(inv, 'cancel'));
        const facts = [
            ['Id', h('span', {class: 'mono', id: 'invocation-id'}, inv.id)],
            ['Attempts', `${inv.attempts} of ${inv.maxAttempts}`],
            ['Created', time(inv.createdAt)],
            ['Finished', inv.completedAt ? time(inv.completedAt) : '—'],
            ['Duration', duration(between(inv.createdAt, inv.completedAt))],
            inv.tree ? ['Calls', progress(inv.tree)] : null,
            UNFINISHED.includes(inv.status) ? ['Next attempt', time(inv.nextAttemptAt)] : null,
            inv.leaseOwner ? ['Running on', inv.leaseOwner] : null,
            inv.deadlineAt ? ['Deadline', time(inv.deadlineAt)] : null,
        ].filter(Boolean);
        return [crumbs,
            h('section', {class: 'panel'},
                h('div', {class: 'title'}, h('h1', {id: 'function'}, inv.function), h('span', {id: 'status'}, status(inv.status)), actions),
                h('dl', {class: 'facts'}, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]))),
            inv.errorType ? h('section', {class: inv.status === 'SUCCEEDED' ? 'panel' : 'panel error-panel'},
                h('h2', {}, inv.status === 'SUCCEEDED' ? 'Last error (before it succeeded)' : 'Last error'),
                h('p', {}, h('strong', {class: 'mono'}, inv.errorType), inv.errorStatus ? ` (${inv.errorStatus})` : ''),
                h('pre', {class: 'message'}, inv.errorMessage || ''),
                inv.errorStack ? h('details', {}, h('summary', {}, 'Stack trace'), h('pre', {class: 'stack'}, inv.errorStack)) : null) : null,
            h('section', {class: 'panel values'},
                value('Arguments', inv.arguments, 'arguments'), value('Result', inv.result, 'result'))];
    }

    function renderStep({step, open, next, calls}) {
        const toggle = h('button', {type: 'button', class: 'toggle', 'aria-expanded': String(!!open), onclick: () => {
            if (openSteps.has(step.groupId)) openSteps.delete(step.groupId);
            else openSteps.set(step.groupId, {from: 0, status: '', back: []});
            refresh();
        }}, open ? '▾' : '▸');
        const header = h('div', {class: 'step-head'}, toggle,
            h('span', {class: 'step-name'}, `Step ${step.step} · ${step.kind.toLowerCase()}`),
            step.kind === 'SLEEP'
                ? h('span', {class: 'muted'}, `until ${time(step.decidedAt)}`)
                : h('span', {class: 'step-progress'}, progress(step.progress)));
        const item = h('li', {class: 'step', 'data-step': step.step, 'data-group': step.groupId}, header);
        if (open) item.append(renderCalls(step, open, next, calls));
        return item;
    }

    function renderCalls(step, open, next, calls) {
        const state = openSteps.get(step.groupId);
        const filter = (label, value) => h('button', {type: 'button', class: open.status === value ? 'chip on' : 'chip',
            'data-filter': value || 'all', onclick: () => { Object.assign(state, {from: 0, status: value, back: []}); refresh(); }}, label);
        const shown = calls.length ? `${count(calls[0].call.position + 1)}–${count(calls.at(-1).call.position + 1)}` : 'none';
        const pager = h('div', {class: 'pager'},
            h('button', {type: 'button', class: 'prev', disabled: !open.back.length, onclick: () => { state.from = state.back.pop(); refresh(); }}, '‹ Previous'),
            h('span', {class: 'muted'}, `calls ${shown} of ${count(step.size)}`),
            h('button', {type: 'button', class: 'next', disabled: next === null, onclick: () => { state.back.push(state.from); state.from = next; refresh(); }}, 'Next ›'));
        return h('div', {class: 'calls'},
            h('div', {class: 'chips'}, filter('all', ''), filter('failed', 'FAILED'), filter('running', 'RUNNING'), filter('pending', 'PENDING')),
            h('ul', {class: 'call-list'}, calls.map(renderCall)), pager);
    }

    function renderCall({call, steps}) {
        const row = h('div', {class: 'call-head'},
            call.parent ? h('button', {type: 'button', class: 'toggle', 'aria-expanded': String(!!steps), onclick: () => {
                if (openCalls.has(call.id)) openCalls.delete(call.id); else openCalls.add(call.id);
                refresh();
            }}, steps ? '▾' : '▸') : h('span', {class: 'toggle-space'}),
            status(call.status),
            h('a', {href: `${base}/runs/${call.id}`, 'data-route': '', class: 'call-link'}, call.function),
            h('span', {class: 'muted mono', title: call.id}, `#${call.position}`),
            h('span', {class: 'muted'}, `${call.attempts} attempt${call.attempts === 1 ? '' : 's'}`),
            h('span', {class: 'muted wide'}, duration(between(call.createdAt, call.completedAt))),
            writeOperations && call.status === 'FAILED' ? retryButton(call, 'retry-call') : null,
            writeOperations && UNFINISHED.includes(call.status) ? cancelButton(call, 'cancel-call') : null);
        return h('li', {class: 'call', 'data-id': call.id, 'data-status': call.status}, row,
            call.errorMessage && call.status !== 'SUCCEEDED' ? h('div', {class: 'error-line', title: call.errorMessage}, `${call.errorType || ''}: ${call.errorMessage}`) : null,
            steps ? (steps.length ? h('ol', {class: 'tree'}, steps.map(renderStep)) : h('p', {class: 'muted'}, 'No durable calls.')) : null);
    }

    function retryButton(inv, cls) {
        return h('button', {type: 'button', class: cls, onclick: () => act(
            `Retry ${inv.function} (${shortId(inv.id)}) with a fresh set of attempts?`,
            () => post(`/invocations/${inv.id}/retry`),
            answer => answer.retried ? `Retrying ${inv.function}: 1 invocation is pending again` : 'It was no longer FAILED: nothing retried',
            refresh)}, 'Retry');
    }

    function cancelButton(inv, cls) {
        return h('button', {type: 'button', class: `${cls} danger`, onclick: () => act(
            `Cancel ${inv.function} (${shortId(inv.id)}) and every unfinished call under it?`,
            () => post(`/invocations/${inv.id}/cancel`),
            answer => `Cancelled ${count(answer.cancelled)} invocation${answer.cancelled === 1 ? '' : 's'}`,
            refresh)}, 'Cancel');
    }

    return {refresh};
}

function value(label, v, id) {
    let body;
    if (v.json !== null && v.json !== undefined) body = h('pre', {class: 'json', id}, pretty(v.json));
    else if (v.masked) body = h('p', {class: 'muted', id}, `hidden (${count(v.size)} characters); dispatch.actuator.show-values shows values`);
    else body = h('p', {class: 'muted', id}, 'none');
    return h('div', {}, h('h2', {}, label), body);
}

function pretty(json) {
    try { return JSON.stringify(JSON.parse(json), null, 2); } catch { return json; }
}
