/* commonsgen search: answers queries on the search page from search-index.js, which the
   build writes next to it and which sets self.commonsgenSearchIndex. No requests of its
   own, so it works on any static host and from file:// too. */
(function () {
  "use strict";

  var MAX_RESULTS = 50;
  var index = self.commonsgenSearchIndex;
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var allPages = document.getElementById("search-all-pages");
  if (!index || !form || !input || !status || !list) return; // the page lists every page instead

  var vocabulary = Object.keys(index.words);

  /* The same folding as commonsgen/search.py: compatibility decomposition, accents (marks)
     dropped, lower case; a word is a run of letters and digits. */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function terms(query) {
    var found = fold(query).match(/[\p{L}\p{N}]+/gu) || [];
    return found.filter(function (word, i) { return found.indexOf(word) === i; });
  }

  /* page number -> score for one term: a whole word counts more than a word it begins. */
  function scoresFor(term) {
    var scores = {};
    vocabulary.forEach(function (word) {
      if (word.lastIndexOf(term, 0) !== 0) return;
      var weight = word.length === term.length ? 3 : 1;
      index.words[word].forEach(function (page) {
        scores[page] = Math.max(scores[page] || 0, weight);
      });
    });
    return scores;
  }

  function search(query) {
    var wanted = terms(query);
    if (!wanted.length) return null;
    var total = null;
    wanted.forEach(function (term) {
      var scores = scoresFor(term);
      var next = {};
      Object.keys(total || scores).forEach(function (page) {
        if (!(page in scores)) return; // every term must be on the page
        var title = fold(index.pages[page][0]);
        var bonus = title.indexOf(term) !== -1 ? 10 : 0;
        next[page] = (total ? total[page] : 0) + scores[page] + bonus;
      });
      total = next;
    });
    return Object.keys(total)
      .map(Number)
      .sort(function (a, b) { return total[b] - total[a] || a - b; });
  }

  /* The excerpt with the query's words marked, as DOM nodes (never as HTML). */
  function marked(text, wanted) {
    var fragment = document.createDocumentFragment();
    var words = text.split(/([\p{L}\p{N}]+)/u);
    words.forEach(function (part) {
      var folded = fold(part);
      var hit = part && wanted.some(function (term) { return folded.lastIndexOf(term, 0) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else if (part) {
        fragment.appendChild(document.createTextNode(part));
      }
    });
    return fragment;
  }

  /* Pretty URLs end in "/"; from file:// a folder is not its index.html. */
  function href(url) {
    if (location.protocol === "file:" && /(^|\/)$/.test(url.split("#")[0])) {
      return url.replace(/^([^#]*)/, "$1index.html");
    }
    return url;
  }

  function show(query) {
    var found = search(query);
    list.textContent = "";
    if (found === null) {
      list.hidden = true;
      status.textContent = "";
      if (allPages) allPages.hidden = false;
      return;
    }
    if (allPages) allPages.hidden = true;
    var wanted = terms(query);
    found.slice(0, MAX_RESULTS).forEach(function (number) {
      var page = index.pages[number];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = href(page[2]);
      link.textContent = page[0];
      var heading = document.createElement("h2");
      heading.appendChild(link);
      item.appendChild(heading);
      if (page[1]) {
        var section = document.createElement("p");
        section.className = "search-section";
        section.textContent = page[1];
        item.appendChild(section);
      }
      if (page[3]) {
        var excerpt = document.createElement("p");
        excerpt.className = "search-excerpt";
        excerpt.appendChild(marked(page[3], wanted));
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
    list.hidden = found.length === 0;
    var message = found.length === 0 ? form.dataset.none
      : found.length === 1 ? form.dataset.one
      : form.dataset.many.replace("{count}", String(found.length));
    status.textContent = message;
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
    show(input.value);
    remember(input.value);
    var first = list.querySelector("a");
    if (first) first.focus();
  });

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
