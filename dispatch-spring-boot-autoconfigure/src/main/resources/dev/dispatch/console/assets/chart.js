// Calls finished per minute over the last hour, as stacked SVG bars (succeeded below, failed on top).

import {count} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, text) {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
    if (text !== undefined) element.textContent = text;
    return element;
}

export function minuteChart(minutes) {
    const width = 600, height = 140, left = 36, bottom = 18, top = 8;
    const plotWidth = width - left - 4, plotHeight = height - bottom - top;
    const max = Math.max(1, ...minutes.map(m => m.succeeded + m.failed));
    const svg = s('svg', {
        viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
        'aria-label': `Calls finished per minute over the last hour: ${count(minutes.reduce((n, m) => n + m.succeeded, 0))} succeeded, ${count(minutes.reduce((n, m) => n + m.failed, 0))} failed`,
    });
    for (const fraction of [0, 0.5, 1]) {
        const y = top + plotHeight * (1 - fraction);
        svg.append(s('line', {x1: left, x2: width - 4, y1: y, y2: y, class: 'grid'}));
        svg.append(s('text', {x: left - 4, y: y + 4, class: 'axis', 'text-anchor': 'end'}, count(Math.round(max * fraction))));
    }
    const step = plotWidth / Math.max(1, minutes.length);
    minutes.forEach((minute, i) => {
        const x = left + i * step + 1;
        const okHeight = (plotHeight * minute.succeeded) / max;
        const failedHeight = (plotHeight * minute.failed) / max;
        const group = s('g', {class: 'minute'});
        const at = new Date(minute.minute).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'});
        group.append(s('title', {}, `${at}: ${count(minute.succeeded)} succeeded, ${count(minute.failed)} failed`));
        group.append(s('rect', {x, width: Math.max(1, step - 2), y: top, height: plotHeight, class: 'hover'}));
        if (okHeight) group.append(s('rect', {x, width: Math.max(1, step - 2), y: top + plotHeight - okHeight, height: okHeight, class: 'ok'}));
        if (failedHeight) group.append(s('rect', {x, width: Math.max(1, step - 2), y: top + plotHeight - okHeight - failedHeight, height: failedHeight, class: 'failed'}));
        svg.append(group);
    });
    for (const [i, label] of [[0, '-60 min'], [30, '-30 min'], [minutes.length - 1, 'now']]) {
        svg.append(s('text', {x: left + i * step + step / 2, y: height - 4, class: 'axis', 'text-anchor': i === 0 ? 'start' : i === 30 ? 'middle' : 'end'}, label));
    }
    return svg;
}
