/* commonsgen search overlay: results as you type under the header's search field (and the
   phone menu's), on every page but the search page. The field becomes an ARIA combobox:
   "/" focuses it, the arrow keys move through the results while focus stays in the field
   (aria-activedescendant), Enter opens the result chosen (or, with none chosen, submits
   the form to the search page, which lists every result), Escape closes the list. */
(function () {
  "use strict";

  var SHOWN = 8; /* commonsgen/markdown/html.py reserves the ids of this many options */
  var search = self.commonsgenSearch;
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-panel-list");
  var all = document.getElementById("search-panel-all");
  var status = document.getElementById("search-panel-status");
  var none = document.getElementById("search-panel-none");
  var forms = Array.prototype.slice.call(document.querySelectorAll("form.site-search, form.menu-search"));
  if (!search || !panel || !list || !all || !status || !none || !forms.length) return;
  var engine = search.open(panel.dataset.index);
  var searchPage = all.href;
  var active = -1;   /* the option chosen with the arrow keys */
  var asked = 0;     /* the latest query's number: an older answer is not shown */
  var field = null;  /* the input the panel is open under */

  function inputOf(form) { return form.querySelector("input[type=search]"); }

  function options() { return Array.prototype.slice.call(list.children); }

  function choose(at) {
    var all_ = options();
    active = at < 0 || at >= all_.length ? -1 : at; /* -1: none chosen */
    all_.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    if (active === -1) {
      field.removeAttribute("aria-activedescendant");
    } else {
      field.setAttribute("aria-activedescendant", all_[active].id);
      all_[active].scrollIntoView({ block: "nearest" });
    }
  }

  function open(input) {
    var form = input.form;
    if (panel.parentNode !== form) form.appendChild(panel);
    field = input;
    panel.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    active = -1;
    forms.forEach(function (form) {
      var input = inputOf(form);
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    });
  }

  function say(count) {
    status.textContent = count === 0 ? panel.dataset.none
      : count === 1 ? panel.dataset.one
      : panel.dataset.many.replace("{count}", String(count));
  }

  function option(page, plans, n) {
    var item = document.createElement("li");
    item.id = "search-option-" + n;
    item.setAttribute("role", "option");
    item.setAttribute("aria-selected", "false");
    item.dataset.href = page.url;
    var shown = engine.shown(page, plans, 150);
    var title = document.createElement("span");
    title.className = "search-option-title";
    title.appendChild(shown.title);
    item.appendChild(title);
    if (page.section) {
      var section = document.createElement("span");
      section.className = "search-option-section";
      section.textContent = page.section;
      item.appendChild(section);
    }
    if (shown.excerpt) {
      var excerpt = document.createElement("span");
      excerpt.className = "search-option-excerpt";
      excerpt.appendChild(shown.excerpt);
      item.appendChild(excerpt);
    }
    return item;
  }

  function show(input) {
    var ask = ++asked;
    var query = input.value;
    engine.search(query).then(function (answer) {
      if (ask !== asked) return null;
      if (answer === null) {
        close();
        status.textContent = "";
        return null;
      }
      var numbers = answer.pages.slice(0, SHOWN);
      return Promise.all(numbers.map(function (n) { return engine.page(n); })).then(function (pages) {
        if (ask !== asked || document.activeElement !== input) return;
        list.textContent = "";
        pages.forEach(function (page, i) { list.appendChild(option(page, answer.plans, i)); });
        var address = new URL(searchPage);
        address.searchParams.set("q", query);
        all.href = address.href;
        all.parentNode.hidden = answer.pages.length <= SHOWN;
        list.hidden = pages.length === 0;
        none.hidden = pages.length !== 0;
        open(input);
        choose(-1);
        say(answer.pages.length);
      });
    }).catch(function () {
      if (ask !== asked) return;
      close();
      status.textContent = panel.dataset.failed;
    });
  }

  function go(at) {
    var chosen = options()[at];
    if (chosen) location.href = chosen.dataset.href;
  }

  forms.forEach(function (form) {
    var input = inputOf(form);
    if (!input) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-keyshortcuts", "/");
    input.setAttribute("autocomplete", "off");
    var pending = null;
    input.addEventListener("input", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { show(input); }, 80);
    });
    input.addEventListener("focus", function () {
      engine.ready().catch(function () {}); /* the manifest, before the first key */
      if (input.value && list.children.length && panel.parentNode === form) open(input);
    });
    input.addEventListener("keydown", function (event) {
      var shown = !panel.hidden && field === input;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!shown) {
          if (input.value) show(input);
          return;
        }
        event.preventDefault();
        /* around: past the last to the first, and up from the first (or none) to the last */
        var count = options().length;
        var step = event.key === "ArrowDown" ? 1 : count - 1;
        choose(active === -1 ? (step === 1 ? 0 : count - 1) : (active + step) % count);
      } else if (event.key === "Enter" && shown && active !== -1) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape" && shown) {
        event.preventDefault(); /* keep the text: a second Escape clears it */
        close();
      }
    });
    form.addEventListener("focusout", function (event) {
      if (!form.contains(event.relatedTarget)) close();
    });
  });

  /* A click on a result opens it; mousedown keeps the focus in the field till then. */
  list.addEventListener("mousedown", function (event) { event.preventDefault(); });
  list.addEventListener("click", function (event) {
    var chosen = event.target.closest("[role=option]");
    if (chosen) go(options().indexOf(chosen));
  });

  function visible(element) { return element.getClientRects().length > 0; }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var input = forms.map(inputOf).filter(visible)[0];
    if (!input) {
      /* on a phone the field is in the menu: open it */
      var menu = document.querySelector("details.site-menu");
      if (menu) menu.open = true;
      input = forms.map(inputOf).filter(visible)[0];
    }
    if (!input) return;
    event.preventDefault();
    input.focus();
    input.select();
  });
})();
