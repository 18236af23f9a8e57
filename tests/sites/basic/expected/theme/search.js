/* commonsgen search page: all the results of a query, with excerpts, from the index next
   to the page (read through search-engine.js). Without scripts the page lists every page
   instead, and the header's search form of every other page submits here. */
(function () {
  "use strict";

  var BATCH = 20;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var allPages = document.getElementById("search-all-pages");
  var search = self.commonsgenSearch;
  if (!search || !form || !input || !status || !list) return; /* every page is listed instead */
  var engine = search.open(form.dataset.index);
  var current = null; /* the answer shown, and how many of its results */
  var asked = 0;

  function item(page, plans) {
    var entry = document.createElement("li");
    var shown = engine.shown(page, plans, 240);
    var link = document.createElement("a");
    link.href = page.link;
    link.appendChild(shown.title);
    var heading = document.createElement("h2");
    heading.appendChild(link);
    entry.appendChild(heading);
    if (page.section) {
      var section = document.createElement("p");
      section.className = "search-section";
      section.textContent = page.section;
      entry.appendChild(section);
    }
    if (shown.excerpt) {
      var excerpt = document.createElement("p");
      excerpt.className = "search-excerpt";
      excerpt.appendChild(shown.excerpt);
      entry.appendChild(excerpt);
    }
    return entry;
  }

  /* The next batch of results of the answer shown. */
  function showMore() {
    var answer = current;
    var from = list.children.length;
    var numbers = answer.pages.slice(from, from + BATCH);
    return Promise.all(numbers.map(function (n) { return engine.page(n); })).then(function (pages) {
      if (answer !== current) return; /* a newer query is shown */
      pages.forEach(function (page) { list.appendChild(item(page, answer.plans)); });
      if (more) more.hidden = list.children.length >= answer.pages.length;
    });
  }

  function say(count) {
    status.textContent = count === 0 ? form.dataset.none
      : count === 1 ? form.dataset.one
      : form.dataset.many.replace("{count}", String(count));
  }

  function show(query) {
    var ask = ++asked;
    return engine.search(query).then(function (answer) {
      if (ask !== asked) return;
      current = answer;
      list.textContent = "";
      if (more) more.hidden = true;
      if (answer === null) {
        list.hidden = true;
        status.textContent = "";
        if (allPages) allPages.hidden = false;
        return;
      }
      if (allPages) allPages.hidden = true;
      list.hidden = answer.pages.length === 0;
      return showMore().then(function () { say(answer.pages.length); });
    }, function () {
      if (ask === asked) status.textContent = form.dataset.failed;
    });
  }

  function remember(query) {
    try {
      var address = new URL(location.href);
      if (query) address.searchParams.set("q", query); else address.searchParams.delete("q");
      history.replaceState(null, "", address.href);
    } catch (error) {
      /* some hosts (file:// in a few browsers) refuse: the results are shown all the same */
    }
  }

  var pending = null;
  input.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      show(input.value);
      remember(input.value);
    }, 120);
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pending);
    remember(input.value);
    show(input.value).then(function () {
      var first = list.querySelector("a");
      if (first) first.focus();
    });
  });

  if (more) {
    more.addEventListener("click", function () {
      var next = list.children.length;
      showMore().then(function () {
        var link = list.children[next] && list.children[next].querySelector("a");
        if (link) link.focus(); /* where the reader goes on reading */
      });
    });
  }

  /* Arrow keys move between the input and the results; Escape goes back to the input. */
  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (at === -1) return;
    if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      input.focus();
    }
  });

  form.hidden = false;
  var query = new URLSearchParams(location.search).get("q") || "";
  input.value = query;
  show(query);
  if (!query) input.focus();
})();
