/* commonsgen search engine: answers a query from the sharded index the build writes next
   to each language's search page (commonsgen/outputs/search.py). It loads only what a
   query needs: the manifest (search-index.js), the shards of the query's words and the
   page files of the results shown, each as a <script> (file:// refuses fetch). Shared by
   the search page (search.js) and the overlay on every page (search-overlay.js). */
(function () {
  "use strict";

  var MAX_PREFIX_SHARDS = 4; /* a shorter prefix than that many shards finds whole words only */
  var loaded = {};   /* script URL -> the data it gave */
  var loading = {};  /* script URL -> Promise */

  self.commonsgenSearchLoaded = function (name, data) {
    var script = document.currentScript;
    if (script) loaded[script.src] = data;
  };

  function load(src, read) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.onload = function () {
          var data = read();
          if (data === undefined) reject(new Error("no search data in " + src));
          else resolve(data);
        };
        script.onerror = function () {
          delete loading[src];
          reject(new Error("cannot load " + src));
        };
        document.head.appendChild(script);
      });
    }
    return loading[src];
  }

  /* The same folding as commonsgen/markdown/words.py: compatibility decomposition, marks
     dropped, lower case; a word is a run of letters and digits. */
  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function terms(query) {
    var found = (fold(query).match(/[\p{L}\p{N}]+/gu) || []).filter(function (word) {
      return word.length > 1; /* one letter is no word of the index */
    });
    return found.filter(function (word, i) { return found.indexOf(word) === i; });
  }

  /* Light stemmers: the longest suffix of the list that leaves at least MIN_STEM letters
     goes ("suffix>put" puts something in its place, "suffix/abc" goes only after one of
     those letters). Words are folded first, so the
     suffixes have no accents. A query word finds the index's words with its stem, and
     both are stemmed here: the index itself holds words, never stems. */
  var MIN_STEM = 4;
  var SUFFIXES = {
    en: "ational ations ation ates ating ated ate ments ment ness ings ing ies>y ied>y ers " +
      "er ed es ly s e",
    de: "ungen ung heiten heit keiten keit lichen liche lich isch ern em en er es e s/bdfghklmnrt",
    es: "aciones>acion amientos amiento imientos imiento mente idades idad ando iendo " +
      "aron ieron ados adas idos idas ado ada ido ida ones>on ar er ir an en as es os a e o s",
    fr: "ations ation ements ement euses euse eux ites ite ees ee ent ant er ez es e s x",
    pt: "coes>c cao>c amentos amento imentos imento mente idades idade ando endo indo " +
      "aram eram iram ados adas idos idas ado ada ido ida ar er ir am em as es os a e o s",
  };
  var rules = {};
  Object.keys(SUFFIXES).forEach(function (lang) {
    rules[lang] = SUFFIXES[lang].split(" ").map(function (rule) {
      var after = rule.split("/");
      var parts = after[0].split(">");
      return [parts[0], parts[1] || "", after[1] || ""];
    }).sort(function (a, b) { return b[0].length - a[0].length; });
  });

  function stem(word, lang) {
    var list = rules[String(lang).split("-")[0]];
    if (!list || /\d/.test(word)) return word;
    for (var i = 0; i < list.length; i++) {
      var suffix = list[i][0], put = list[i][1], after = list[i][2];
      var kept = word.length - suffix.length;
      if (kept + put.length >= MIN_STEM && word.slice(kept) === suffix &&
          (!after || after.indexOf(word.charAt(kept - 1)) !== -1)) {
        return word.slice(0, kept) + put;
      }
    }
    return word;
  }

  /* The index of the last item of the sorted array at or before value (-1: none). */
  function lastAtOrBefore(sorted, value) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (sorted[middle] <= value) low = middle + 1; else high = middle;
    }
    return low - 1;
  }

  function Engine(folder) {
    this.folder = new URL(folder, document.baseURI).href;
    this.manifest = null;
  }

  Engine.prototype.ready = function () {
    var self_ = this;
    if (!this._ready) {
      this._ready = load(this.folder + "search-index.js", function () {
        return self.commonsgenSearchIndex;
      }).then(function (manifest) {
        self_.manifest = manifest;
        self_.starts = manifest.shards.map(function (shard) { return shard[0]; });
        return manifest;
      });
    }
    return this._ready;
  };

  Engine.prototype._file = function (name) {
    var src = this.folder + "index/" + name + ".js";
    return load(src, function () { return loaded[src]; });
  };

  /* The shards a term needs, and how it matches: whole, as a word's beginning (prefix),
     and by stem; a short prefix or stem that spans many shards is left out. */
  Engine.prototype._plan = function (term) {
    var starts = this.starts, shards = this.manifest.shards;
    function range(from) {
      return [Math.max(lastAtOrBefore(starts, from), 0),
        Math.max(lastAtOrBefore(starts, from + "\uffff"), 0)];
    }
    var own = range(term);
    var prefix = own[1] - own[0] < MAX_PREFIX_SHARDS;
    var root = stem(term, this.manifest.lang);
    var around = range(root);
    var stemmed = around[1] - around[0] < MAX_PREFIX_SHARDS;
    var names = {};
    var add = function (span) {
      for (var at = span[0]; at <= span[1]; at++) names[shards[at][1]] = true;
    };
    add(prefix ? own : [own[0], own[0]]);
    if (stemmed) add(around);
    return {
      term: term, prefix: prefix, stem: stemmed ? root : null, lang: this.manifest.lang,
      shards: Object.keys(names),
    };
  };

  /* How a word of the index matches a term: 3 whole, 2 by stem, 1 as its beginning, 0 not. */
  function weight(plan, word) {
    if (word === plan.term) return 3;
    var begins = word.lastIndexOf(plan.term, 0) === 0;
    if (plan.stem !== null && word.lastIndexOf(plan.stem, 0) === 0 &&
        stem(word, plan.lang) === plan.stem) return 2;
    return plan.prefix && begins ? 1 : 0;
  }

  /* page number -> score for one term: a word of the title counts much more. */
  function scoresFor(plan, shards) {
    var scores = {};
    shards.forEach(function (words) {
      Object.keys(words).forEach(function (word) {
        var base = weight(plan, word);
        if (!base) return;
        var number = 0;
        words[word].forEach(function (delta) {
          number += delta;
          var score = base + (number & 1 ? 10 : 0);
          var page = number >> 1;
          if (!(scores[page] >= score)) scores[page] = score;
        });
      });
    });
    return scores;
  }

  /* Resolves to {terms, plans, pages: page numbers best first}; null for no words. */
  Engine.prototype.search = function (query) {
    var wanted = terms(query);
    if (!wanted.length) return Promise.resolve(null);
    var engine = this;
    return this.ready().then(function () {
      var plans = wanted.map(function (term) { return engine._plan(term); });
      return Promise.all(plans.map(function (plan) {
        return Promise.all(plan.shards.map(function (name) { return engine._file(name); }));
      })).then(function (shardsPerTerm) {
        var total = null;
        plans.forEach(function (plan, i) {
          var scores = scoresFor(plan, shardsPerTerm[i]);
          var next = {};
          Object.keys(total || scores).forEach(function (page) {
            if (!(page in scores)) return; /* every word must be on the page */
            next[page] = (total ? total[page] : 0) + scores[page];
          });
          total = next;
        });
        var pages = Object.keys(total).map(Number).sort(function (a, b) {
          return total[b] - total[a] || a - b;
        });
        return { terms: wanted, plans: plans, pages: pages };
      });
    });
  };

  /* Resolves to {title, section, url, link, summary, text} of page number n: url is
     absolute, link relative to the search page. */
  Engine.prototype.page = function (number) {
    var engine = this;
    return this._file("p-" + number).then(function (row) {
      return {
        title: row[0], section: row[1], url: href(new URL(row[2], engine.folder).href),
        link: href(row[2]), summary: row[3], text: row[4],
      };
    });
  };

  /* Pretty URLs end in "/"; from file:// a folder is not its index.html. */
  function href(url) {
    if (location.protocol === "file:" && /(^|\/)$/.test(url.split("#")[0])) {
      return url.replace(/^([^#]*)/, "$1index.html");
    }
    return url;
  }

  function matcher(plans) {
    return function (piece) {
      var word = (fold(piece).match(/[\p{L}\p{N}]+/u) || [""])[0];
      return plans.some(function (plan) { return weight(plan, word) > 0; });
    };
  }

  var PIECE = /[\p{L}\p{N}\p{M}]+/gu;

  /* The part of text around the first word that matched, as [text, matched] pieces. */
  function excerpt(text, plans, around) {
    var hits = matcher(plans);
    var at = -1, match;
    PIECE.lastIndex = 0;
    while ((match = PIECE.exec(text)) !== null) {
      if (hits(match[0])) { at = match.index; break; }
    }
    if (at === -1) return null;
    var start = Math.max(0, at - Math.round(around / 3));
    if (start > 0) start = text.indexOf(" ", start) + 1 || start; /* a whole first word */
    var end = Math.min(text.length, start + around);
    if (end < text.length) end = text.lastIndexOf(" ", end) > at ? text.lastIndexOf(" ", end) : end;
    return marked(text.slice(start, end), hits, start > 0, end < text.length);
  }

  function marked(text, hits, before, after) {
    var pieces = [];
    /* spaces that tags left at punctuation ("<em>x</em>," reads "x ,") */
    text = text.replace(/ ([,.;:!?)\]}»”’])/g, "$1").replace(/([(\[{«“‘]) /g, "$1");
    var parts = text.split(/([\p{L}\p{N}\p{M}]+)/u);
    if (before) pieces.push(["… ", false]);
    parts.forEach(function (part) {
      if (part) pieces.push([part, hits(part)]);
    });
    if (after) pieces.push([" …", false]);
    return pieces;
  }

  /* Why a page matched: the text around its first match, else its summary or title. */
  Engine.prototype.excerpt = function (page, plans, around) {
    var hits = matcher(plans);
    return excerpt(page.text, plans, around || 180) ||
      (page.summary ? marked(page.summary, hits, false, false) : []);
  };

  Engine.prototype.marked = function (text, plans) {
    return marked(text, matcher(plans), false, false);
  };

  /* The pieces as DOM nodes, matches in <mark> (text only, never HTML). */
  function render(pieces) {
    var fragment = document.createDocumentFragment();
    pieces.forEach(function (piece) {
      if (piece[1]) {
        var mark = document.createElement("mark");
        mark.textContent = piece[0];
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(document.createTextNode(piece[0]));
      }
    });
    return fragment;
  }

  /* A result as DOM nodes: its title and the excerpt that shows why it matched (null
     when it has neither text nor summary), matches marked. */
  Engine.prototype.shown = function (page, plans, around) {
    var pieces = this.excerpt(page, plans, around);
    return {
      title: render(this.marked(page.title, plans)),
      excerpt: pieces.length ? render(pieces) : null,
    };
  };

  var engines = {};
  self.commonsgenSearch = {
    open: function (folder) {
      var key = new URL(folder, document.baseURI).href;
      return engines[key] || (engines[key] = new Engine(folder));
    },
    render: render,
    stem: stem,
    terms: terms,
  };
})();
