/* Annals: "Cite" on document pages.
 *
 * Next to each paragraph's permalink (¶) a "Cite" button copies a plain-text citation of that paragraph:
 *   Speaker, in "Title", Date, ¶N. Source: <source URL>. <page URL>#pN
 * and a "Cite this document" disclosure at the end of the article gives BibTeX and CSL JSON, each with a
 * copy button. Everything is read from the page (the hidden search data and the provenance line) and set
 * with textContent: page text is never parsed as HTML. Nothing is fetched.
 */
(function () {
  "use strict";

  var CONFIRM_MS = 2000;

  function meta(root, name) {
    var el = root.querySelector('[data-pagefind-meta="' + name + '"]');
    return el ? el.textContent.trim() : "";
  }

  /* The document's facts, or null when this is no document page. */
  function documentFacts() {
    var data = document.querySelector(".annals-search-data");
    var article = document.querySelector("article.md-content__inner");
    if (!data || !article || !article.querySelector("p[id] > a.annals-pilcrow")) return null;
    var turns = [];
    try {
      turns = JSON.parse(meta(data, "turns") || "[]");
    } catch (e) {
      turns = [];
    }
    if (!Array.isArray(turns)) turns = [];
    turns = turns.filter(function (t) { return Array.isArray(t) && typeof t[0] === "number"; });
    turns.sort(function (a, b) { return a[0] - b[0]; });
    var facts = {
      article: article,
      title: meta(data, "title") || (article.querySelector("h1") || {}).textContent || document.title,
      date: meta(data, "date"),
      iso: meta(data, "iso"),
      turns: turns,
      sourceUrl: "",
      sourceFile: "",
      retrieved: "",
      pageUrl: location.href.split("#")[0],
      siteName: siteName(),
      key: ""
    };
    var prov = article.querySelector(".annals-provenance");
    if (prov) {
      var link = prov.querySelector("a[href]");
      if (link) facts.sourceUrl = link.href;
      var time = prov.querySelector("time[datetime]");
      if (time) facts.retrieved = time.getAttribute("datetime");
      var code = prov.querySelector("code");
      if (code) facts.sourceFile = code.textContent.trim();
    }
    var parts = location.pathname.split("/").filter(Boolean);
    facts.key = (parts[parts.length - 1] || "document").replace(/[^A-Za-z0-9_:-]+/g, "-");
    return facts;
  }

  function siteName() {
    var el = document.querySelector(".md-header__topic .md-ellipsis");
    return (el && el.textContent.trim()) || "Annals";
  }

  /* The speaker of paragraph n: the turn that starts at or before it (null for narration). */
  function speakerOf(facts, n, p) {
    if (p.classList.contains("annals-narration")) return null;
    var speaker = null;
    for (var i = 0; i < facts.turns.length; i++) {
      if (facts.turns[i][0] > n) break;
      speaker = facts.turns[i][1];
    }
    return typeof speaker === "string" && speaker ? speaker : null;
  }

  function sourcePart(facts) {
    if (facts.sourceUrl) return "Source: " + facts.sourceUrl + ".";
    if (facts.sourceFile) return "Source file: " + facts.sourceFile + ".";
    return "";
  }

  function paragraphCitation(facts, n, p) {
    var speaker = speakerOf(facts, n, p);
    var text = (speaker ? speaker + ", in " : "") + '"' + facts.title + '"';
    if (facts.date) text += ", " + facts.date;
    text += ", \u00B6" + n + ".";
    var source = sourcePart(facts);
    if (source) text += " " + source;
    return text + " " + facts.pageUrl + "#p" + n;
  }

  function bibEscape(s) {
    return String(s).replace(/[\\{}&%$#_]/g, function (c) {
      return c === "\\" ? "\\textbackslash{}" : "\\" + c;
    });
  }

  function bibtex(facts) {
    var lines = ["@misc{" + facts.key + ","];
    lines.push("  title = {" + bibEscape(facts.title) + "},");
    if (facts.iso) {
      lines.push("  date = {" + facts.iso + "},");
      lines.push("  year = {" + facts.iso.slice(0, 4) + "},");
    }
    lines.push("  url = {" + facts.pageUrl + "},");
    if (facts.sourceUrl) lines.push("  howpublished = {\\url{" + facts.sourceUrl + "}},");
    var note = [];
    if (facts.sourceUrl) note.push("Source: " + bibEscape(facts.sourceUrl) +
                                   (facts.retrieved ? ", retrieved " + facts.retrieved : ""));
    else if (facts.sourceFile) note.push("Source file: " + bibEscape(facts.sourceFile));
    note.push(bibEscape(facts.siteName));
    lines.push("  note = {" + note.join("; ") + "}");
    lines.push("}");
    return lines.join("\n") + "\n";
  }

  function cslJson(facts) {
    var item = {id: facts.key, type: "document", title: facts.title, URL: facts.pageUrl};
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(facts.iso);
    if (m) item.issued = {"date-parts": [[+m[1], +m[2], +m[3]]]};
    item.archive = facts.siteName;
    if (facts.sourceUrl) {
      item.source = facts.sourceUrl;
      item.note = "Source: " + facts.sourceUrl;
      var r = /^(\d{4})-(\d{2})-(\d{2})$/.exec(facts.retrieved);
      if (r) item.accessed = {"date-parts": [[+r[1], +r[2], +r[3]]]};
    } else if (facts.sourceFile) {
      item.note = "Source file: " + facts.sourceFile;
    }
    return JSON.stringify([item], null, 2) + "\n";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return legacyCopy(text); });
    }
    return legacyCopy(text);
  }

  function legacyCopy(text) {
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      area.remove();
      if (ok) resolve(); else reject(new Error("copy failed"));
    });
  }

  /* A button that copies text() and says so for a moment (on the button and in the live region). */
  function copyButton(label, ariaLabel, text, status, said) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "annals-cite-button";
    button.textContent = label;
    button.setAttribute("aria-label", ariaLabel);
    var timer = 0;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      event.stopPropagation();
      copyText(text()).then(function () {
        button.textContent = "Copied";
        button.classList.add("annals-cite-done");
        status.textContent = said;
      }, function () {
        button.textContent = "Copy failed";
        status.textContent = "Could not copy: your browser did not allow it";
      }).then(function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = label;
          button.classList.remove("annals-cite-done");
          status.textContent = "";
        }, CONFIRM_MS);
      });
    });
    return button;
  }

  function documentBlock(facts, status) {
    var details = document.createElement("details");
    details.className = "annals-cite-document";
    var summary = document.createElement("summary");
    summary.textContent = "Cite this document";
    details.appendChild(summary);
    [["BibTeX", bibtex], ["CSL JSON", cslJson]].forEach(function (format) {
      var name = format[0], text = format[1](facts);
      var box = document.createElement("div");
      box.className = "annals-cite-format";
      var head = document.createElement("div");
      head.className = "annals-cite-format-head";
      var strong = document.createElement("strong");
      strong.textContent = name;
      head.appendChild(strong);
      head.appendChild(document.createTextNode(" "));
      var button = copyButton("Copy", "Copy " + name, function () { return text; }, status, name + " copied");
      button.setAttribute("data-format", name === "BibTeX" ? "bibtex" : "csl-json");
      head.appendChild(button);
      var pre = document.createElement("pre");
      var code = document.createElement("code");
      code.textContent = text;
      pre.appendChild(code);
      box.appendChild(head);
      box.appendChild(pre);
      details.appendChild(box);
    });
    return details;
  }

  function setUp() {
    if (document.querySelector(".annals-cite-document")) return;  // already done (instant navigation)
    var facts = documentFacts();
    if (!facts) return;
    var status = document.createElement("span");
    status.className = "annals-cite-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    facts.article.appendChild(status);
    facts.article.querySelectorAll("p[id] > a.annals-pilcrow").forEach(function (pilcrow) {
      var p = pilcrow.parentElement;
      var m = /^p(\d+)$/.exec(p.id);
      if (!m) return;
      var n = +m[1];
      var button = copyButton("Cite", "Cite paragraph " + n, function () { return paragraphCitation(facts, n, p); },
                              status, "Citation of paragraph " + n + " copied");
      pilcrow.insertAdjacentElement("afterend", button);
    });
    facts.article.insertBefore(documentBlock(facts, status), status);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  if (typeof document$ !== "undefined" && document$ && typeof document$.subscribe === "function") {
    document$.subscribe(setUp);  // instant navigation, if it is ever turned on
  }
})();
