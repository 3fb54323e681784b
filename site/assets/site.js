/*
 * zcbench site script: sortable tables, plus the two signals the headless-browser test reads.
 * No libraries, no network. Every page works without it, except for sorting.
 *
 *   document.body.dataset.errors  every error reported to window.onerror, one per line
 *   document.body.dataset.ready   "ok" once this script has run to the end
 */
(function () {
  'use strict';

  var errors = [];

  function recordError(message) {
    errors.push(String(message));
    document.body.dataset.errors = errors.join('\n');
  }

  window.onerror = function (message, source, line, column) {
    recordError(message + ' (' + (source || 'inline') + ':' + (line || 0) + ':' + (column || 0) + ')');
    return false;
  };
  window.addEventListener('unhandledrejection', function (event) {
    recordError('unhandled promise rejection: ' + event.reason);
  });

  var forEach = Array.prototype.forEach;

  /** The sort key of a cell: its data-sort attribute if present, else its text. */
  function sortKey(cell) {
    if (!cell) {
      return '';
    }
    var key = cell.getAttribute('data-sort');
    return key === null ? cell.textContent.trim() : key;
  }

  /** Sorts the first body of table by the column of header th. Empty keys always go last. */
  function sortTable(table, th, direction) {
    var index = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute('data-sort-type') === 'number';
    var body = table.tBodies[0];
    var items = Array.prototype.map.call(body.rows, function (row, position) {
      var key = sortKey(row.cells[index]);
      var value = numeric ? parseFloat(key) : key;
      var missing = key === '' || (numeric && !isFinite(value));
      return { row: row, value: value, missing: missing, position: position };
    });
    var sign = direction === 'ascending' ? 1 : -1;
    items.sort(function (a, b) {
      if (a.missing !== b.missing) {
        return a.missing ? 1 : -1;
      }
      var order = 0;
      if (!a.missing) {
        order = numeric ? a.value - b.value
                        : a.value.localeCompare(b.value, undefined, { numeric: true, sensitivity: 'base' });
      }
      return order !== 0 ? sign * order : a.position - b.position;
    });
    items.forEach(function (item) {
      body.appendChild(item.row);
    });
    forEach.call(th.parentNode.children, function (other) {
      if (other !== th) {
        other.removeAttribute('aria-sort');
      }
    });
    th.setAttribute('aria-sort', direction);
  }

  function opposite(direction) {
    return direction === 'ascending' ? 'descending' : 'ascending';
  }

  /** Adds a sort button to every header cell of the table that declares data-sort-type. */
  function makeSortable(table) {
    if (!table.tHead || !table.tBodies.length) {
      return;
    }
    var headerRow = table.tHead.rows[table.tHead.rows.length - 1];
    forEach.call(headerRow.cells, function (th) {
      if (!th.hasAttribute('data-sort-type')) {
        return;
      }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort-button';
      var indicator = document.createElement('span');
      indicator.className = 'sort-indicator';
      indicator.setAttribute('aria-hidden', 'true');
      if (th.querySelector('a, button, input, select, textarea, details')) {
        // Headers holding a link keep it; the button is a separate control next to it.
        button.setAttribute('aria-label', 'Sort by ' + th.textContent.trim());
        button.appendChild(indicator);
        th.appendChild(document.createTextNode(' '));
        th.appendChild(button);
      } else {
        while (th.firstChild) {
          button.appendChild(th.firstChild);
        }
        button.appendChild(indicator);
        th.appendChild(button);
      }
      button.addEventListener('click', function () {
        var current = th.getAttribute('aria-sort');
        var first = th.getAttribute('data-sort-first') || 'ascending';
        sortTable(table, th, current ? opposite(current) : first);
      });
    });
    table.setAttribute('data-sortable', 'ready');
  }

  forEach.call(document.querySelectorAll('table.sortable'), makeSortable);

  var marker = window.getComputedStyle(document.documentElement).getPropertyValue('--zcb-stylesheet');
  if (marker.trim() !== 'loaded') {
    recordError('the stylesheet assets/style.css was not applied');
  }

  document.body.dataset.ready = 'ok';
})();
