(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("kb-data").textContent);
  var P = D.p.map(function (p) { return Array.from(p); });
  // The analyzer's character classes (src/analysis/analyzer.rs, `class`).
  function cls(c) {
    var u = c.codePointAt(0);
    if ((u >= 0xAC00 && u <= 0xD7A3) || (u >= 0x1100 && u <= 0x11FF) || (u >= 0x3130 && u <= 0x318F) ||
        (u >= 0xA960 && u <= 0xA97F) || (u >= 0xD7B0 && u <= 0xD7FF) || (u >= 0x3040 && u <= 0x30FF) ||
        (u >= 0x3400 && u <= 0x4DBF) || (u >= 0x4E00 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF)) return 1;
    return /[\p{L}\p{N}]/u.test(c) ? 2 : 0;
  }
  function ends(run, p) {
    for (var i = 0; i < p.length; i++) if (run[run.length - p.length + i] !== p[i]) return false;
    return true;
  }
  function particleLen(run) {
    // As the index cuts: two syllables left, or one after a particle of two or more (not 점…).
    for (var i = 0; i < P.length; i++) {
      var oneLeft = P[i].length >= 2 && P[i][0] !== "점" && run.length > P[i].length;
      if ((run.length >= P[i].length + 2 || oneLeft) && ends(run, P[i])) return P[i].length;
    }
    return 0;
  }
  function isParticle(run) {
    return P.some(function (p) { return p.length === run.length && ends(run, p); });
  }
  function own(o, k) { return Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined; }
  // Word → stem, from the table written stem → words (`compact` in mod.rs).
  var STEMS = new Map();
  Object.keys(D.s).forEach(function (st) {
    var chars = Array.from(st);
    D.s[st].split(" ").forEach(function (e) {
      var cut = +e[0];
      STEMS.set(chars.slice(0, chars.length - cut).join("") + e.slice(1), st);
    });
  });
  function stem(w) { w = w.toLowerCase(); return STEMS.has(w) ? STEMS.get(w) : w; }
  // The query cut as the index cuts text (`analyze`): one group of terms per word typed.
  function words(text) {
    var ch = Array.from(text.normalize("NFC")), out = [], i = 0;
    while (i < ch.length) {
      var k = cls(ch[i]);
      if (k === 0) { i++; continue; }
      if (k === 1) {
        var st = i;
        while (i < ch.length && cls(ch[i]) === 1) i++;
        var run = ch.slice(st, i);
        if (st > 0 && cls(ch[st - 1]) === 2) {
          if (isParticle(run)) continue;
          if (run.length > 2 && "의는은을를와과랑".indexOf(run[0]) >= 0) run = run.slice(1);
        }
        var keep = run.length - particleLen(run);
        if (keep === 1) { out.push([run[0]]); continue; }
        var g = [];
        for (var j = 0; j < keep - 1; j++) g.push(run[j] + run[j + 1]);
        out.push(g);
      } else {
        var start = i, parts = [];
        for (;;) {
          var ps = i;
          while (i < ch.length && cls(ch[i]) === 2) i++;
          parts.push([ps, i]);
          if (i + 1 < ch.length && "-/._".indexOf(ch[i]) >= 0 && cls(ch[i + 1]) === 2) i++; else break;
        }
        var tail = i;
        while (tail < ch.length && (ch[tail] === "+" || ch[tail] === "#")) tail++;
        var hasTail = tail > i && tail - i <= 2;
        if (hasTail) i = tail;
        var w = [];
        if (parts.length > 1 || hasTail) w.push(ch.slice(start, i).join("").toLowerCase());
        parts.forEach(function (p) { w.push(stem(ch.slice(p[0], p[1]).join(""))); });
        out.push(w);
      }
    }
    return out;
  }
  // A word's terms, as `analyzer::terms` gives them for one typed word.
  function terms(word) { return [].concat.apply([], words(word)); }
  function key(t) { return t.replace(/[\s-]/g, "").toLowerCase(); }
  // The glossary's equivalents of one to three typed words (`Glossary::equivalents`): the
  // concepts whose key it is, or the key without a glued particle (`과적합을`).
  function equivalents(phrase) {
    var k = key(phrase), hits = own(D.gk, k);
    if (!hits) {
      var ch = Array.from(k), n = particleLen(ch);
      if (n) hits = own(D.gk, ch.slice(0, ch.length - n).join(""));
    }
    var seen = new Set(), out = [];
    (hits || []).forEach(function (c) {
      D.gc[c].forEach(function (v) {
        if (v[0] === k || seen.has(v[2])) return;
        seen.add(v[2]);
        out.push(v[1]);
      });
    });
    return out;
  }
  // Runs of one to three typed words that name a concept, longest first (`Glossary::expand`):
  // [first word, number of words, the equivalents' tokens].
  function expand(ws) {
    var out = [];
    for (var start = 0; start < ws.length; start++) {
      for (var len = 3; len >= 1; len--) {
        if (start + len > ws.length) continue;
        var eq = equivalents(ws.slice(start, start + len).join(" "));
        if (eq.length) { out.push([start, len, eq]); break; }
      }
    }
    return out;
  }
  // BM25 per field, weighted as `kb search` weighs them (src/index/query.rs, `Weights`):
  // question 3, tags 1.5, answer 1, the answer's headings 1.5. Field lengths come quantized
  // as tantivy keeps them; tantivy's k1 = 1.2 and b = 0.75.
  var FIELDS = [3, 1.5, 1, 1.5], SYNONYM = 0.8;
  function bm25(tf, len, avg) {
    if (!tf) return 0;
    return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / (avg || 1)));
  }
  function idfs(t) {
    var post = own(D.x, t) || [];
    // Document frequency per field, as the index counts it (each field is its own).
    return FIELDS.map(function (_, f) {
      var df = post.filter(function (e) { return e[f + 1] > 0; }).length;
      return Math.log(1 + (D.n - df + 0.5) / (df + 0.5));
    });
  }
  function add(scores, d, s) { scores.set(d, (scores.get(d) || 0) + s); }
  // Any token of a typed word, in any field; a word of n tokens weighs each 1/sqrt(n)
  // (`any_token`).
  function anyToken(scores, word) {
    var tokens = terms(word), w = tokens.length > 1 ? 1 / Math.sqrt(tokens.length) : 1;
    tokens.forEach(function (t) {
      var idf = idfs(t);
      (own(D.x, t) || []).forEach(function (e) {
        var d = e[0], s = 0;
        for (var f = 0; f < FIELDS.length; f++) s += FIELDS[f] * idf[f] * bm25(e[f + 1], D.len[d][f], D.avg[f]);
        add(scores, d, w * s);
      });
    });
  }
  // The documents with every token of `tokens` in one field, per field.
  function allIn(tokens) {
    var out = FIELDS.map(function () { return null; });
    tokens.forEach(function (t) {
      var post = own(D.x, t) || [];
      FIELDS.forEach(function (_, f) {
        var here = new Set();
        post.forEach(function (e) { if (e[f + 1] > 0) here.add(e[0]); });
        out[f] = out[f] === null ? here : new Set(Array.from(out[f]).filter(function (d) { return here.has(d); }));
      });
    });
    return out.map(function (s) { return s || new Set(); });
  }
  // A glossary equivalent of the typed words `typed`: found like typed text, in a field
  // that has all its tokens, and scored as a fixed fraction of what the typed words would
  // score there (the sum of their tokens' IDF), as `synonym` in src/index/query.rs does.
  function synonym(scores, tokens, typed) {
    if (!tokens.length) return;
    var found = allIn(tokens);
    FIELDS.forEach(function (boost, f) {
      var idf = 0;
      typed.forEach(function (word) {
        var ts = terms(word), sum = 0;
        ts.forEach(function (t) { sum += idfs(t)[f]; });
        idf += ts.length > 1 ? sum / Math.sqrt(ts.length) : sum;
      });
      var s = SYNONYM * boost * idf;
      found[f].forEach(function (d) { add(scores, d, s); });
    });
  }
  function search(words, phrases) {
    var scores = new Map();
    words.forEach(function (w) { anyToken(scores, w); });
    expand(words).forEach(function (e) { e[2].forEach(function (tokens) { synonym(scores, tokens, words.slice(e[0], e[0] + e[1])); }); });
    phrases.forEach(function (ph) {
      anyToken(scores, ph);
      var ws = ph.split(/\s+/);
      expand(ws).forEach(function (e) { e[2].forEach(function (tokens) { synonym(scores, tokens, ws.slice(e[0], e[0] + e[1])); }); });
    });
    return Array.from(scores.entries()).sort(function (a, b) {
      return b[1] - a[1] || (D.ids[a[0]] < D.ids[b[0]] ? -1 : 1);
    }).map(function (e) { return e[0]; });
  }
  // `"exact phrase"`, `-word` and the rest, as kb search splits a query.
  function parse(text) {
    var out = { words: [], phrases: [], excluded: [] }, re = /"([^"]*)"?|(\S+)/g, m;
    while ((m = re.exec(text))) {
      if (m[1] !== undefined) { if (m[1].trim()) out.phrases.push(m[1].trim()); continue; }
      if (m[2].length > 1 && m[2][0] === "-" && m[2][1] !== "-") out.excluded.push(m[2].slice(1));
      else out.words.push(m[2]);
    }
    return out;
  }
  function docText(d) {
    var el = document.getElementById(D.ids[d]);
    return (el ? el.textContent : D.q[d]).normalize("NFC").toLowerCase().replace(/\s+/g, " ");
  }
  // Initial consonants (choseong): `ㅊㄹ ㅊㅈㅎ` finds 추론 최적화 in a question.
  var INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ";
  function initials(text) {
    return Array.from(text).map(function (c) {
      var u = c.charCodeAt(0);
      return u >= 0xAC00 && u <= 0xD7A3 ? INITIALS[Math.floor((u - 0xAC00) / 588)] : "";
    }).join("");
  }
  function byInitials(q) {
    var hits = [];
    D.q.forEach(function (text, d) {
      var at = initials(text).indexOf(q);
      if (at >= 0) hits.push([d, at]);
    });
    return hits.sort(function (a, b) { return a[1] - b[1] || (D.ids[a[0]] < D.ids[b[0]] ? -1 : 1); })
      .map(function (h) { return h[0]; });
  }
  function query(text) {
    var compact = text.replace(/\s+/g, "");
    if (compact.length >= 2 && /^[\u3131-\u314e]+$/.test(compact)) return byInitials(compact);
    var p = parse(text);
    var docs = search(p.words, p.phrases);
    // `-word` leaves out what has all its tokens in one field (`all_tokens`).
    p.excluded.forEach(function (w) {
      var out = new Set();
      allIn(terms(w)).forEach(function (set) { set.forEach(function (d) { out.add(d); }); });
      docs = docs.filter(function (d) { return !out.has(d); });
    });
    p.phrases.forEach(function (ph) {
      var want = ph.normalize("NFC").toLowerCase().replace(/\s+/g, " ");
      docs = docs.filter(function (d) { return docText(d).indexOf(want) >= 0; });
    });
    return docs;
  }
  var input = document.getElementById("q"), list = document.getElementById("results");
  var content = document.getElementById("content");
  // Set aside with `content-visibility: hidden`, which keeps what the browser has drawn: putting
  // the page back is cheap, where `display: none` had it lay out every answer again (100 ms).
  function away(yes) { content.classList.toggle("away", yes); }
  // The hits, shown in place of the page (see `content` in mod.rs); none shown, the page is back.
  // Fifteen hits first (a phone shows about eight; each drawn hit costs time on every
  // keystroke), and a button for the next thirty.
  var shown = [], more = document.createElement("button");
  more.type = "button";
  more.id = "more";
  more.addEventListener("click", function () { addHits(shown.length + 30); });
  function show(docs, searching, all) {
    shown = docs;
    list.textContent = "";
    addHits(all ? docs.length : 15);
    list.hidden = docs.length === 0;
    if (list.hidden && more.parentNode) more.remove();
    away(searching);
  }
  function addHits(upto) {
    if (more.parentNode) more.remove();
    shown.slice(list.children.length, upto).forEach(function (d) {
      var li = document.createElement("li"), a = document.createElement("a");
      li.setAttribute("data-id", D.ids[d]);
      a.href = "#" + D.ids[d];
      a.textContent = D.q[d];
      li.appendChild(a);
      if (D.t[d].length) {
        var tags = document.createElement("span");
        tags.className = "n";
        tags.textContent = " " + D.t[d].slice(0, 3).join(" · ");
        li.appendChild(tags);
      }
      list.appendChild(li);
    });
    if (shown.length > list.children.length) {
      more.textContent = (D.ko ? "더 보기 " : "More ") + "(" + (shown.length - list.children.length) + ")";
      list.after(more);
    }
  }
  // Scroll to `el` and keep it there while the answers around it are drawn for the first time
  // (content-visibility guesses their height until then, so the first scroll lands off, and
  // newer Chromium draws them over many frames): every frame for up to two seconds, until it
  // has stayed put for half a second, or the page was scrolled by anything else (the reader, a
  // tap that scrolls, the browser's own scroll anchoring, which then keeps it in place).
  // (A reader's scroll, by finger, wheel or key, moves scrollY: no listeners are needed.)
  function settle(el) {
    var frames = 0, still = 0, y;
    function go() { el.scrollIntoView(); y = window.scrollY; }
    go();
    (function tick() {
      if (window.scrollY !== y || frames++ > 120) return;
      if (Math.abs(el.getBoundingClientRect().top) > 2) { go(); still = 0; }
      else if (++still > 30) return;
      requestAnimationFrame(tick);
    })();
  }
  // A hit tapped: the page comes back, at that question; the query stays in the box.
  list.addEventListener("click", function (e) {
    var a = e.target.closest("a");
    if (!a) return;
    e.preventDefault();
    var id = a.getAttribute("href").slice(1), target = document.getElementById(id);
    list.hidden = true;
    if (more.parentNode) more.remove();
    away(false);
    status.textContent = "";
    history.pushState(null, "", "#" + id);
    if (target) settle(target);
  });
  var status = document.getElementById("status");
  function run() {
    var q = input.value.trim();
    var started = performance.now();
    var docs = q ? query(q) : [];
    var ms = performance.now() - started;
    // While the box has the focus the search view stays, even emptied.
    show(docs, q.length > 0 || document.activeElement === input);
    status.textContent = q ? docs.length + (D.ko ? "개" : " found") + " · " + ms.toFixed(1) + " ms" : "";
    status.setAttribute("data-ms", ms.toFixed(2));
  }
  function fromHash() {
    var h = location.hash.slice(1), eq = h.indexOf("=");
    if (eq < 0) return;
    var key = h.slice(0, eq), value = decodeURIComponent(h.slice(eq + 1));
    if (key === "q") { input.value = value; run(); }
    if (key === "tag" || key === "project") {
      var docs = [];
      (key === "tag" ? D.t : D.pj).forEach(function (v, d) {
        if (key === "tag" ? v.indexOf(value) >= 0 : v === value) docs.push(d);
      });
      input.value = "";
      show(docs, true, true);
      status.textContent = (key === "tag" ? "#" : "") + value + " · " + docs.length + (D.ko ? "개" : " questions");
    }
  }
  input.hidden = false;
  input.addEventListener("input", run);
  // Back in the box with a query in it: its hits again. Escape empties it.
  // A tap in the box opens the search view at once (as a phone's search does), so the first
  // keystroke does not also pay for setting the page aside; leaving it empty brings the page back.
  input.addEventListener("focus", function () { if (input.value.trim()) run(); else away(true); });
  input.addEventListener("blur", function () { if (!input.value.trim()) away(false); });
  input.addEventListener("keydown", function (e) { if (e.key === "Escape") { input.value = ""; run(); } });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
