// The search page: asks `wenku serve`'s /api/search (or, on plain static
// hosting, the static index through the WebAssembly engine) and shows the hits, the
// facets and a per-year chart; its other views ask /api/kwic for every
// occurrence in context (语境), what follows or precedes (后接, 前接) and the
// forms of a gap query (提法演变). The URL holds the whole query and view, so
// a search can be shared and the back button works. No external scripts.
(function () {
  "use strict";
  // Year 0 is "not known yet" (an import awaiting review): never "0年".
  var UNKNOWN_YEAR = "年份不详";
  var page = document.getElementById("search-page");
  if (!page) return;
  var api = page.getAttribute("data-api");
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-q");
  var sortSelect = document.getElementById("search-sort");
  var statusBox = document.getElementById("search-status");
  var chart = document.getElementById("search-chart");
  var chartSvg = document.getElementById("search-chart-svg");
  var facetsBox = document.getElementById("search-facets");
  var resultsBox = document.getElementById("search-results");
  var pagesBox = document.getElementById("search-pages");
  var FILTERS = [["year", "年份"], ["body", "发文机关"], ["level", "层级"], ["period", "报告期"]];
  var KEYS = ["q", "year", "body", "level", "period", "sort", "page", "view", "ksort", "group", "fold", "ref", "mode"];
  var kwicApi = page.getAttribute("data-kwic-api");
  var kwicBox = document.getElementById("kwic-results");
  var kwicControls = document.getElementById("kwic-controls");
  var layout = page.querySelector(".search-layout");
  var SVG = "http://www.w3.org/2000/svg";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svgEl(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    return node;
  }

  function current() {
    var params = new URLSearchParams(location.search);
    var state = {};
    KEYS.forEach(function (k) { state[k] = params.get(k) || ""; });
    return state;
  }

  function urlFor(state) {
    var params = new URLSearchParams();
    KEYS.forEach(function (k) {
      if (state[k] && !(k === "sort" && state[k] === "relevance") && !(k === "page" && state[k] === "1") &&
          !(k === "ksort" && state[k] === "year")) {
        params.set(k, state[k]);
      }
    });
    var query = params.toString();
    return location.pathname + (query ? "?" + query : "");
  }

  function changed(state, key, value) {
    var next = {};
    KEYS.forEach(function (k) { next[k] = state[k]; });
    next[key] = value;
    if (key !== "page") next.page = "";
    return next;
  }

  // A link that changes the search in place; still a real link for new tabs.
  function searchLink(state, text, attrs) {
    var a = el("a", attrs || {}, text);
    a.href = urlFor(state);
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      go(state);
    });
    return a;
  }

  function go(state) {
    history.pushState(null, "", urlFor(state));
    run();
  }

  function clear() {
    kwicBox.textContent = "";
    resultsBox.textContent = "";
    facetsBox.textContent = "";
    pagesBox.textContent = "";
    chart.hidden = true;
  }

  function say(text, isError, help) {
    statusBox.textContent = "";
    var p = el("p", isError ? { "class": "error" } : {}, text);
    if (help) p.appendChild(el("span", { "class": "help" }, "　" + help));
    statusBox.appendChild(p);
  }

  // The server's JSON answer and whether it was a success; a page that is
  // not JSON means no `wenku serve` (a static server's 404 page).
  function askServer(url) {
    return fetch(url, { headers: { "Accept": "application/json" } }).then(function (response) {
      var json = (response.headers.get("content-type") || "").indexOf("application/json") === 0;
      if (!json) throw new Error("no-server");
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  // Search without the server: the static index in `_search/`, searched by
  // wenku's own engine compiled to WebAssembly. The engine never fetches: it
  // answers with the files it needs, this fetches them and asks again.
  var staticBase = page.getAttribute("data-static");
  var engineUrl = page.getAttribute("data-engine");
  // `wenku serve` marks the page it serves; a page on plain static hosting
  // goes straight to the static index, without asking an API that is not there.
  var served = !!document.querySelector('meta[name="wenku-serve"]');
  var serverAbsent = !served && !!staticBase;
  var engine = null;

  function fetchBytes(url, cache) {
    return fetch(url, cache ? { cache: cache } : {}).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); });
  }

  // A round's files, FETCHES_AT_ONCE at a time: a statistic over a large
  // part needs thousands of texts, and a browser asked for all at once
  // refuses some (ERR_INSUFFICIENT_RESOURCES).
  var FETCHES_AT_ONCE = 16;
  function fetchEach(paths, take) {
    var next = 0;
    function worker() {
      if (next >= paths.length) return Promise.resolve();
      var path = paths[next++];
      return fetchBytes(staticBase + path).then(function (bytes) {
        take(path, bytes);
        return worker();
      });
    }
    var workers = [];
    for (var i = 0; i < Math.min(FETCHES_AT_ONCE, paths.length); i++) workers.push(worker());
    return Promise.all(workers);
  }

  function copyIn(exports, bytes) {
    var ptr = exports.alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  function output(exports, length) {
    return new TextDecoder().decode(new Uint8Array(exports.memory.buffer, exports.output(), length));
  }

  // The manifest is the one file of the index a publish rewrites: it is
  // asked for afresh ("no-cache": the browser checks with the server), and
  // names the segments, whose files never change under their names. So a
  // cached file can never be mixed with another build's.
  // The engine comes DEFLATE-compressed (`.wasm.deflate`, two fifths of
  // the bytes: hosts rarely compress .wasm) where the browser can inflate
  // it, else as it is.
  function fetchEngine() {
    var inflates = false;
    try { new DecompressionStream("deflate-raw"); inflates = true; } catch (e) { inflates = false; }
    if (!inflates) return fetchBytes(engineUrl);
    return fetch(engineUrl + ".deflate").then(function (response) {
      if (!response.ok || !response.body) throw new Error(engineUrl + ".deflate: " + response.status);
      return new Response(response.body.pipeThrough(new DecompressionStream("deflate-raw"))).arrayBuffer();
    }).then(function (buffer) { return new Uint8Array(buffer); })
      .catch(function () { return fetchBytes(engineUrl); });
  }

  function loadEngine() {
    if (engine) return engine;
    engine = Promise.all([fetchEngine(), fetchBytes(staticBase + "manifest.json", "no-cache")])
      .then(function (files) {
        return WebAssembly.instantiate(files[0], {}).then(function (module) {
          var exports = module.instance.exports;
          var why = output(exports, exports.open(copyIn(exports, files[1]), files[1].length));
          if (why) throw new Error(why);
          return exports;
        });
      });
    engine.catch(function () { engine = null; });
    return engine;
  }

  // The query whose large download the reader agreed to (a broad gap
  // query), for every page and sort of it; kept out of the URL, so that a
  // shared link never downloads megabytes without asking.
  var largeAgreedFor = null;

  // Not a wrong query: an expensive one, answered if the reader agrees
  // (`label` names what the button does).
  function offerLargeDownload(reply, params, label) {
    say(reply.body.error + "。", false, reply.body.help);
    var anyway = el("button", { type: "button", "class": "search-anyway" },
      label + "（约下载 " + reply.body.download_mb + " MB）");
    anyway.addEventListener("click", function () {
      largeAgreedFor = queryKey(params);
      run();
    });
    statusBox.appendChild(anyway);
  }

  function queryKey(params) {
    var key = new URLSearchParams(params);
    key.delete("page");
    key.delete("sort");
    // An export asks what its view asked: the reader's agreement holds.
    key.delete("format");
    key.delete("date");
    return key.toString();
  }

  function askEngine(params) {
    var started = performance.now();
    // Ten hits a page, not the server's twenty: each hit's text is fetched
    // to cut its snippets, and it is most of what a query downloads.
    var asked = new URLSearchParams(params);
    if (!asked.has("per_page") && !asked.has("table")) asked.set("per_page", "10");
    if (largeAgreedFor === queryKey(params)) asked.set("large", "1");
    var pairs = new TextEncoder().encode(JSON.stringify(Array.from(asked.entries())));
    function ask(exports) {
      function round(n) {
        var answer = JSON.parse(output(exports, exports.search(copyIn(exports, pairs), pairs.length)));
        if (!answer.need) {
          if (answer.ok) answer.body.took_ms = performance.now() - started;
          return answer;
        }
        // Four to eight rounds for most queries; a rare phrase narrowed by
        // its bigrams, or a gap query of such parts, takes a few more.
        if (n >= 16) throw new Error("too many rounds");
        return fetchEach(answer.need, function (path, bytes) {
          var name = new TextEncoder().encode(path);
          exports.add_file(copyIn(exports, name), name.length, copyIn(exports, bytes), bytes.length);
        }).then(function () { return round(n + 1); });
      }
      return round(0);
    }
    return loadEngine().then(ask).catch(function (error) {
      // A publish since the manifest was read may have merged away a
      // segment it names: read the new manifest and ask once more.
      engine = null;
      return loadEngine().then(ask);
    });
  }

  // The server when there is one, else the static index.
  function askSearch(params) {
    if (serverAbsent && staticBase) return askEngine(params);
    // Neither a server nor a static index: nothing to ask.
    if (!served && !staticBase) return Promise.reject(new Error("no-server"));
    return askServer(api + "?" + params.toString()).catch(function (error) {
      if (!staticBase) throw error;
      serverAbsent = true;
      return askEngine(params);
    });
  }

  function run() {
    var state = current();
    input.value = state.q;
    sortSelect.value = state.sort || "relevance";
    var hasFilter = FILTERS.some(function (f) { return state[f[0]]; });
    clear();
    showViewTabs(state);
    if (state.view) {
      runKwic(state);
      return;
    }
    if (!state.q && !hasFilter) {
      say("输入要查找的措辞，例如 打通供应链。");
      return;
    }
    say("正在搜索……");
    var params = new URLSearchParams();
    KEYS.forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    askSearch(params)
      .then(function (reply) {

        if (!reply.ok && reply.body.download_mb) {
          offerLargeDownload(reply, params, "仍然搜索");
          return;
        }
        if (!reply.ok) {
          say("查询有误：" + reply.body.error, true, reply.body.help);
          return;
        }
        show(state, reply.body);
      })
      .catch(function () {
        if (location.protocol === "file:") {
          say("直接打开的本地文件无法搜索：请用网页服务器提供本站，例如在站点目录运行 python3 -m http.server，再从 http://localhost:8000/ 打开。", true);
        } else if (staticBase) {
          say("无法读取搜索索引（_search/）：请确认站点文件完整上传，然后刷新本页。", true);
        } else {
          say("搜索需要 wenku serve：这个页面由静态服务器提供，无法查询索引。请在站点目录运行 `wenku serve` 后再打开本页。", true);
        }
      });
  }

  function show(state, results) {
    say("共 " + results.total + " 篇报告" + (results.total ? "，第 " + results.page + " / " + results.pages + " 页" : "") +
        "（" + results.took_ms.toFixed(1) + " 毫秒）");
    drawChart(state, results.facets);
    drawFacets(state, results.facets);
    results.hits.forEach(function (hit) {
      var li = el("li", { "class": "hit" });
      var title = el("a", { "class": "hit-title", href: hit.url }, hit.title);
      li.appendChild(title);
      var meta = el("div", { "class": "meta" });
      [hit.body, hit.level, yearText(hit.year), hit.period, hit.date].forEach(function (v) {
        if (v) meta.appendChild(el("span", {}, v));
      });
      li.appendChild(meta);
      hit.snippets.forEach(function (s) {
        var a = el("a", { "class": "snippet", href: s.url });
        a.innerHTML = s.html; // escaped by the server, matches in <mark>
        li.appendChild(a);
      });
      resultsBox.appendChild(li);
    });
    drawPages(state, results);
  }

  function drawFacets(state, facets) {
    FILTERS.forEach(function (f) {
      var key = f[0], counts = facets[key] || [];
      if (!counts.length && !state[key]) return;
      facetsBox.appendChild(el("h2", {}, f[1]));
      var ul = el("ul");
      if (state[key]) {
        var li = el("li", { "class": "active" });
        li.appendChild(el("span", {}, (key === "year" && state[key] === "0" ? UNKNOWN_YEAR : state[key]) + " "));
        li.appendChild(searchLink(changed(state, key, ""), "×", { "aria-label": "取消筛选 " + f[1] }));
        ul.appendChild(li);
      } else {
        counts.forEach(function (c) {
          var value = String(key === "year" ? c.year : c.value);
          var shown = key === "year" && !c.year ? UNKNOWN_YEAR : value;
          var item = el("li");
          item.appendChild(searchLink(changed(state, key, value), shown));
          item.appendChild(el("span", { "class": "count" }, String(c.count)));
          ul.appendChild(item);
        });
      }
      facetsBox.appendChild(ul);
    });
  }

  // The archive's whole span of years, whatever the filters: for each year
  // the share of that year's reports that use the wording (or, toggled,
  // their number). A year without reports is drawn as such, unlike a year
  // whose reports do not use the wording, so a wording falling out of use
  // is seen, and a year filter does not shrink the span.
  var chartMode = "share";
  var lastChart = null;
  // Per 10,000 positions (the server's year table): for which search, by year.
  var perTenK = { key: null, byYear: null };
  var CHART_MODES = { share: "占当年报告的比例", count: "篇数", per10k: "每万位置出现的次数" };

  function chartKey(state) {
    return [state.q, state.year, state.body, state.level, state.period].join("\u0001");
  }

  // The year table for the search (the server's, or on static hosting the
  // engine's, counted in the texts), then the chart again.
  function loadPerTenK(state, facets) {
    var params = new URLSearchParams();
    ["q", "year", "body", "level", "period"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var asked;
    if (served && kwicApi) {
      asked = askServer(kwicApi + "/years?" + params.toString());
    } else {
      params.set("table", "years");
      asked = askEngine(params);
    }
    asked
      .then(function (reply) {
        if (!reply.ok && reply.body.download_mb) {
          var old = statusBox.querySelector(".per10k-note");
          if (old) old.remove();
          statusBox.appendChild(el("p", { "class": "help per10k-note" }, "每万位置次数要下载约 " + reply.body.download_mb +
            " MB 来统计：请加上年份或机关筛选，或在“逐年”里仍然统计。"));
        }
        if (!reply.ok) throw new Error(reply.body.error);
        var byYear = {};
        reply.body.rows.forEach(function (row) { byYear[row.year] = row; });
        perTenK = { key: chartKey(state), byYear: byYear };
        drawChart(state, facets);
      })
      .catch(function () {
        chartMode = "share";
        drawChart(state, facets);
      });
  }

  function drawChart(state, facets) {
    lastChart = { state: state, facets: facets };
    chartSvg.textContent = "";
    // Year 0 is "year unknown" (an import awaiting review): not a year to draw.
    var known = function (y) { return y.year > 0; };
    var archive = (facets.archive_years || []).filter(known), hitsByYear = {}, reportsByYear = {};
    if (!facets.year.filter(known).length || !archive.length) return;
    facets.year.forEach(function (y) { hitsByYear[y.year] = y.count; });
    archive.forEach(function (y) { reportsByYear[y.year] = y.count; });
    var first = archive[0].year, last = archive[archive.length - 1].year, n = last - first + 1;
    if (chartMode === "per10k" && perTenK.key !== chartKey(state)) {
      loadPerTenK(state, facets);
      return;
    }
    var rate = function (year) {
      var row = perTenK.byYear && perTenK.byYear[year];
      return row ? row.per_10k : 0;
    };
    var value = function (year) {
      var hits = hitsByYear[year] || 0, reports = reportsByYear[year] || 0;
      if (chartMode === "per10k") return rate(year);
      return chartMode === "share" ? (reports ? hits / reports : 0) : hits;
    };
    var max = 0;
    for (var y = first; y <= last; y++) max = Math.max(max, value(y));
    // Drawn at the box's own width, so that text keeps its size on a phone.
    chart.hidden = false;
    var width = Math.max(280, chartSvg.clientWidth || 640), height = 110, top = 14, bottom = 18;
    var slot = width / n;
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + (height + top + bottom), width: width,
                             height: height + top + bottom, role: "img",
                             "aria-label": "各年份" + CHART_MODES[chartMode] });
    var labelEvery = Math.max(1, Math.ceil(36 / slot));
    for (var year = first; year <= last; year++) {
      var hits = hitsByYear[year] || 0, reports = reportsByYear[year] || 0, v = value(year);
      var h = max ? Math.round(v / max * height) : 0;
      var x = (year - first) * slot;
      var group = svgEl("g", {});
      var title = svgEl("title", {});
      title.textContent = !reports ? year + "年：没有报告"
        : chartMode === "per10k" ? year + "年：" + (perTenK.byYear[year] ? perTenK.byYear[year].count : 0) + " 处，每万位置 " + v.toFixed(2) + " 次"
        : year + "年：" + hits + " / " + reports + " 篇（" + Math.round(hits / reports * 100) + "%）";
      group.appendChild(title);
      if (!reports) {
        group.appendChild(svgEl("rect", { "class": "no-reports", x: x, y: top, width: Math.max(slot, 1), height: height }));
      } else {
        // A hit area the height of the chart, so a thin bar is easy to point at.
        group.appendChild(svgEl("rect", { "class": "slot", x: x, y: top, width: Math.max(slot, 1), height: height }));
        var gap = slot > 6 ? Math.min(2, slot / 6) : 0;
        group.appendChild(svgEl("rect", { "class": "bar", x: x + gap, y: top + height - h,
                                          width: Math.max(slot - 2 * gap, 1), height: Math.max(h, hits ? 1 : 0) }));
        if (hits && slot >= 22) {
          var label = svgEl("text", { x: x + slot / 2, y: top + height - h - 3, "text-anchor": "middle" });
          label.textContent = chartMode === "share" ? Math.round(v * 100) + "%" : chartMode === "per10k" ? v.toFixed(1) : hits;
          group.appendChild(label);
        }
      }
      if ((year - first) % labelEvery === 0 || (labelEvery === 1)) {
        var axis = svgEl("text", { x: Math.min(Math.max(x + slot / 2, 14), width - 14), y: top + height + 13,
                                   "text-anchor": "middle" });
        axis.textContent = year;
        group.appendChild(axis);
      }
      if (hits) {
        var link = svgEl("a", { href: urlFor(changed(state, "year", String(year))), "class": "chart-year",
                                "aria-label": title.textContent });
        link.appendChild(group);
        link.addEventListener("click", (function (y) {
          return function (event) { event.preventDefault(); go(changed(state, "year", String(y))); };
        })(year));
        svg.appendChild(link);
      } else {
        svg.appendChild(group);
      }
    }
    chartSvg.appendChild(svg);
    chart.hidden = false;
    document.getElementById("search-chart-caption").textContent = (chartMode === "per10k"
      ? "各年份每万位置（一个汉字、一个英文词或数字算一个）出现该措辞的次数"
      : "各年份使用该措辞的报告" + CHART_MODES[chartMode]) + "（" + first + "–" + last + "年）";
    var following = nextChartMode();
    document.getElementById("search-chart-mode").textContent = "改看" + { share: "占比", count: "篇数", per10k: "每万位置次数" }[following];
    drawBodyYears(facets.body);
  }

  // Per body: the first and the last year it used the wording.
  function drawBodyYears(bodies) {
    var box = document.getElementById("search-body-years");
    var rows = box.querySelector("tbody");
    rows.textContent = "";
    var spans = bodies.filter(function (b) { return b.first_year !== undefined; });
    spans.sort(function (a, b) { return a.first_year - b.first_year || b.count - a.count; });
    spans.forEach(function (b) {
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, b.value));
      tr.appendChild(el("td", {}, String(b.first_year)));
      tr.appendChild(el("td", {}, String(b.last_year)));
      tr.appendChild(el("td", {}, String(b.count)));
      rows.appendChild(tr);
    });
    box.hidden = spans.length === 0;
  }

  // Share, then number of reports, then per 10,000 positions (counted by
  // the server, or by the engine in the texts of the reports found).
  function nextChartMode() {
    if (chartMode === "share") return "count";
    return chartMode === "count" && ((served && kwicApi) || staticBase) ? "per10k" : "share";
  }

  document.getElementById("search-chart-mode").addEventListener("click", function () {
    chartMode = nextChartMode();
    if (lastChart) drawChart(lastChart.state, lastChart.facets);
  });

  function drawPages(state, results) {
    if (results.pages <= 1) return;
    var add = function (n, text) {
      if (n === results.page) {
        pagesBox.appendChild(el("span", { "aria-current": "page" }, text));
      } else {
        pagesBox.appendChild(searchLink(changed(state, "page", String(n)), text));
      }
    };
    if (results.page > 1) add(results.page - 1, "← 上一页");
    var from = Math.max(1, results.page - 3), to = Math.min(results.pages, results.page + 3);
    for (var n = from; n <= to; n++) add(n, String(n));
    if (results.page < results.pages) add(results.page + 1, "下一页 →");
  }

  // On a phone the results come first; the chart and the filters wait
  // behind a button.
  var sideToggle = document.getElementById("search-side-toggle");
  var narrow = window.matchMedia("(max-width: 40rem)");
  function placeSide() {
    sideToggle.hidden = !narrow.matches;
    if (!narrow.matches) page.classList.remove("side-shown");
    sideToggle.setAttribute("aria-expanded", String(page.classList.contains("side-shown")));
  }
  sideToggle.addEventListener("click", function () {
    page.classList.toggle("side-shown");
    placeSide();
    if (lastChart) drawChart(lastChart.state, lastChart.facets);
  });
  narrow.addEventListener("change", placeSide);
  placeSide();

  // ---- Wording research: 语境, 后接, 前接, 提法演变 ----

  var VIEWS = { kwic: "", next: "/next", before: "/before", variants: "/variants", collocates: "/collocates",
                years: "/years", keywords: "", clusters: "" };
  var EXPORT_VIEW = { kwic: "lines", next: "next", before: "before", variants: "variants", collocates: "collocates",
                      years: "years" };
  // The views the static index answers, by its `table` parameter: every one.
  var STATIC_VIEWS = { kwic: "lines", next: "next", before: "before", variants: "variants", collocates: "collocates",
                       years: "years", keywords: "keywords", clusters: "clusters" };
  // Views over a part of the archive (its filters), not over a phrase's occurrences.
  var PART_VIEWS = { keywords: "/keywords", clusters: "/clusters" };
  var researchApi = kwicApi ? kwicApi.replace(/\/kwic$/, "") : "";

  function showViewTabs(state) {
    var view = VIEWS.hasOwnProperty(state.view) ? state.view : "";
    Array.prototype.forEach.call(document.querySelectorAll("#search-views a"), function (a) {
      var v = a.getAttribute("data-view");
      var next = changed(state, "view", v);
      a.href = urlFor(next);
      if (v === view) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
    var research = view !== "";
    // The server exports every view as CSV and XLSX; on static hosting the
    // engine writes the same files.
    var staticExport = !served && !!staticBase && STATIC_VIEWS.hasOwnProperty(view);
    document.querySelector(".kwic-export").hidden = !served && !staticExport;
    Array.prototype.forEach.call(kwicControls.querySelectorAll(".lines-only"), function (n) { n.hidden = view !== "kwic"; });
    Array.prototype.forEach.call(kwicControls.querySelectorAll(".keywords-only"), function (n) { n.hidden = view !== "keywords"; });
    kwicControls.hidden = !research || !(state.q || partOf(state));
    document.getElementById("kwic-ref").value = state.ref || defaultReference(state);
    document.getElementById("kwic-mode").value = state.mode || "key";
    kwicBox.hidden = !research;
    resultsBox.hidden = research;
    pagesBox.hidden = false;
    layout.classList.toggle("research", research);
    // The research views sort in their own controls: one sort box at a time.
    sortSelect.disabled = research;
    sortSelect.hidden = research;
    document.querySelector('label[for="search-sort"]').hidden = research;
    document.getElementById("kwic-sort").value = state.ksort || "year";
    document.getElementById("kwic-group").checked = state.group === "1";
    document.getElementById("kwic-fold").checked = state.fold !== "0";
  }

  function kwicParams(state) {
    var params = new URLSearchParams();
    ["q", "year", "body", "level", "period", "page"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    if (state.ksort) params.set("sort", state.ksort);
    if (state.group === "1") params.set("group", "1");
    if (state.fold === "0") params.set("fold", "0");
    return params;
  }

  // The part of the archive the search's filters select, as a query.
  function partOf(state) {
    var part = state.q ? [state.q] : [];
    FILTERS.forEach(function (f) {
      var v = state[f[0]];
      if (v) part.push(f[0] === "year" ? "year:" + v : f[0] + ':"' + v + '"');
    });
    return part.join(" ");
  }

  // What a year is compared with unless the reader says: the five years before.
  function defaultReference(state) {
    var m = /(?:^|\s)year:(\d{4})(?:\s|$)/.exec(partOf(state));
    return m ? "year:" + (m[1] - 5) + ".." + (m[1] - 1) : "";
  }

  // A part view's parameters (`/api/keywords`, `/api/clusters`), or null
  // after saying what is missing.
  function partParams(state) {
    var part = partOf(state);
    if (!part) {
      say(state.view === "keywords"
        ? "选定目标部分，例如 year:2020 或 body:某局，再选参照部分（默认是前五年）。"
        : "选定要看的部分，例如 year:2020 或 body:某局。");
      return null;
    }
    var params = new URLSearchParams();
    if (state.view === "keywords") {
      var reference = state.ref || defaultReference(state);
      if (!reference) {
        say("填写参照部分，例如 year:2015..2019。");
        return null;
      }
      params.set("target", part);
      params.set("reference", reference);
      if (state.mode) params.set("mode", state.mode);
    } else {
      params.set("q", part);
    }
    return params;
  }

  function runPart(state) {
    var params = partParams(state);
    if (!params) return;
    ["csv", "xlsx"].forEach(function (format) {
      var p = new URLSearchParams(params);
      p.set("format", format);
      document.getElementById("kwic-" + format).href = researchApi + PART_VIEWS[state.view] + "?" + p.toString();
    });
    say("正在统计……");
    askServer(researchApi + PART_VIEWS[state.view] + "?" + params.toString())
      .then(function (reply) {
        if (!reply.ok) {
          say("查询有误：" + reply.body.error, true, reply.body.help);
          return;
        }
        if (state.view === "keywords") showKeywords(state, reply.body);
        else showClusters(state, reply.body);
      })
      .catch(function () {
        say("关键提法和固定提法需要 wenku serve 或本站的静态索引：请在站点目录运行 `wenku serve` 后再打开本页。", true);
      });
  }

  function runKwic(state) {
    if (!VIEWS.hasOwnProperty(state.view)) {
      say("未知的查看方式：" + state.view, true);
      return;
    }
    if (PART_VIEWS.hasOwnProperty(state.view)) {
      if (served) runPart(state);
      else if (staticBase) runStatic(state);
      else {
        kwicControls.hidden = true;
        say("关键提法和固定提法需要 wenku serve 或本站的静态索引（生成时 static_search 打开）：请在站点目录运行 `wenku serve` 后再打开本页。", true);
      }
      return;
    }
    if (!state.q) {
      say("输入要研究的措辞，例如 \"坚持\"，或带间隔的 坚持*发展。");
      return;
    }
    say("正在查找每一处……");
    var params = kwicParams(state);
    ["csv", "xlsx"].forEach(function (format) {
      var p = new URLSearchParams(params);
      p.delete("page");
      p.set("view", EXPORT_VIEW[state.view]);
      p.set("format", format);
      document.getElementById("kwic-" + format).href = kwicApi + "/export?" + p.toString();
    });
    var needsServer = function () {
      kwicControls.hidden = true;
      say("语境、后接、前接、提法演变、搭配和逐年需要 wenku serve 或本站的静态索引（生成时 static_search 打开）：请在站点目录运行 `wenku serve` 后再打开本页。", true);
    };
    if (!served) {
      if (STATIC_VIEWS.hasOwnProperty(state.view) && staticBase) runStatic(state);
      else needsServer();
      return;
    }
    askServer(kwicApi + VIEWS[state.view] + "?" + params.toString())
      .then(function (reply) {
        if (!reply.ok) {
          say("查询有误：" + reply.body.error, true, reply.body.help);
          return;
        }
        if (state.view === "kwic") showLines(state, reply.body);
        else if (state.view === "variants") showVariants(state, reply.body);
        else if (state.view === "collocates") showCollocates(state, reply.body);
        else if (state.view === "years") showYears(state, reply.body);
        else showContinuations(state, reply.body);
      })
      .catch(needsServer);
  }

  // A view's parameters for the static engine (`table=…`); null when a
  // part view lacks its part (it says so).
  function staticParams(state) {
    var params;
    if (PART_VIEWS.hasOwnProperty(state.view)) {
      params = partParams(state);
      if (!params) return null;
    } else if (state.view === "years") {
      params = new URLSearchParams();
      ["q", "year", "body", "level", "period"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    } else {
      params = kwicParams(state);
    }
    params.set("table", STATIC_VIEWS[state.view]);
    return params;
  }

  // The view's whole table as CSV or XLSX (`format`), written by the
  // engine and saved by the browser (the server's export without a server).
  function exportStatic(state, format) {
    var params = staticParams(state);
    if (!params) return;
    params.delete("page");
    params.set("format", format);
    params.set("date", new Date().toISOString().slice(0, 10));
    say("正在导出……");
    askEngine(params).then(function (reply) {
      if (!reply.ok && reply.body.download_mb) {
        if (!window.confirm(reply.body.error + "。导出需下载约 " + reply.body.download_mb + " MB，继续吗？")) {
          run();
          return;
        }
        largeAgreedFor = queryKey(params);
        return exportStatic(state, format);
      }
      if (!reply.ok) {
        say("导出失败：" + reply.body.error, true, reply.body.help);
        return;
      }
      var file = format === "xlsx"
        ? new Blob([Uint8Array.from(atob(reply.body.xlsx), function (c) { return c.charCodeAt(0); })],
                   { type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" })
        : new Blob([reply.body.csv], { type: "text/csv;charset=utf-8" });
      var url = URL.createObjectURL(file);
      var save = el("a", { href: url, download: reply.body.file + "." + format });
      document.body.appendChild(save);
      save.click();
      save.remove();
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      run();
    }, function () {
      say("无法读取搜索索引（_search/）：请确认站点文件完整上传，然后刷新本页。", true);
    });
  }

  ["csv", "xlsx"].forEach(function (format) {
    document.getElementById("kwic-" + format).addEventListener("click", function (event) {
      if (served) return;
      event.preventDefault();
      exportStatic(current(), format);
    });
  });

  // On plain static hosting the engine answers every view: it cuts the
  // concordance, what follows or precedes and the variants (by the word
  // cuts stored with the texts) and counts the year table in the texts of
  // the reports the wording is in; collocates, keyness and clusters in the
  // texts of the parts they compare (asking first beyond a few megabytes).
  function runStatic(state) {
    var params = staticParams(state);
    if (!params) return;
    say(PART_VIEWS.hasOwnProperty(state.view) || state.view === "collocates" ? "正在统计……" : "正在查找每一处……");
    askEngine(params)
      .then(function (reply) {
        if (!reply.ok && reply.body.download_mb) {
          offerLargeDownload(reply, params, state.view === "kwic" ? "仍然查看" : "仍然统计");
          return;
        }
        if (!reply.ok) {
          say("查询有误：" + reply.body.error, true, reply.body.help);
          return;
        }
        if (state.view === "kwic") showLines(state, reply.body);
        else if (state.view === "variants") showVariants(state, reply.body);
        else if (state.view === "collocates") showCollocates(state, reply.body);
        else if (state.view === "years") showYears(state, reply.body);
        else if (state.view === "keywords") showKeywords(state, reply.body);
        else if (state.view === "clusters") showClusters(state, reply.body);
        else showContinuations(state, reply.body);
      }, function () {
        // Only a failure to ask: the index's files could not be read.
        say("无法读取搜索索引（_search/）：请确认站点文件完整上传，然后刷新本页。", true);
      });
  }

  function showLines(state, c) {
    var text = "共 " + c.total + " 处，见于 " + c.reports + " 篇报告";
    if (c.line_count !== c.total) text += "，合并为 " + c.line_count + " 行";
    if (c.pages > 1) text += "，第 " + c.page + " / " + c.pages + " 页";
    say(text + "（" + c.took_ms.toFixed(1) + " 毫秒）");
    if (c.truncated) {
      statusBox.appendChild(el("p", { "class": "help" }, "出现次数太多，只列出按年份最早的一部分；加上年份或机关筛选可看全部。"));
    }
    if (!c.lines.length) return;
    var table = el("table", { "class": "kwic" });
    var body = el("tbody");
    c.lines.forEach(function (line) {
      var tr = el("tr");
      var left = el("td", { "class": "kwic-left" });
      left.appendChild(el("span", {}, line.left));
      tr.appendChild(left);
      var match = el("td", { "class": "kwic-match" });
      var a = el("a", { href: line.url, title: line.title });
      a.appendChild(el("mark", {}, line.match));
      match.appendChild(a);
      tr.appendChild(match);
      tr.appendChild(el("td", { "class": "kwic-right" }, line.right));
      var year = line.year > 0 ? String(line.year) : UNKNOWN_YEAR;
      var years = line.last_year ? year + "–" + line.last_year : year;
      var meta = el("td", { "class": "kwic-meta", title: line.title });
      if (line.count > 1) {
        var what = line.passage ? "重复段落：" + line.count + " 处，" + line.report_count + " 篇" : line.count + " 处";
        meta.appendChild(el("span", { "class": "kwic-count", title: what }, "×" + line.count + " "));
      }
      meta.appendChild(document.createTextNode(years + " · " + line.body));
      tr.appendChild(meta);
      body.appendChild(tr);
    });
    table.appendChild(body);
    kwicBox.appendChild(table);
    drawPages(state, c);
  }

  // A table of a very common phrase counts only its earliest occurrences.
  function countedNote(t) {
    return t.counted < t.total ? "（表中只统计按年份最早的 " + t.counted + " 处）" : "";
  }

  // On a phone, a table wider than the screen says that it scrolls sideways.
  function scrollHint() {
    return el("p", { "class": "scroll-hint", "aria-hidden": "true" }, "左右滑动，查看年份等各列 →");
  }

  function countCell(tr, n) { tr.appendChild(el("td", { "class": "num" }, String(n))); }

  function showContinuations(state, t) {
    var phrase = state.q.replace(/"/g, "");
    say((t.side === "right" ? "“" + phrase + "”之后" : "“" + phrase + "”之前") + "常见的词串：共 " + t.total + " 处" +
        countedNote(t) + "，列出 " + t.rows.length + " 个");
    if (!t.rows.length) return;
    kwicBox.appendChild(scrollHint());
    var table = el("table", { "class": "research-table" });
    var head = el("tr");
    ["词串", "次数", "篇数", "机关数", "年份"].forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    t.rows.forEach(function (row) {
      var tr = el("tr");
      var cell = el("th", { scope: "row" });
      var next = changed(state, "q", row.query);
      next.view = "kwic";
      // The string with the phrase beside it, the phrase quieter.
      var link = searchLink(next, "");
      var quiet = el("span", { "class": "phrase" }, phrase);
      if (t.side === "right") { link.appendChild(quiet); link.appendChild(document.createTextNode(row.text)); }
      else { link.appendChild(document.createTextNode(row.text)); link.appendChild(quiet); }
      cell.appendChild(link);
      tr.appendChild(cell);
      countCell(tr, row.count);
      countCell(tr, row.reports);
      countCell(tr, row.bodies);
      tr.appendChild(el("td", {}, yearSpan(row.first_year, row.last_year)));
      body.appendChild(tr);
    });
    table.appendChild(body);
    kwicBox.appendChild(table);
  }

  // A table under a header; `cells(row, tr)` fills each row.
  function researchTable(headers, rows, cells) {
    kwicBox.appendChild(scrollHint());
    var table = el("table", { "class": "research-table" });
    var head = el("tr");
    headers.forEach(function (h) { head.appendChild(el("th", { scope: "col" }, h)); });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      cells(row, tr);
      body.appendChild(tr);
    });
    table.appendChild(body);
    kwicBox.appendChild(table);
  }

  // A unit as a link to its concordance (with the search's filters).
  function unitCell(state, tr, text, query) {
    var cell = el("th", { scope: "row" });
    var next = changed(state, "q", query || '"' + text + '"');
    next.view = "kwic";
    cell.appendChild(searchLink(next, text));
    tr.appendChild(cell);
  }

  function scoreCell(tr, n, digits) { tr.appendChild(el("td", { "class": "num" }, n.toFixed(digits))); }

  function showCollocates(state, t) {
    say("“" + state.q.replace(/"/g, "") + "”左右各 " + t.window + " 个位置内的搭配词：共 " + t.node_freq + " 处" +
        countedNote({ counted: t.counted, total: t.node_freq }) + "，按 logDice 排列 " + t.rows.length + " 个");
    if (!t.rows.length) return;
    researchTable(["搭配词", "共现", "词频", "logDice", "MI", "对数似然比"], t.rows, function (row, tr) {
      unitCell(state, tr, row.text, row.query);
      countCell(tr, row.count);
      countCell(tr, row.freq);
      scoreCell(tr, row.log_dice, 2);
      scoreCell(tr, row.mi, 2);
      scoreCell(tr, row.log_likelihood, 1);
    });
  }

  function showYears(state, t) {
    say("“" + state.q.replace(/"/g, "") + "”逐年出现的次数：共 " + t.total + " 处；每万位置次数按当年全部报告的篇幅计算");
    researchTable(["年份", "次数", "篇数", "当年总位置数", "每万位置"], t.rows, function (row, tr) {
      var cell = el("th", { scope: "row" });
      var next = changed(state, "year", row.year > 0 ? String(row.year) : "");
      next.view = "kwic";
      cell.appendChild(row.year > 0 ? searchLink(next, String(row.year)) : document.createTextNode(UNKNOWN_YEAR));
      tr.appendChild(cell);
      countCell(tr, row.count);
      countCell(tr, row.reports);
      countCell(tr, row.chars);
      scoreCell(tr, row.per_10k, 2);
    });
  }

  function showKeywords(state, t) {
    var what = { key: "比参照部分用得多的措辞", "new": "参照部分从未用过的措辞（首次出现）",
                 dropped: "参照部分用过、目标部分不再用的措辞" }[t.mode];
    say(t.target + "（" + t.target_reports + " 篇）对 " + t.reference + "（" + t.reference_reports + " 篇）：" + what +
        " " + t.rows.length + " 条。篇数、机关数中重复段落只算一次；DP 越接近 0 分布越均匀");
    if (!t.rows.length) return;
    researchTable(["措辞", "目标次数", "参照次数", "对数似然比", "对数比", "篇数", "机关数", "年数", "DP"], t.rows,
      function (row, tr) {
        var cell = el("th", { scope: "row" });
        var next = { view: "kwic", q: '"' + row.text + '" ' + (t.mode === "dropped" ? t.reference : t.target) };
        cell.appendChild(searchLink(changed(next, "page", ""), row.text));
        tr.appendChild(cell);
        countCell(tr, row.target_count);
        countCell(tr, row.reference_count);
        scoreCell(tr, row.log_likelihood, 1);
        scoreCell(tr, row.log_ratio, 2);
        countCell(tr, row.reports);
        countCell(tr, row.bodies);
        countCell(tr, row.years);
        scoreCell(tr, row.dp, 2);
      });
  }

  function showClusters(state, t) {
    say(t.query + "（" + t.reports + " 篇）反复出现的四至十六字提法 " + t.rows.length + " 个，按分布的篇数、机关数、年数排列；重复段落的各份只算一次");
    if (!t.rows.length) return;
    researchTable(["提法", "次数", "篇数", "机关数", "年数", "DP", "年份"], t.rows, function (row, tr) {
      var cell = el("th", { scope: "row" });
      cell.appendChild(searchLink(changed({ view: "kwic", q: '"' + row.text + '" ' + t.query }, "page", ""), row.text));
      tr.appendChild(cell);
      countCell(tr, row.count);
      countCell(tr, row.reports);
      countCell(tr, row.bodies);
      countCell(tr, row.years);
      scoreCell(tr, row.dp, 2);
      tr.appendChild(el("td", {}, yearSpan(row.first_year, row.last_year)));
    });
  }

  function yearText(year) {
    return year > 0 ? year + "年" : UNKNOWN_YEAR;
  }

  function yearSpan(first, last) {
    if (!first) return "年份不详";
    return first === last ? String(first) : first + "–" + last;
  }

  // Forms written only once are many where a gap is wide (坚持*发展 spans
  // whole clauses): they wait behind a button, so that the recurring forms
  // and which replaced which stand out.
  var showSingles = false;

  function showVariants(state, v) {
    var recurring = v.variants.filter(function (row) { return row.count > 1; });
    var singles = v.variants.length - recurring.length;
    var rows = showSingles || !recurring.length ? v.variants : recurring;
    say("共 " + v.total + " 处" + countedNote(v) + "，" + v.distinct + " 种写法，按首次出现的年份排列" +
        (rows.length < v.variants.length ? "；只出现一次的 " + singles + " 种未列出" : ""));
    if (rows.length < v.variants.length || showSingles) {
      var toggle = el("button", { type: "button", "class": "singles-toggle" },
                      showSingles ? "只看出现多次的写法" : "也列出只出现一次的 " + singles + " 种");
      toggle.addEventListener("click", function () { showSingles = !showSingles; run(); });
      statusBox.appendChild(toggle);
    }
    if (!rows.length) return;
    kwicBox.appendChild(scrollHint());
    var table = el("table", { "class": "research-table" });
    var head = el("tr");
    ["提法", "次数", "篇数", "机关", "年份", "各年分布（" + v.first_year + "–" + v.last_year + "）"].forEach(function (h) {
      head.appendChild(el("th", { scope: "col" }, h));
    });
    table.appendChild(el("thead")).appendChild(head);
    var body = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      var cell = el("th", { scope: "row" });
      var next = changed(state, "q", row.query);
      next.view = "kwic";
      cell.appendChild(searchLink(next, row.text));
      tr.appendChild(cell);
      countCell(tr, row.count);
      countCell(tr, row.reports);
      tr.appendChild(el("td", { "class": "bodies", title: row.top_bodies.join("、") },
                        row.bodies + "（" + row.top_bodies[0] + (row.bodies > 1 ? " 等" : "") + "）"));
      tr.appendChild(el("td", {}, yearSpan(row.first_year, row.last_year)));
      var strip = el("td", { "class": "strip" });
      strip.appendChild(yearStrip(row.years, v.first_year, v.last_year));
      tr.appendChild(strip);
      body.appendChild(tr);
    });
    table.appendChild(body);
    kwicBox.appendChild(table);
  }

  // A small bar per year over the whole span: when a wording came and went.
  function yearStrip(years, first, last) {
    var n = Math.max(1, last - first + 1), width = 160, height = 18, slot = width / n, max = 0;
    years.forEach(function (y) { max = Math.max(max, y[1]); });
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height, role: "img",
                             "aria-label": years.map(function (y) { return y[0] + "年 " + y[1] + " 处"; }).join("，") });
    svg.appendChild(svgEl("rect", { "class": "strip-base", x: 0, y: height - 1, width: width, height: 1 }));
    years.forEach(function (y) {
      var h = Math.max(2, Math.round(y[1] / max * (height - 2)));
      var bar = svgEl("rect", { "class": "bar", x: (y[0] - first) * slot, y: height - 1 - h, width: Math.max(slot - 0.5, 1), height: h });
      var title = svgEl("title", {});
      title.textContent = y[0] + "年：" + y[1] + " 处";
      bar.appendChild(title);
      svg.appendChild(bar);
    });
    return svg;
  }

  document.getElementById("kwic-sort").addEventListener("change", function (event) {
    go(changed(current(), "ksort", event.target.value));
  });
  document.getElementById("kwic-group").addEventListener("change", function (event) {
    go(changed(current(), "group", event.target.checked ? "1" : ""));
  });
  document.getElementById("kwic-fold").addEventListener("change", function (event) {
    go(changed(current(), "fold", event.target.checked ? "" : "0"));
  });
  document.getElementById("kwic-ref").addEventListener("change", function (event) {
    go(changed(current(), "ref", event.target.value.trim()));
  });
  document.getElementById("kwic-mode").addEventListener("change", function (event) {
    go(changed(current(), "mode", event.target.value === "key" ? "" : event.target.value));
  });
  Array.prototype.forEach.call(document.querySelectorAll("#search-views a"), function (a) {
    a.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      go(changed(current(), "view", a.getAttribute("data-view")));
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = changed(current(), "q", input.value.trim());
    state.sort = sortSelect.value;
    go(state);
  });
  sortSelect.addEventListener("change", function () { go(changed(current(), "sort", sortSelect.value)); });
  window.addEventListener("popstate", run);
  document.addEventListener("keydown", function (event) {
    var tag = document.activeElement ? document.activeElement.tagName : "";
    if (event.key === "/" && tag !== "INPUT" && tag !== "SELECT" && tag !== "TEXTAREA") {
      event.preventDefault();
      input.focus();
    }
  });
  run();
})();
