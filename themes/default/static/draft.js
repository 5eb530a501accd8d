// The draft check page (起草核对): posts the pasted text or the chosen file
// to `wenku serve`'s /api/draft and shows each sentence with its flags
// marked in its text and the archive's closest sentences beside it. On
// plain static hosting there is no server to ask: the page says so.
(function () {
  "use strict";
  var page = document.getElementById("draft-page");
  if (!page) return;
  var api = page.getAttribute("data-api");
  var maxBytes = +page.getAttribute("data-max-bytes");
  var maxChars = +page.getAttribute("data-max-chars");
  var form = document.getElementById("draft-form");
  var textBox = document.getElementById("draft-text");
  var fileInput = document.getElementById("draft-file");
  var bodyInput = document.getElementById("draft-body");
  var recentInput = document.getElementById("draft-recent");
  var statusBox = document.getElementById("draft-status");
  var results = document.getElementById("draft-results");
  var exportBox = document.getElementById("draft-export");
  var UNKNOWN_YEAR = "年份不详";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function status(text, error) {
    statusBox.textContent = "";
    if (text) statusBox.appendChild(el("p", error ? { "class": "error" } : {}, text));
  }

  // What is sent: the chosen file, else the pasted text.
  function payload() {
    var file = fileInput.files && fileInput.files[0];
    if (file) return { body: file, name: file.name, size: file.size };
    var text = textBox.value;
    return { body: new Blob([text], { type: "text/plain;charset=utf-8" }), name: "", size: text.length, chars: text.length };
  }

  function url(format) {
    var params = new URLSearchParams();
    var sent = payload();
    if (sent.name) params.set("name", sent.name);
    if (bodyInput.value.trim()) params.set("body", bodyInput.value.trim());
    if (recentInput.value) params.set("recent", recentInput.value);
    if (format) params.set("format", format);
    return api + "?" + params.toString();
  }

  function tooBig(sent) {
    if (sent.size > maxBytes) return "文件太大：最大 " + Math.round(maxBytes / 1048576) + " MB";
    if (sent.chars !== undefined && sent.chars > maxChars) return "稿子共 " + sent.chars + " 字，一次最多核对 " + maxChars + " 字：请分几次核对";
    if (sent.chars === 0) return "请粘贴稿子或选择文件";
    return "";
  }

  function ask(format) {
    var sent = payload();
    var problem = tooBig(sent);
    if (problem) return Promise.reject(new Error(problem));
    return fetch(url(format), { method: "POST", body: sent.body }).then(function (response) {
      // No `wenku serve` behind the page: a static server refuses the POST.
      if (response.status === 404 || response.status === 405 || response.status === 501) {
        throw new Error("起草核对需要 wenku serve：本站现在是静态托管，无法核对稿子。");
      }
      if (!response.ok) {
        return response.json().then(function (e) { throw new Error(e.error + (e.help ? "（" + e.help + "）" : "")); },
          function () { throw new Error("核对失败（" + response.status + "）"); });
      }
      return format ? response.blob() : response.json();
    });
  }

  // The sentence's text with each flag's wording marked.
  function marked(sentence) {
    var p = el("p", { "class": "draft-sentence" });
    var text = sentence.text;
    var marks = [];
    sentence.flags.forEach(function (flag) {
      var at = text.indexOf(flag.text);
      if (at >= 0) marks.push({ at: at, end: at + flag.text.length, flag: flag });
    });
    marks.sort(function (a, b) { return a.at - b.at; });
    var from = 0;
    marks.forEach(function (m) {
      if (m.at < from) return;
      p.appendChild(document.createTextNode(text.slice(from, m.at)));
      var title = m.flag.kind === "outdated"
        ? "过时提法：最后一次在 " + m.flag.last_year + " 年" + (m.flag.replaced_by ? "，此后多用“" + m.flag.replaced_by + "”" : "")
        : "新提法：文库中没有报告用过";
      p.appendChild(el("mark", { "class": "flag-" + m.flag.kind, title: title }, text.slice(m.at, m.end)));
      from = m.end;
    });
    p.appendChild(document.createTextNode(text.slice(from)));
    return p;
  }

  function show(checked) {
    results.textContent = "";
    var said = 0, flagged = 0;
    checked.sentences.forEach(function (sentence, i) {
      if (sentence.precedents.length) said++;
      if (sentence.flags.length) flagged++;
      var item = el("li", { "class": "draft-item" + (sentence.flags.length ? " has-flags" : ""), id: "s-" + (i + 1) });
      var main = el("div", { "class": "draft-main" });
      main.appendChild(marked(sentence));
      if (sentence.flags.length) {
        var flags = el("ul", { "class": "draft-flags" });
        sentence.flags.forEach(function (flag) {
          var text = flag.kind === "outdated"
            ? "过时提法“" + flag.text + "”：" + flag.reports + " 篇用过，最后一次在 " + flag.last_year + " 年，近 " + checked.recent + " 年没有再用" +
              (flag.replaced_by ? "；此后多用“" + flag.replaced_by + "”" : "")
            : "新提法“" + flag.text + "”：文库中没有报告用过";
          flags.appendChild(el("li", { "class": "flag-" + flag.kind }, text));
        });
        main.appendChild(flags);
      }
      item.appendChild(main);
      var side = el("div", { "class": "draft-precedents" });
      if (sentence.precedents.length) {
        sentence.precedents.forEach(function (p) {
          var block = el("div", { "class": "precedent" });
          var head = el("p", { "class": "precedent-meta" });
          head.appendChild(el("span", { "class": "similarity" }, p.similarity >= 1 ? "原句" : Math.round(p.similarity * 100) + "%"));
          head.appendChild(document.createTextNode(" " + (p.year > 0 ? p.year + "年" : UNKNOWN_YEAR) + " " + p.body + " "));
          head.appendChild(el("a", { href: p.url }, p.title));
          block.appendChild(head);
          block.appendChild(el("p", { "class": "precedent-text" }, p.text));
          side.appendChild(block);
        });
      } else {
        side.appendChild(el("p", { "class": "none" }, "文库中没有相近的说法"));
      }
      item.appendChild(side);
      results.appendChild(item);
    });
    status("共 " + checked.sentences.length + " 句：" + said + " 句文库中有相同或相近的说法，" + flagged +
      " 句有需要核对的提法（对照 " + checked.reports + " 篇报告" + (checked.latest_year ? "，最新 " + checked.latest_year + " 年" : "") + "）");
    exportBox.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    status("正在核对……");
    results.textContent = "";
    exportBox.hidden = true;
    ask().then(show, function (error) { status(error.message, true); });
  });

  // A file chosen replaces the pasted text; clearing it goes back to the text.
  fileInput.addEventListener("change", function () {
    textBox.disabled = !!(fileInput.files && fileInput.files.length);
  });

  ["xlsx", "csv"].forEach(function (format) {
    document.getElementById("draft-" + format).addEventListener("click", function (event) {
      event.preventDefault();
      ask(format).then(function (blob) {
        var link = el("a", { href: URL.createObjectURL(blob), download: "wenku-起草核对." + format });
        document.body.appendChild(link);
        link.click();
        link.remove();
      }, function (error) { status(error.message, true); });
    });
  });
})();
