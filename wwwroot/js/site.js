// Small behaviours every page may use; loaded from the layout (the Content-Security-Policy allows no inline script).
// Each works on markup the server already renders usefully without script.
(() => {
    'use strict';

    // "All Permissions" means every permission: while it is ticked, every box is ticked and disabled. Unticking it
    // gives back the boxes as they were before (none, when the form opened with All ticked).
    for (const group of document.querySelectorAll('[data-permission-choices]')) {
        const all = group.querySelector('[data-all-permissions]');
        const boxes = [...group.querySelectorAll('[data-permission]')];
        if (!all) continue;
        let remembered = all.checked ? boxes.map(() => false) : boxes.map(b => b.checked);
        const sync = () => {
            for (const [i, box] of boxes.entries()) {
                box.checked = all.checked ? true : remembered[i];
                box.disabled = all.checked;
            }
        };
        all.addEventListener('change', () => {
            if (all.checked) remembered = boxes.map(b => b.checked);
            sync();
        });
        sync();
    }

    // Print buttons (the invoice): shown only where script runs, since without it they could do nothing.
    for (const button of document.querySelectorAll('[data-print]')) {
        button.hidden = false;
        button.addEventListener('click', () => window.print());
    }

    // Tables stack on a phone (site.css): each cell is labelled with its column's header, and the table's roles are
    // stated so that screen readers keep them when the cells are laid out as blocks.
    for (const table of document.querySelectorAll('main table.table')) {
        const headers = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
        table.setAttribute('role', 'table');
        for (const group of table.querySelectorAll('thead, tbody, tfoot')) group.setAttribute('role', 'rowgroup');
        for (const row of table.querySelectorAll('tr')) {
            row.setAttribute('role', 'row');
            let column = 0;
            for (const cell of row.children) {
                if (cell.closest('thead')) {
                    cell.setAttribute('role', 'columnheader');
                } else {
                    cell.setAttribute('role', cell.tagName === 'TH' ? 'rowheader' : 'cell');
                    if (!cell.hasAttribute('data-label') && headers[column]) cell.setAttribute('data-label', headers[column]);
                }
                column += cell.colSpan || 1;
            }
        }
    }

    // A secret shown to its owner (a service's password) is masked until "Show", and "Copy" puts it on the clipboard
    // without selecting it; the status line says so to screen readers. Without script the box stays readable.
    for (const box of document.querySelectorAll('[data-secret-field]')) {
        const field = box.querySelector('input[data-password]');
        const reveal = box.querySelector('[data-secret-reveal]');
        const copy = box.querySelector('[data-secret-copy]');
        const status = box.nextElementSibling?.matches('[data-secret-status]') ? box.nextElementSibling : null;
        field.type = 'password';
        reveal.hidden = false;
        reveal.addEventListener('click', () => {
            const show = field.type === 'password';
            field.type = show ? 'text' : 'password';
            reveal.textContent = show ? 'Hide' : 'Show';
            reveal.setAttribute('aria-pressed', String(show));
        });
        if (navigator.clipboard) {
            copy.hidden = false;
            copy.addEventListener('click', async () => {
                try {
                    await navigator.clipboard.writeText(field.value);
                    copy.textContent = 'Copied';
                    if (status) status.textContent = 'Copied to the clipboard.';
                } catch {
                    if (status) status.textContent = 'The browser did not allow copying. Show the password and copy it by hand.';
                }
                setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
            });
        }
    }

    // Registration offers the browser's own time zone: an empty zone field marked data-browser-zone="on" is filled with it,
    // when it is one of the zones the field suggests (the server checks it again).
    for (const field of document.querySelectorAll('input[data-browser-zone="on"]')) {
        const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        const offered = field.list ? [...field.list.options].some(o => o.value === zone) : false;
        if (!field.value && zone && offered) field.value = zone;
    }
})();
