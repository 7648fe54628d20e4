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
    for (var i = 0; i < P.length; i++) if (run.length >= P[i].length + 2 && ends(run, P[i])) return P[i].length;
    return 0;
  }
  function isParticle(run) {
    return P.some(function (p) { return p.length === run.length && ends(run, p); });
  }
  function stem(w) { w = w.toLowerCase(); return Object.prototype.hasOwnProperty.call(D.s, w) ? D.s[w] : w; }
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
  // The words of a query as the glossary splits them: at spaces and punctuation, and where
  // Hangul meets Latin script (`Semaphore의차이는` is two words).
  function glossaryWords(text) {
    var out = [], cur = "", last = null;
    Array.from(text.normalize("NFC")).forEach(function (c) {
      if (/\s/.test(c) || "?,.!()[]{}\"'\u201c\u201d\u2018\u2019\u00b7/:;".indexOf(c) >= 0) {
        if (cur) out.push(cur);
        cur = ""; last = null; return;
      }
      var hangul = c >= "\uac00" && c <= "\ud7a3";
      if (cur && last !== null && last !== hangul) { out.push(cur); cur = ""; }
      cur += c; last = hangul;
    });
    if (cur) out.push(cur);
    return out;
  }
  function key(t) { return t.replace(/[\s-]/g, "").toLowerCase(); }
  function conceptsOf(k) {
    if (Object.prototype.hasOwnProperty.call(D.gk, k)) return D.gk[k];
    var ch = Array.from(k), n = particleLen(ch);
    var s = ch.slice(0, ch.length - n).join("");
    return n && Object.prototype.hasOwnProperty.call(D.gk, s) ? D.gk[s] : [];
  }
  // The other terms of each concept the query names (runs of one to three words, longest
  // first), as `kb search` adds them, weighed below what was typed.
  function equivalents(q) {
    var w = glossaryWords(q), out = [];
    for (var start = 0; start < w.length; start++) {
      for (var len = 3; len >= 1; len--) {
        if (start + len > w.length) continue;
        var k = key(w.slice(start, start + len).join(" ")), hits = conceptsOf(k);
        if (!hits.length) continue;
        hits.forEach(function (c) {
          D.gc[c].forEach(function (v) { if (v[0] !== k && v[1].length) out.push(v[1]); });
        });
        break;
      }
    }
    return out;
  }
  // BM25 per field, weighted as `kb search` weighs them (question 3, tags 1.5, answer 1).
  var FIELDS = [3, 1.5, 1];
  function bm25(tf, len, avg) {
    if (!tf) return 0;
    return tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * len / (avg || 1)));
  }
  function search(q) {
    var scores = new Map();
    var groups = words(q).map(function (g) { return [g, 1]; })
      .concat(equivalents(q).map(function (g) { return [g, 0.3]; }));
    groups.forEach(function (pair) {
      var g = pair[0], w = pair[1] / Math.sqrt(g.length);
      g.forEach(function (t) {
        var post = D.x[t];
        if (!post) return;
        // Document frequency per field, as the index counts it (each field is its own).
        var idf = [0, 1, 2].map(function (f) {
          var df = post.filter(function (e) { return e[f + 1] > 0; }).length;
          return Math.log(1 + (D.n - df + 0.5) / (df + 0.5));
        });
        post.forEach(function (e) {
          var d = e[0], s = 0;
          for (var f = 0; f < 3; f++) s += FIELDS[f] * idf[f] * bm25(e[f + 1], D.len[d][f], D.avg[f]);
          scores.set(d, (scores.get(d) || 0) + w * s);
        });
      });
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
      if (m[2].length > 1 && m[2][0] === "-") out.excluded.push(m[2].slice(1));
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
    var typed = p.words.concat(p.phrases).join(" ");
    var docs = search(typed);
    p.excluded.forEach(function (w) {
      var terms = [].concat.apply([], words(w));
      docs = docs.filter(function (d) {
        return !terms.every(function (t) {
          return (D.x[t] || []).some(function (e) { return e[0] === d; });
        });
      });
    });
    p.phrases.forEach(function (ph) {
      var want = ph.normalize("NFC").toLowerCase().replace(/\s+/g, " ");
      docs = docs.filter(function (d) { return docText(d).indexOf(want) >= 0; });
    });
    return docs;
  }
  var input = document.getElementById("q"), list = document.getElementById("results");
  function show(docs) {
    list.textContent = "";
    docs.slice(0, 30).forEach(function (d) {
      var li = document.createElement("li"), a = document.createElement("a");
      li.setAttribute("data-id", D.ids[d]);
      a.href = "#" + D.ids[d];
      a.textContent = D.q[d];
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = docs.length === 0;
  }
  var status = document.getElementById("status");
  function run() {
    var q = input.value.trim();
    var started = performance.now();
    var docs = q ? query(q) : [];
    var ms = performance.now() - started;
    show(docs);
    status.textContent = q ? docs.length + (D.ko ? "개" : " found") + " · " + ms.toFixed(1) + " ms" : "";
    status.setAttribute("data-ms", ms.toFixed(2));
  }
  function fromHash() {
    var h = location.hash.slice(1), eq = h.indexOf("=");
    if (eq < 0) return;
    var key = h.slice(0, eq), value = decodeURIComponent(h.slice(eq + 1));
    if (key === "q") { input.value = value; run(); }
    if (key === "tag") {
      var docs = [];
      D.t.forEach(function (tags, d) { if (tags.indexOf(value) >= 0) docs.push(d); });
      show(docs);
    }
  }
  input.addEventListener("input", run);
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
