/* Annals: "Cite" on document pages.
 *
 * Next to each paragraph's permalink (¶) a "Cite" button copies a plain-text citation of that paragraph:
 *   Speaker, in "Title", Site, Date, ¶N. Publisher's credit: <original's address>. Annals: <permalink>#pN
 * and a "Cite this document" disclosure at the end of the article gives BibTeX and CSL JSON, each with a
 * copy button. Everything is read from the page (the hidden search and citation data) and set with
 * textContent: page text is never parsed as HTML. Nothing is fetched. The permalink is the page's canonical
 * address where the site's address is known (site_url), else the address the page was opened at.
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
    var cite = article.querySelector(".annals-cite-data") || document.createElement("div");
    var time = article.querySelector(".annals-provenance time[datetime]");
    var parts = location.pathname.split("/").filter(Boolean);
    return {
      article: article,
      title: meta(data, "title") || (article.querySelector("h1") || {}).textContent || document.title,
      date: meta(data, "date"),
      iso: meta(data, "iso"),
      turns: turns,
      original: cite.getAttribute("data-original") || "",
      publisher: cite.getAttribute("data-publisher") || "",
      site: cite.getAttribute("data-site") || "",
      credit: cite.getAttribute("data-credit") || "",
      retrieved: time ? time.getAttribute("datetime") : "",
      pageUrl: permalink(),
      siteName: siteName(),
      key: (parts[parts.length - 1] || "document").replace(/[^A-Za-z0-9_:-]+/g, "-")
    };
  }

  /* The page's permanent address: its canonical link (absolute where site_url is set), else where it was opened. */
  function permalink() {
    var canonical = document.querySelector('link[rel="canonical"][href]');
    return (canonical ? canonical.href : location.href).split("#")[0];
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

  /* Who published the original, and where: "Credit: <address>." ("" when neither is known). */
  function originalPart(facts) {
    var who = facts.credit || facts.publisher;
    if (who && facts.original) return who + ": " + facts.original + ".";
    return who || facts.original ? (who || facts.original) + "." : "";
  }

  function paragraphCitation(facts, n, p) {
    var speaker = speakerOf(facts, n, p);
    var text = (speaker ? speaker + ", in " : "") + '"' + facts.title + '"';
    if (facts.site) text += ", " + facts.site;
    if (facts.date) text += ", " + facts.date;
    text += ", \u00B6" + n + ".";
    var original = originalPart(facts);
    if (original) text += " " + original;
    return text + " " + facts.siteName + ": " + facts.pageUrl + "#p" + n;
  }

  /* Text for a BibTeX field: LaTeX's special characters escaped, so a title cannot end the field. */
  function bibEscape(s) {
    var named = {"\\": "\\textbackslash{}", "^": "\\textasciicircum{}", "~": "\\textasciitilde{}"};
    return String(s).replace(/[\\{}&%$#_^~]/g, function (c) { return named[c] || "\\" + c; });
  }

  /* An address for a url field or \url{}: braces, backslashes and spaces percent-encoded. */
  function bibUrl(s) {
    return String(s).replace(/[{}\\\s]/g, encodeURIComponent);
  }

  function bibtex(facts) {
    var lines = ["@misc{" + facts.key + ","];
    lines.push("  title = {" + bibEscape(facts.title) + "},");
    if (facts.publisher) lines.push("  publisher = {" + bibEscape(facts.publisher) + "},");
    if (facts.site) lines.push("  howpublished = {" + bibEscape(facts.site) + "},");
    if (facts.iso) {
      lines.push("  date = {" + facts.iso + "},");
      lines.push("  year = {" + facts.iso.slice(0, 4) + "},");
    }
    lines.push("  url = {" + bibUrl(facts.original || facts.pageUrl) + "},");
    if (facts.original && facts.retrieved) lines.push("  urldate = {" + facts.retrieved + "},");
    lines.push("  note = {" + bibEscape(facts.siteName) + ": \\url{" + bibUrl(facts.pageUrl) + "}}");
    lines.push("}");
    return lines.join("\n") + "\n";
  }

  function dateParts(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? {"date-parts": [[+m[1], +m[2], +m[3]]]} : null;
  }

  /* CSL JSON: the original as a web page of its publisher's site, kept in Annals at the page's permalink. */
  function cslJson(facts) {
    var item = {id: facts.key, type: "webpage", title: facts.title, URL: facts.original || facts.pageUrl};
    if (facts.site) item["container-title"] = facts.site;
    if (facts.publisher) item.publisher = facts.publisher;
    if (dateParts(facts.iso)) item.issued = dateParts(facts.iso);
    if (facts.original && dateParts(facts.retrieved)) item.accessed = dateParts(facts.retrieved);
    item.archive = facts.siteName;
    item.archive_location = facts.pageUrl;
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
