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
})();
