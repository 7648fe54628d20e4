(function () {
  "use strict";
  // Drill on the phone: the cards come in `kb drill`'s order (src/ops/drill.rs, `order`), from
  // the review history in the export plus the grades given on this device, scheduled by the
  // same FSRS as src/review.rs (its parameters come from the export). Grades are kept in this
  // browser's local storage and leave as a review log for `kb drill --import`.
  var R = JSON.parse(document.getElementById("kb-drill").textContent);
  var F = R.fsrs, W = F.w, DAY = 86400;
  var $ = function (id) { return document.getElementById(id); };
  var t = function (ko, en) { return R.ko ? ko : en; };

  // --- the schedule (review.rs: Memory::first, Memory::next, set_due, weak) ---
  function initialDifficulty(g) { return Math.min(10, Math.max(1, W[4] - (g - 3) * W[5])); }
  function retrievability(days, s) { return Math.pow(1 + F.factor * Math.max(0, days) / s, F.decay); }
  function intervalDays(s) {
    return Math.round(Math.min(36500, Math.max(1, s / F.factor * (Math.pow(F.retention, 1 / F.decay) - 1))));
  }
  function setDue(m) { m.due = m.last + intervalDays(m.s) * DAY; }
  function first(time, g) {
    var m = { s: W[g - 1], d: initialDifficulty(g), last: time, reviews: 1, lapses: g === 1 ? 1 : 0, grade: g };
    setDue(m);
    return m;
  }
  function next(m, time, g) {
    var rr = retrievability((time - m.last) / DAY, m.s);
    var d = m.d - W[6] * (g - 3);
    m.d = Math.min(10, Math.max(1, W[7] * initialDifficulty(3) + (1 - W[7]) * d));
    var s;
    if (g === 1) {
      m.lapses++;
      s = Math.min(W[11] * Math.pow(m.d, -W[12]) * (Math.pow(m.s + 1, W[13]) - 1) * Math.exp(W[14] * (1 - rr)), m.s);
    } else {
      var hard = g === 2 ? W[15] : 1, easy = g === 4 ? W[16] : 1;
      s = m.s * (1 + Math.exp(W[8]) * (11 - m.d) * Math.pow(m.s, -W[9]) * (Math.exp(W[10] * (1 - rr)) - 1) * hard * easy);
    }
    m.s = Math.max(0.01, s);
    m.last = time;
    m.reviews++;
    m.grade = g;
    setDue(m);
    return m;
  }
  function recallNow(m, now) { return retrievability((now - m.last) / DAY, m.s); }
  function weak(m, now) { return m.grade <= 2 || recallNow(m, now) < 0.7; }
  function memoryOf(reviews) {
    var m = null;
    reviews.forEach(function (r) { m = m ? next(m, r[0], r[1]) : first(r[0], r[1]); });
    return m;
  }

  // --- what this device keeps ---
  var KEY = "kb-drill:" + R.bank, stored = true;
  function load(k, fallback) {
    try { var v = localStorage.getItem(k); return v ? JSON.parse(v) : fallback; } catch (e) { stored = false; return fallback; }
  }
  function save(k, v) {
    try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { stored = false; }
  }
  // [unix seconds, question id, grade 1–4] for every grade given here.
  var local = load(KEY, []);
  var machine = load(KEY + ":machine", "phone");

  // Every review of a question: the export's and this device's, each once, oldest first.
  function reviewsOf(id) {
    var seen = new Set(), all = [];
    (R.rv[id] || []).concat(local.filter(function (l) { return l[1] === id; }).map(function (l) { return [l[0], l[2]]; }))
      .forEach(function (r) {
        var k = r[0] + ":" + r[1];
        if (!seen.has(k)) { seen.add(k); all.push(r); }
      });
    return all.sort(function (a, b) { return a[0] - b[0]; });
  }

  // --- the order (drill.rs: order) ---
  function order(ids, now) {
    var due = [], wk = [], fresh = [], rest = [];
    ids.forEach(function (id) {
      var m = memoryOf(reviewsOf(id)), q = R.q[id] || { a: 0, ok: false };
      if (!m) fresh.push([id, q]);
      else if (m.due <= now) due.push([id, recallNow(m, now), q]);
      else if (weak(m, now)) wk.push([id, recallNow(m, now)]);
      else rest.push([id, m.due]);
    });
    var byId = function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; };
    due.sort(function (a, b) { return a[1] - b[1] || b[2].a - a[2].a || byId(a, b); });
    wk.sort(function (a, b) { return a[1] - b[1] || byId(a, b); });
    fresh.sort(function (a, b) { return b[1].a - a[1].a || (b[1].ok ? 1 : 0) - (a[1].ok ? 1 : 0) || byId(a, b); });
    rest.sort(function (a, b) { return a[1] - b[1] || byId(a, b); });
    return {
      ids: [].concat(due, wk, fresh, rest).map(function (e) { return e[0]; }),
      due: due.length
    };
  }

  // --- the cards ---
  var GRADES = [t("다시", "Again"), t("어려움", "Hard"), t("보통", "Good"), t("쉬움", "Easy")];
  var NAMES = ["again", "hard", "good", "easy"];
  var queue = [], at = 0, dueCount = 0, done = 0, revealed = false;
  function now() { return Math.floor(Date.now() / 1000); }
  function scopeIds() {
    var v = $("drill-scope").value;
    var root = v ? document.getElementById(v) : document;
    var ids = [], seen = new Set();
    Array.prototype.forEach.call(root.querySelectorAll("article[id]"), function (a) {
      if (!seen.has(a.id)) { seen.add(a.id); ids.push(a.id); }
    });
    return ids;
  }
  function start() {
    var o = order(scopeIds(), now());
    queue = o.ids; dueCount = o.due; at = 0; done = 0;
    show();
  }
  function when(days) {
    if (days < 1) return t("오늘", "today");
    if (days < 31) return days + t("일", "d");
    if (days < 365) return Math.round(days / 30) + t("개월", "mo");
    return (days / 365).toFixed(1) + t("년", "y");
  }
  function show() {
    var card = $("card"), end = $("drill-end");
    revealed = false;
    $("drill-count").textContent = queue.length
      ? t(done + "개 완료 · " + Math.min(at + 1, queue.length) + " / " + queue.length + " · 복습 예정 " + dueCount + "개",
          done + " done · " + Math.min(at + 1, queue.length) + " / " + queue.length + " · " + dueCount + " due")
      : "";
    if (at >= queue.length) {
      card.hidden = true;
      end.hidden = false;
      end.textContent = queue.length
        ? t("이 범위의 카드를 모두 봤습니다. 기록을 내보내 kb drill --import 로 가져오세요.",
            "That was every card here. Save the log and bring it in with kb drill --import.")
        : t("이 범위에는 질문이 없습니다.", "No questions here.");
      return;
    }
    end.hidden = true;
    card.hidden = false;
    var id = queue[at], article = document.getElementById(id);
    card.setAttribute("data-id", id);
    $("card-q").textContent = article.querySelector("h3").textContent;
    var meta = article.querySelector(".meta");
    $("card-meta").textContent = "";
    if (meta) $("card-meta").appendChild(meta.cloneNode(true));
    var answer = $("card-a");
    answer.textContent = "";
    // The answer as the page already shows it: its nodes copied, never parsed again.
    var details = article.querySelector("details");
    if (details) {
      Array.prototype.forEach.call(details.childNodes, function (n) {
        if (n.nodeName !== "SUMMARY") answer.appendChild(n.cloneNode(true));
      });
    } else {
      var none = article.querySelector(".none");
      if (none) answer.appendChild(none.cloneNode(true));
    }
    answer.hidden = true;
    $("grades").hidden = true;
    $("reveal").hidden = false;
    // What each grade would schedule, as Anki shows it.
    var m = memoryOf(reviewsOf(id)), time = now();
    Array.prototype.forEach.call($("grades").querySelectorAll("button"), function (b) {
      var g = +b.getAttribute("data-grade");
      var after = m ? next(Object.assign({}, m), time, g) : first(time, g);
      b.querySelector("small").textContent = when(Math.round((after.due - time) / DAY));
    });
  }
  function reveal() {
    if (at >= queue.length || revealed) return;
    revealed = true;
    $("card-a").hidden = false;
    $("grades").hidden = false;
    $("reveal").hidden = true;
  }
  function grade(g) {
    if (at >= queue.length || !revealed) return;
    local.push([now(), queue[at], g]);
    save(KEY, local);
    done++;
    at++;
    logStatus();
    show();
    window.scrollTo(0, $("drill").offsetTop);
  }

  // --- the review log ---
  function iso(sec) { return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, "Z"); }
  function logText() {
    var name = machine.trim().toLowerCase() || "phone";
    return "# kb review log: time\tquestion\tgrade\n# machine: " + name + "\n" +
      local.map(function (l) { return iso(l[0]) + "\t" + l[1] + "\t" + NAMES[l[2] - 1] + "\n"; }).join("");
  }
  function logName() { return "kb-reviews-" + (machine.trim().toLowerCase() || "phone") + "-" + iso(now()).slice(0, 10) + ".tsv"; }
  function logStatus() {
    $("log-count").textContent = t("이 기기의 채점 " + local.length + "개", local.length + " grades on this device") +
      (stored ? "" : t(" — 이 브라우저는 저장하지 못합니다. 닫기 전에 내보내세요.", " — this browser cannot keep them: save the log before closing."));
    $("log-text").value = logText();
    $("log-save").disabled = local.length === 0;
  }
  function saveLog() {
    var blob = new Blob([logText()], { type: "text/tab-separated-values" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = logName();
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function shareLog() {
    var file = new File([logText()], logName(), { type: "text/plain" });
    if (navigator.canShare && navigator.canShare({ files: [file] })) {
      navigator.share({ files: [file], title: logName() }).catch(function () {});
    } else {
      $("log-box").open = true;
      $("log-text").select();
    }
  }
  function clearLog() {
    if (!local.length) return;
    if (!window.confirm(t("이 기기의 채점 " + local.length + "개를 지웁니다. kb drill --import 로 가져온 뒤에만 지우세요.",
      "Forget the " + local.length + " grades kept here? Only after kb drill --import has them."))) return;
    local = [];
    save(KEY, local);
    logStatus();
  }

  // --- modes ---
  function open() {
    $("drill").hidden = false;
    $("reading").hidden = true;
    $("drill-open").hidden = true;
    start();
    logStatus();
    window.scrollTo(0, 0);
  }
  function close() {
    $("drill").hidden = true;
    $("reading").hidden = false;
    $("drill-open").hidden = false;
    if (location.hash === "#drill") history.replaceState(null, "", location.pathname + location.search);
  }
  // The scope: the whole page or one of its sections.
  Array.prototype.forEach.call(document.querySelectorAll("nav a"), function (a) {
    var o = document.createElement("option");
    o.value = a.getAttribute("href").slice(1);
    o.textContent = a.textContent;
    $("drill-scope").appendChild(o);
  });
  $("machine").value = machine;
  $("machine").addEventListener("change", function () {
    machine = $("machine").value.replace(/[^A-Za-z0-9-]/g, "").toLowerCase() || "phone";
    $("machine").value = machine;
    save(KEY + ":machine", machine);
    logStatus();
  });
  $("drill-open").hidden = false;
  $("drill-open").addEventListener("click", open);
  $("drill-close").addEventListener("click", close);
  $("drill-scope").addEventListener("change", start);
  $("reveal").addEventListener("click", reveal);
  $("card-q").addEventListener("click", reveal);
  Array.prototype.forEach.call($("grades").querySelectorAll("button"), function (b) {
    b.addEventListener("click", function () { grade(+b.getAttribute("data-grade")); });
  });
  $("log-save").addEventListener("click", saveLog);
  $("log-share").addEventListener("click", shareLog);
  $("log-clear").addEventListener("click", clearLog);
  document.addEventListener("keydown", function (e) {
    if ($("drill").hidden || e.target.tagName === "INPUT" || e.target.tagName === "SELECT" || e.target.tagName === "TEXTAREA") return;
    if (e.key === " " || e.key === "Enter") { if (!revealed) { reveal(); e.preventDefault(); } }
    else if (e.key >= "1" && e.key <= "4") grade(+e.key);
  });
  function fromHash() { if (location.hash === "#drill") open(); }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  // For the tests: the schedule this page computes for a question.
  window.kbDrill = {
    memory: function (id) { return memoryOf(reviewsOf(id)); },
    schedule: function (reviews) { return memoryOf(reviews); },
    order: function () { return order(scopeIds(), now()); }
  };
})();
