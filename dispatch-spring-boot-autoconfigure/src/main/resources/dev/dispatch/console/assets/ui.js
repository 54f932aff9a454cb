// Confirmation before an action, and a notice after it.

const dialog = () => document.getElementById('confirm');

/** Asks the operator to confirm; resolves to true only on "Confirm". */
export function confirmAction(text, yes = 'Confirm') {
    const box = dialog();
    document.getElementById('confirm-text').textContent = text;
    document.getElementById('confirm-yes').textContent = yes;
    box.returnValue = '';
    return new Promise(resolve => {
        box.addEventListener('close', () => resolve(box.returnValue === 'ok'), {once: true});
        box.showModal();
    });
}

let hideTimer;

/** Shows a short message under the header: what an action did, or what went wrong. */
export function notify(text, kind = 'info') {
    const notice = document.getElementById('notice');
    notice.textContent = text;
    notice.className = `notice ${kind}`;
    notice.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(() => { notice.hidden = true; }, kind === 'error' ? 15000 : 8000);
}

/** Runs an action after confirmation, reports its answer, and refreshes the view. */
export async function act(question, run, report, refresh) {
    if (!(await confirmAction(question))) return;
    try {
        notify(report(await run()), 'ok');
    } catch (error) {
        notify(error.message, 'error');
    }
    await refresh();
}
