// Progressive enhancement for the knowledge base pages. Every page works
// without this script: forms submit with GET and links are plain links.
// This adds: auto-submit when a facet or the sort order changes, short URLs
// (empty fields left out), a filter box for long facet lists, collapsed
// filters on small screens, and search-as-you-type suggestions following the
// ARIA 1.2 combobox pattern (role=combobox on the input, a listbox popup,
// aria-activedescendant for the highlighted option).
(function () {
  'use strict';

  document.documentElement.classList.add('js');

  var form = document.getElementById('search-form');

  // Submit the form as a clean GET URL: empty fields and defaults omitted.
  function submitClean() {
    if (!form) return;
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      var v = String(value).trim();
      if (v === '') return;
      if (key === 'sort' && v === 'relevance') return;
      params.append(key, v);
    });
    var query = params.toString();
    window.location.assign(form.getAttribute('action') + (query ? '?' + query : ''));
  }

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      submitClean();
    });
    form.addEventListener('change', function (event) {
      var t = event.target;
      if ((t.matches('input[type="checkbox"]') && t.closest('.facet')) || t.id === 'sort') {
        // Remember the control so focus can return to it on the new page.
        try {
          sessionStorage.setItem('kb-focus', JSON.stringify({ name: t.name, value: t.value, id: t.id }));
        } catch (e) { /* storage may be off; focus then starts at the top */ }
        submitClean();
      }
    });

    // Back from an auto-submit: put focus where the user was, and have the
    // live region read the new result count.
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem('kb-focus') || 'null');
      sessionStorage.removeItem('kb-focus');
    } catch (e) { saved = null; }
    if (saved) {
      var target = saved.id === 'sort'
        ? document.getElementById('sort')
        : form.querySelector('input[name="' + CSS.escape(saved.name) + '"][value="' + CSS.escape(saved.value) + '"]');
      if (target) {
        var folded = target.closest('details');
        if (folded) folded.open = true;
        target.focus();
      }
      var count = document.getElementById('result-count');
      var live = document.getElementById('q-status');
      if (count && live) {
        // A live region is only read when it changes after load, so the
        // count is copied into the (hidden) status region a moment later.
        setTimeout(function () { live.textContent = count.textContent; }, 150);
      }
    }
    document.querySelectorAll('.auto-note').forEach(function (note) { note.hidden = false; });

    // On small screens the filters start folded, so results come first.
    var filters = form.querySelector('details.filters');
    if (filters && window.matchMedia('(max-width: 47.99rem)').matches) {
      filters.open = false;
    }
  }

  // A filter box over a long facet list (organisations).
  document.querySelectorAll('[data-filter-list]').forEach(function (box) {
    var list = document.getElementById(box.getAttribute('data-filter-list'));
    var input = box.querySelector('input');
    if (!list || !input) return;
    box.hidden = false;
    input.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') event.preventDefault();
    });
    input.addEventListener('input', function () {
      var needle = input.value.trim().toLowerCase();
      list.querySelectorAll('li').forEach(function (li) {
        li.hidden = needle !== '' && li.textContent.toLowerCase().indexOf(needle) === -1;
      });
      var more = list.querySelector('details');
      if (more && needle !== '') more.open = true;
    });
  });

  // Search-as-you-type suggestions.
  var input = document.getElementById('q');
  var listbox = document.getElementById('q-suggestions');
  var status = document.getElementById('q-status');
  if (!input || !listbox || !window.fetch) return;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  var items = [];
  var active = -1;
  var timer = null;
  var controller = null;

  function announce(text) {
    if (status) status.textContent = text;
  }

  function close() {
    listbox.hidden = true;
    listbox.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    items = [];
    active = -1;
  }

  function choose(index) {
    var s = items[index];
    if (!s) return;
    if (s.url) {
      window.location.assign(s.url);
      return;
    }
    input.value = s.text;
    close();
    submitClean();
  }

  function highlight(index) {
    var options = listbox.querySelectorAll('[role="option"]');
    options.forEach(function (o, i) {
      o.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function render(suggestions) {
    listbox.replaceChildren();
    items = suggestions;
    active = -1;
    suggestions.forEach(function (s, i) {
      var li = document.createElement('li');
      li.id = 'q-option-' + i;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      var text = document.createElement('span');
      text.textContent = s.text;
      li.appendChild(text);
      if (s.kind === 'title') {
        var kind = document.createElement('span');
        kind.className = 'kind';
        kind.textContent = listbox.dataset.kindResource || 'resource';
        li.appendChild(kind);
      }
      // mousedown, not click: keeps focus in the input so blur does not close first.
      li.addEventListener('mousedown', function (event) {
        event.preventDefault();
        choose(i);
      });
      listbox.appendChild(li);
    });
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    // Words come from the page (data-* attributes), in its language.
    var d = listbox.dataset;
    announce(suggestions.length + ' ' +
      (suggestions.length === 1 ? (d.one || 'suggestion') : (d.many || 'suggestions')) +
      '. ' + (d.help || 'Use the up and down arrows to choose.'));
  }

  function fetchSuggestions(text) {
    if (controller) controller.abort();
    controller = new AbortController();
    fetch('/api/v1/suggest?q=' + encodeURIComponent(text), {
      signal: controller.signal,
      headers: { Accept: 'application/json' }
    })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || input.value.trim() !== text || document.activeElement !== input) return;
        var list = Array.isArray(data.suggestions) ? data.suggestions : [];
        if (list.length) render(list); else { close(); announce(''); }
      })
      .catch(function () { /* aborted or offline: keep the plain search box */ });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (text.length < 2) {
      close();
      return;
    }
    timer = setTimeout(function () { fetchSuggestions(text); }, 150);
  });

  input.addEventListener('keydown', function (event) {
    var open = !listbox.hidden && items.length > 0;
    switch (event.key) {
      case 'ArrowDown':
        if (!open) return;
        event.preventDefault();
        highlight((active + 1) % items.length);
        break;
      case 'ArrowUp':
        if (!open) return;
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
        break;
      case 'Enter':
        if (open && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        break;
      case 'Escape':
        if (open) {
          event.preventDefault();
          close();
        }
        break;
      default:
        break;
    }
  });

  input.addEventListener('blur', function () {
    clearTimeout(timer);
    close();
  });
})();
