/* Annals search: Pagefind's index of the documents' paragraphs, in the header's search box and on the search page.

   `annals build` writes the index to pagefind/ at the site's root (scripts/annals/search.py); Pagefind fetches
   only the chunks a query needs. A result is a paragraph: the words Pagefind found in a document are mapped to the
   paragraph anchors (#p1, #p2 ...) around them, and to the speaker of that paragraph (the page's `turns`
   metadata). Everything taken from the index reaches the page as text (textContent), never as markup. */
"use strict";

(() => {
  const HEADER_DOCUMENTS = 5;       // documents shown in the header's dialog
  const PAGE_DOCUMENTS = 10;        // documents per "More results" on the search page
  const HEADER_PARAGRAPHS = 2;      // paragraphs shown under each document
  const PAGE_PARAGRAPHS = 3;
  const EXCERPT_WORDS = 30;
  const DEBOUNCE_MS = 150;
  const UNAVAILABLE = "Search is not available here: its index is made by `annals build` " +
    "(`annals serve` and `mkdocs serve` do not make it).";

  const config = JSON.parse(document.getElementById("__config")?.textContent || "{}");
  // document.baseURI, not location.href: a page with <base href> (the 404 page, shown at any address) is honoured.
  const root = new URL(String(config.base || ".").replace(/\/*$/, "/"), document.baseURI);
  let engine = null;

  /* Pagefind, loaded once from the site's root (so the site may live in a subfolder). */
  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind/pagefind.js", root).href).then(async (pf) => {
        // On the page's own thread: a shared worker's fetches are the same, but pages cannot count them.
        await pf.options({ noWorker: true, excerptLength: EXCERPT_WORDS });
        await pf.init();
        // A large archive is indexed in parts (scripts/annals/search.py): merge them into one search.
        const shards = await fetch(new URL("pagefind/annals-shards.json", root)).then((r) => (r.ok ? r.json() : []));
        // All at once: each part's word list and page list are fetched side by side (in the order of the list,
        // which Pagefind keeps); the parts share the first part's WebAssembly.
        await Promise.all(shards.map((shard) =>
          pf.mergeIndex(new URL(shard, root).href, { noWorker: true, excerptLength: EXCERPT_WORDS })));
        return pf;
      });
    }
    return engine;
  }

  /* The paragraphs of a document that hold the words found, best first: [{id, n, start, end, hits}]. */
  function paragraphsOf(data) {
    const marks = data.anchors.filter((a) => /^p\d+$/.test(a.id)).sort((a, b) => a.location - b.location);
    const words = data.content.split(/[\r\n\s]+/g); // how Pagefind counts word locations
    const found = new Map();
    for (const location of data.locations) {
      let i = marks.length - 1;
      while (i >= 0 && marks[i].location > location) i--;
      if (i < 0) continue;
      const mark = marks[i];
      if (!found.has(mark.id)) {
        const end = i + 1 < marks.length ? marks[i + 1].location : words.length;
        found.set(mark.id, { id: mark.id, n: Number(mark.id.slice(1)), start: mark.location, end, hits: new Set() });
      }
      found.get(mark.id).hits.add(location);
    }
    const distinct = (p) => new Set([...p.hits].map((l) => (words[l] || "").toLowerCase())).size;
    const list = [...found.values()].sort((a, b) => distinct(b) - distinct(a) || a.n - b.n);
    return { words, list };
  }

  /* The speaker of paragraph n, from the page's turns ([[first paragraph, name or null], ...]); null: narration. */
  function speakerOf(turns, n) {
    let who = null;
    for (const [first, name] of turns) {
      if (first > n) break;
      who = name;
    }
    return who;
  }

  function parseTurns(meta) {
    try {
      const turns = JSON.parse(meta.turns || "[]");
      return Array.isArray(turns) ? turns : [];
    } catch {
      return [];
    }
  }

  /* A window of words of one paragraph around its first hit, the hits in <mark>. */
  function excerpt(words, para) {
    const first = Math.min(...para.hits);
    let start = Math.max(para.start, first - Math.floor(EXCERPT_WORDS / 3));
    const end = Math.min(para.end, start + EXCERPT_WORDS);
    start = Math.max(para.start, end - EXCERPT_WORDS);
    const p = document.createElement("p");
    let text = start > para.start ? "… " : "";
    for (let i = start; i < end; i++) {
      if (para.hits.has(i)) {
        p.append(text);
        text = "";
        const mark = document.createElement("mark");
        mark.textContent = words[i];
        p.append(mark);
      } else {
        text += words[i];
      }
      if (i + 1 < end) text += " ";
    }
    p.append(text + (end < para.end ? " …" : ""));
    return p;
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function link(href, ...children) {
    const a = element("a", "md-search-result__link");
    a.href = href;
    const article = element("article", "md-search-result__article md-typeset");
    article.append(...children);
    a.append(article);
    return a;
  }

  /* One document with its matching paragraphs, as an item of Material's result list; null when none is left. */
  function renderDocument(data, speaker, most) {
    const { words, list } = paragraphsOf(data);
    const turns = parseTurns(data.meta);
    const paragraphs = list
      .map((p) => ({ ...p, who: speakerOf(turns, p.n) }))
      .filter((p) => !speaker || p.who === speaker);
    if (speaker && !paragraphs.length) return null;
    const item = element("li", "md-search-result__item annals-result");
    const date = element("time", "annals-result-date", data.meta.date || "");
    if (data.meta.iso) date.dateTime = data.meta.iso;
    const icon = element("div", "md-search-result__icon md-icon");
    item.append(link(data.url, icon, element("h1", "", data.meta.title || data.url), date));
    for (const p of paragraphs.slice(0, most)) {
      const head = element("h2", "annals-result-head");
      head.append(element("span", "annals-result-speaker", p.who || "Narration"), ` · ¶${p.n}`);
      const a = link(`${data.url}#${p.id}`, head, excerpt(words, p));
      a.classList.add("annals-result-paragraph");
      a.dataset.paragraph = p.id;
      item.append(a);
    }
    if (paragraphs.length > most) {
      const more = paragraphs.length - most;
      item.append(element("p", "md-search-result__more annals-result-more",
        `${more} more paragraph${more === 1 ? "" : "s"} in this document`));
    }
    return item;
  }

  /* Render results one document at a time (each costs one small fragment), until `count` are shown. */
  async function renderResults(results, from, count, list, speaker, most, isCurrent) {
    let shown = 0;
    let next = from;
    while (next < results.length && shown < count) {
      const batch = results.slice(next, next + count - shown);
      next += batch.length;
      const datas = await Promise.all(batch.map((r) => r.data()));
      if (!isCurrent()) return null;
      for (const data of datas) {
        const item = renderDocument(data, speaker, most);
        if (item) {
          list.append(item);
          shown++;
        }
      }
    }
    return next;
  }

  function filtersOf(speaker, year) {
    const filters = {};
    if (speaker) filters.speaker = speaker;
    if (year) filters.year = year;
    return filters;
  }

  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  /* The header's search box: Material's dialog, opened by focus, "/" or the magnifier; Enter opens the page. */
  function mountHeader(box) {
    const toggle = document.getElementById("__search");
    const input = box.querySelector(".md-search__input");
    const meta = box.querySelector(".md-search-result__meta");
    const list = box.querySelector(".md-search-result__list");
    const form = box.querySelector("form");
    const placeholder = meta.textContent;
    let generation = 0;

    const run = debounce(async () => {
      const query = input.value.trim();
      const current = ++generation;
      const isCurrent = () => current === generation;
      if (!query) {
        meta.textContent = placeholder;
        list.replaceChildren();
        return;
      }
      let pf;
      try {
        pf = await pagefind();
      } catch {
        meta.textContent = UNAVAILABLE;
        return;
      }
      const search = await pf.search(query);
      if (!isCurrent()) return;
      const fresh = element("ol", "md-search-result__list");
      await renderResults(search.results, 0, HEADER_DOCUMENTS, fresh, null, HEADER_PARAGRAPHS, isCurrent);
      if (!isCurrent()) return;
      const n = search.results.length; // exact: with no speaker filter, every result is a document listed
      meta.textContent = n ? `${n} matching document${n === 1 ? "" : "s"}` : "No matching documents";
      list.replaceChildren(...fresh.children);
      if (n > HEADER_DOCUMENTS) {
        const all = new URL("search/", root);
        all.searchParams.set("q", query);
        const item = element("li", "md-search-result__item");
        item.append(link(all.href, element("h2", "", `All ${n} documents, with filters by speaker and year`)));
        list.append(item);
      }
    }, DEBOUNCE_MS);

    const close = () => {
      toggle.checked = false;
      input.blur();
    };
    input.addEventListener("focus", () => { toggle.checked = true; });
    input.addEventListener("input", run);
    form.addEventListener("reset", () => setTimeout(run));
    toggle.addEventListener("change", () => {
      if (toggle.checked) input.focus();
    });
    box.addEventListener("keydown", (event) => {
      const links = [...list.querySelectorAll(".md-search-result__link")];
      const at = links.indexOf(document.activeElement);
      if (event.key === "Escape") {
        close();
      } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!links.length) return;
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : at + step;
        if (next < 0) input.focus();
        else links[Math.min(next, links.length - 1)].focus();
      }
    });
    return input;
  }

  /* The search page: query, speaker and year in the URL (?q=&speaker=&year=), results paragraph by paragraph. */
  function mountPage(page) {
    const form = page.querySelector("form");
    const input = form.elements.q;
    const speaker = form.elements.speaker;
    const year = form.elements.year;
    const status = page.querySelector(".annals-search-status");
    const list = page.querySelector(".annals-search-results");
    const more = page.querySelector(".annals-search-more");
    let generation = 0;
    let filtersLoaded = null;

    const params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    speaker.value = params.get("speaker") || "";
    addOption(year, params.get("year") || "", params.get("year") || "");
    year.value = params.get("year") || "";

    function addOption(select, value, label) {
      if (!value || [...select.options].some((o) => o.value === value)) return;
      const option = element("option", "", label);
      option.value = value;
      select.append(option);
    }

    /* Fill the speaker and year choices from the index (Pagefind's filters). */
    function loadFilters() {
      if (!filtersLoaded) {
        filtersLoaded = pagefind().then(async (pf) => {
          const filters = await pf.filters();
          const names = Object.keys(filters.speaker || {}).sort((a, b) => a.localeCompare(b));
          const options = page.querySelector("#annals-speakers");
          options.replaceChildren(...names.map((name) => {
            const option = element("option");
            option.value = name;
            return option;
          }));
          const chosen = year.value;
          const years = Object.keys(filters.year || {}).sort().reverse();
          year.replaceChildren(year.options[0]);
          for (const y of years) addOption(year, y, `${y} (${filters.year[y]})`);
          addOption(year, chosen, chosen);
          year.value = chosen;
        }).catch(() => {});
      }
      return filtersLoaded;
    }

    function remember(query) {
      const url = new URL(location.href);
      url.search = "";
      if (query) url.searchParams.set("q", query);
      if (speaker.value.trim()) url.searchParams.set("speaker", speaker.value.trim());
      if (year.value) url.searchParams.set("year", year.value);
      history.replaceState(null, "", url);
    }

    async function run() {
      const query = input.value.trim();
      const who = speaker.value.trim();
      const current = ++generation;
      const isCurrent = () => current === generation;
      remember(query);
      more.hidden = true;
      delete status.dataset.query;
      if (!query) {
        status.textContent = "Type a word or a phrase (in quotes for the exact phrase).";
        list.replaceChildren();
        return;
      }
      let pf;
      try {
        pf = await pagefind();
      } catch {
        status.textContent = UNAVAILABLE;
        return;
      }
      status.textContent = "Searching…";
      const search = await pf.search(query, { filters: filtersOf(who, year.value) });
      if (!isCurrent()) return;
      const fresh = element("ol", "md-search-result__list");
      let next = await renderResults(search.results, 0, PAGE_DOCUMENTS, fresh, who, PAGE_PARAGRAPHS, isCurrent);
      if (next === null) return;
      list.replaceChildren(...fresh.children);
      status.dataset.query = query; // shown: for tests and benchmarks
      const total = search.results.length;
      const update = () => {
        more.hidden = next >= total;
        const shown = list.children.length;
        // Without a speaker every result is listed; with one, the count is known once every result is checked.
        const exact = !who ? total : next >= total ? shown : null;
        describe(shown, exact, total - next, who);
      };
      update();
      more.onclick = async () => {
        more.disabled = true;
        const after = await renderResults(search.results, next, PAGE_DOCUMENTS, list, who, PAGE_PARAGRAPHS, isCurrent);
        more.disabled = false;
        if (after !== null) {
          next = after;
          update();
        }
      };
      loadFilters();
    }

    /* Say how many documents match. With a speaker, Pagefind's count also holds documents where only others say
       the words, which renderDocument drops: so the documents listed are counted instead, and while `unchecked`
       results wait behind "More results" the status says that up to that many more may follow. */
    function describe(shown, exact, unchecked, who) {
      const count = (n) => `${n} document${n === 1 ? "" : "s"}`;
      const verb = (n) => (n === 1 ? "matches" : "match");
      const when = year.value ? ` of ${year.value}` : "";
      const by = who ? ` in what ${who} says` : "";
      if (exact === null) {
        status.textContent = `${count(shown)}${when} so far ${verb(shown)}${by}; up to ${unchecked} more may follow.`;
      } else if (!exact) {
        status.textContent = `No document${when} matches${by}.`;
      } else {
        const listed = shown < exact ? `the first ${shown} are listed, ` : "";
        status.textContent = `${count(exact)}${when} ${verb(exact)}${by}; ${listed}each result links to its paragraph.`;
      }
    }

    const later = debounce(run, DEBOUNCE_MS);
    input.addEventListener("input", later);
    speaker.addEventListener("change", run);
    year.addEventListener("change", run);
    for (const control of [speaker, year]) {
      control.addEventListener("focus", loadFilters);
      control.addEventListener("pointerdown", loadFilters);
    }
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      run();
    });
    run();
    return input;
  }

  /* "/" or "s" anywhere but in a field goes to the search box (the page's own, on the search page). */
  function shortcut(target) {
    document.addEventListener("keydown", (event) => {
      if (event.key !== "/" && event.key !== "s") return;
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const el = document.activeElement;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      event.preventDefault();
      target.focus();
      target.select();
    });
  }

  function start() {
    const page = document.querySelector(".annals-search-page");
    const box = document.querySelector(".annals-search");
    const headerInput = box ? mountHeader(box) : null;
    const pageInput = page ? mountPage(page) : null;
    const target = pageInput || headerInput;
    if (target) shortcut(target);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
