/* legbrief search: runs in the reader's browser, with no server.
 *
 * The index is a set of script files beside the search page, written by legbrief
 * at build time. Each calls LegbriefSearch.add(kind, name, data); this script
 * inserts the ones a query needs with <script src>, so search works on any static
 * host and from file://, where browsers refuse fetch(). Files:
 *   meta.js         the segments (name, version, layout, sizes); committees,
 *                   topics, terms; per brief, oldest first, its committee, term,
 *                   topics and number of paragraphs
 *   <s>/t/<b>-<j>.js  token -> documents of segment s (varint-encoded gaps)
 *   <s>/d/<i>.js    brief i of segment s: slug, title, meeting date, texts
 * A document is a numbered paragraph. Briefs are numbered oldest meeting first
 * and cut into segments that close with their term, each numbering its own
 * documents, so a brief added at the newest end changes one segment's files.
 * A query looks its tokens up in every segment; hits are shown newest brief
 * first, each brief's paragraphs in order.
 *
 * The tokenizer below mirrors legbrief's src/search/tokenize.rs rule for rule:
 * change both or neither. */
(function () {
  "use strict";

  var FORMAT = 2;
  var WORD_KEY_CHARS = 4;
  var PAGE_SIZE = 20;
  var SNIPPET_CHARS = 320;
  var STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in",
    "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "which", "will", "with"]);
  var STRIPPED_SUFFIXES = ["ing", "ed", "es", "e", "s"];
  var DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  var DIGIT_VALUE = new Int8Array(128).fill(-1);
  for (var d = 0; d < DIGITS.length; d++) DIGIT_VALUE[DIGITS.charCodeAt(d)] = d;

  // ---- tokenizer ------------------------------------------------------------

  var CJK = 1, WORD = 2, APOSTROPHE = 3, SEPARATOR = 4;
  var ALPHANUMERIC = /^[\p{Alphabetic}\p{N}]$/u;

  function isCjk(cp) {
    return (cp >= 0x2E80 && cp <= 0x2FDF) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3040 && cp <= 0x30FF) ||
      (cp >= 0x3100 && cp <= 0x312F) || (cp >= 0x3190 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
      (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FA1F);
  }

  function classOf(ch) {
    if (ALPHANUMERIC.test(ch)) return isCjk(ch.codePointAt(0)) ? CJK : WORD;
    if (ch === "'" || ch === "\u2019") return APOSTROPHE;
    return SEPARATOR;
  }

  /* Full-width ASCII to ASCII, then lowercase. */
  function fold(ch) {
    var cp = ch.codePointAt(0);
    if (cp >= 0xFF01 && cp <= 0xFF5E) ch = String.fromCodePoint(cp - 0xFEE0);
    return ch.toLowerCase();
  }

  /* Words ("w") and CJK runs ("c") of text, folded, with their UTF-16 range in text. */
  function pieces(text) {
    var chars = [], starts = [], ends = [];
    for (var i = 0; i < text.length;) {
      var cp = text.codePointAt(i), width = cp > 0xFFFF ? 2 : 1;
      for (var f of fold(String.fromCodePoint(cp))) {
        chars.push(f);
        starts.push(i);
        ends.push(i + width);
      }
      i += width;
    }
    var out = [], current = "", currentClass = SEPARATOR, start = 0, end = 0;
    function flush() {
      if (current && (currentClass === WORD || currentClass === CJK)) {
        out.push({ kind: currentClass === WORD ? "w" : "c", text: current, start: start, end: end });
      }
      current = "";
    }
    for (var k = 0; k < chars.length; k++) {
      var kind = classOf(chars[k]);
      if (kind === APOSTROPHE) {
        if (currentClass === WORD && k + 1 < chars.length && classOf(chars[k + 1]) === WORD) continue;
        kind = SEPARATOR;
      }
      if (kind !== currentClass) {
        flush();
        currentClass = kind;
        start = starts[k];
      }
      if (kind !== SEPARATOR) {
        current += chars[k];
        end = ends[k];
      }
    }
    flush();
    return out;
  }

  function codePoints(text) {
    return Array.from(text);
  }

  function isIndexedWord(word) {
    return codePoints(word).length >= 2 && !STOP_WORDS.has(word);
  }

  function endsWith(s, suffix) {
    return s.length >= suffix.length && s.slice(s.length - suffix.length) === suffix;
  }

  function isVowel(ch) {
    return "aeiouy".indexOf(ch) >= 0;
  }

  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    var s = word;
    if (endsWith(s, "sses")) s = s.slice(0, -2);
    else if (endsWith(s, "ies") && s.length > 4) s = s.slice(0, -3) + "y";
    else if (endsWith(s, "ss") || endsWith(s, "us") || endsWith(s, "is")) { /* not a plural */ }
    else if (endsWith(s, "s")) s = s.slice(0, -1);
    if (endsWith(s, "ied") && s.length > 4) {
      s = s.slice(0, -3) + "y";
    } else {
      var suffix = endsWith(s, "ing") ? "ing" : endsWith(s, "ed") ? "ed" : null;
      if (suffix) {
        var base = s.slice(0, -suffix.length);
        if (base.length >= 3 && /[aeiouy]/.test(base)) {
          var last = base[base.length - 1];
          var doubled = last === base[base.length - 2] && !isVowel(last) && "lsz".indexOf(last) < 0;
          s = doubled ? base.slice(0, -1) : base;
        }
      }
    }
    if (endsWith(s, "e") && s.length > 3) s = s.slice(0, -1);
    return s;
  }

  /* The tokens legbrief indexes text under, in order: the same as index_tokens. */
  function indexTokens(text) {
    var tokens = [];
    pieces(text).forEach(function (p) {
      if (p.kind === "w") {
        if (isIndexedWord(p.text)) tokens.push(stem(p.text));
      } else {
        var chars = codePoints(p.text);
        for (var i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
        tokens.push(chars[chars.length - 1]);
      }
    });
    return tokens;
  }

  function shardKey(token) {
    var chars = codePoints(token);
    var take = isCjk(chars[0].codePointAt(0)) ? 1 : WORD_KEY_CHARS;
    return chars.slice(0, take).join("");
  }

  var encoder = new TextEncoder();
  function fnv1a(text) {
    var hash = 0x811c9dc5;
    var bytes = encoder.encode(text);
    for (var i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193);
    }
    return hash >>> 0;
  }

  // ---- queries --------------------------------------------------------------

  /* A query as terms, all of which a paragraph must match:
   *   exact   a token (a stemmed word, a Chinese bigram)
   *   prefix  the word being typed: tokens starting with its stem, or of which it
   *           is a stem plus the start of a suffix ("chargin" -> "charg")
   *   char    a single Chinese character: every token starting with it */
  function parseQuery(q) {
    var ps = pieces(q);
    var open = ps.length > 0 && ps[ps.length - 1].end === q.length;
    var terms = [], seen = new Set(), runs = [];
    function exact(token) {
      if (!seen.has(token)) {
        seen.add(token);
        terms.push({ kind: "exact", token: token });
      }
    }
    ps.forEach(function (p, i) {
      if (p.kind === "w") {
        if (!isIndexedWord(p.text)) return;
        var s = stem(p.text);
        if (open && i === ps.length - 1 && codePoints(p.text).length >= WORD_KEY_CHARS) {
          terms.push({ kind: "prefix", stem: s, partial: p.text });
        } else {
          exact(s);
        }
      } else {
        var chars = codePoints(p.text);
        runs.push(p.text);
        if (chars.length === 1) terms.push({ kind: "char", ch: chars[0] });
        for (var k = 0; k + 1 < chars.length; k++) exact(chars[k] + chars[k + 1]);
      }
    });
    return { text: q, terms: terms, runs: runs };
  }

  function prefixMatches(term, token) {
    if (token.indexOf(term.stem) === 0) return true;
    if (token.length < WORD_KEY_CHARS || term.partial.indexOf(token) !== 0) return false;
    var rest = term.partial.slice(token.length);
    return rest === "" || STRIPPED_SUFFIXES.some(function (s) { return s.indexOf(rest) === 0; });
  }

  function termMatches(term, token) {
    if (term.kind === "exact") return token === term.token;
    if (term.kind === "char") return token.indexOf(term.ch) === 0;
    return prefixMatches(term, token);
  }

  // ---- loading the index ----------------------------------------------------

  var base = "";
  var registry = new Map();
  var pending = new Map();

  function add(kind, name, data) {
    var key = kind + ":" + name;
    registry.set(key, data);
    var waiting = pending.get(key);
    if (waiting) {
      pending.delete(key);
      waiting.resolve(data);
    }
  }

  /* Loads an index file once, with <script src>: the one way a page opened from
   * disk may read another file. */
  function load(kind, name, file) {
    var key = kind + ":" + name;
    if (registry.has(key)) return Promise.resolve(registry.get(key));
    if (pending.has(key)) return pending.get(key).promise;
    var entry = {};
    entry.promise = new Promise(function (resolve, reject) {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    pending.set(key, entry);
    var script = document.createElement("script");
    script.src = base + file;
    script.async = true;
    function fail(message) {
      pending.delete(key);
      entry.reject(new Error(message));
    }
    script.onload = function () {
      script.remove();
      if (!registry.has(key)) fail(file + " did not register its data");
    };
    script.onerror = function () {
      script.remove();
      fail("cannot load " + base + file);
    };
    document.head.appendChild(script);
    return entry.promise;
  }

  var metaPromise = null;
  function meta() {
    if (!metaPromise) {
      // Asked for afresh on every visit: it names the version of every other file.
      metaPromise = load("meta", "", "meta.js?" + Date.now()).then(function (m) {
        if (m.format !== FORMAT) throw new Error("the index has format " + m.format + ", this script reads " + FORMAT);
        m.starts = new Uint32Array(m.briefs.length + 1);
        m.briefs.forEach(function (b, i) { m.starts[i + 1] = m.starts[i] + b[3]; });
        // Each segment's first brief and first document among all of them.
        var briefs = 0;
        m.segments.forEach(function (s) {
          s.firstBrief = briefs;
          s.firstDoc = m.starts[briefs];
          briefs += s.briefs;
        });
        m.committeeIndex = new Map(m.committees.map(function (c, i) { return [c[0], i]; }));
        m.topicIndex = new Map(m.topics.map(function (t, i) { return [t[0], i]; }));
        return m;
      });
      metaPromise.catch(function () { metaPromise = null; });
    }
    return metaPromise;
  }

  function bucketOf(seg, key) {
    return fnv1a(key) % seg.buckets;
  }

  function subShards(seg, bucket) {
    return seg.split[String(bucket)] || 1;
  }

  /* A segment's files keep their names while it grows; asking for them with the
   * segment's version keeps caches from mixing two builds. */
  function versioned(seg, file) {
    return seg.name + "/" + file + "?v=" + encodeURIComponent(seg.version);
  }

  function loadShard(seg, bucket, sub) {
    var name = bucket + "-" + sub;
    return load("t", seg.name + "/" + name, versioned(seg, "t/" + name + ".js"));
  }

  var decoded = new Map();
  function postings(seg, shard, token) {
    var key = seg.name + "\n" + token;
    var cached = decoded.get(key);
    if (cached) return cached;
    var text = shard[token] || "";
    var out = new Uint32Array(text.length), n = 0, next = 0, gap = 0, scale = 1;
    for (var i = 0; i < text.length; i++) {
      var code = text.charCodeAt(i);
      var digit = code < 128 ? DIGIT_VALUE[code] : -1;
      if (digit < 0) throw new Error("the index is damaged near token " + token);
      gap += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
        continue;
      }
      var doc = next + gap;
      out[n++] = doc;
      next = doc + 1;
      gap = 0;
      scale = 1;
    }
    out = out.subarray(0, n);
    decoded.set(key, out);
    return out;
  }

  /* The shards of a segment a term's tokens may be in: one for an exact token,
   * every sub-shard of the bucket(s) of its prefix otherwise. */
  function shardsOf(seg, term) {
    if (term.kind === "exact") {
      var bucket = bucketOf(seg, shardKey(term.token));
      return [[bucket, fnv1a(term.token) % subShards(seg, bucket)]];
    }
    var keys = term.kind === "char" ? [term.ch] : [shardKey(term.stem), shardKey(term.partial)];
    var out = [];
    new Set(keys.map(function (k) { return bucketOf(seg, k); })).forEach(function (b) {
      for (var j = 0; j < subShards(seg, b); j++) out.push([b, j]);
    });
    return out;
  }

  /* A term's documents in one segment, numbered within it. */
  function segmentDocuments(seg, term) {
    if (seg.documents === 0) return Promise.resolve(new Uint32Array(0));
    return Promise.all(shardsOf(seg, term).map(function (s) { return loadShard(seg, s[0], s[1]); })).then(function (shards) {
      if (term.kind === "exact") return postings(seg, shards[0], term.token);
      var lists = [];
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (token) {
          if (termMatches(term, token)) lists.push(postings(seg, shard, token));
        });
      });
      return union(seg.documents, lists);
    });
  }

  /* A term's documents in every segment, ascending: segment by segment, each
   * segment's numbers moved past the documents of the segments before it. */
  function documentsOf(m, term) {
    return Promise.all(m.segments.map(function (seg) { return segmentDocuments(seg, term); })).then(function (lists) {
      var total = 0;
      lists.forEach(function (list) { total += list.length; });
      var out = new Uint32Array(total), n = 0;
      lists.forEach(function (list, k) {
        var first = m.segments[k].firstDoc;
        for (var i = 0; i < list.length; i++) out[n++] = list[i] + first;
      });
      return out;
    });
  }

  /* Hits (ascending, oldest brief first) in the order they are shown: newest
   * brief first, each brief's paragraphs in order. */
  function displayOrder(m, hits) {
    var out = new Uint32Array(hits.length), n = 0, end = hits.length;
    while (end > 0) {
      var first = m.starts[briefOf(m, hits[end - 1])], start = end - 1;
      while (start > 0 && hits[start - 1] >= first) start--;
      out.set(hits.subarray(start, end), n);
      n += end - start;
      end = start;
    }
    return out;
  }

  function union(size, lists) {
    if (lists.length === 0) return new Uint32Array(0);
    if (lists.length === 1) return lists[0];
    var marks = new Uint8Array(size), count = 0;
    lists.forEach(function (list) {
      for (var i = 0; i < list.length; i++) {
        if (!marks[list[i]]) {
          marks[list[i]] = 1;
          count++;
        }
      }
    });
    var out = new Uint32Array(count), n = 0;
    for (var doc = 0; doc < size && n < count; doc++) if (marks[doc]) out[n++] = doc;
    return out;
  }

  function intersect(a, b) {
    var out = new Uint32Array(Math.min(a.length, b.length)), n = 0, i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) {
        out[n++] = a[i];
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out.subarray(0, n);
  }

  function briefOf(m, doc) {
    var lo = 0, hi = m.briefs.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.starts[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function segmentOf(m, brief) {
    var lo = 0, hi = m.segments.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.segments[mid].firstBrief <= brief) lo = mid;
      else hi = mid - 1;
    }
    return m.segments[lo];
  }

  function applyFilters(m, hits, filters) {
    var committee = filters.committee ? m.committeeIndex.get(filters.committee) : undefined;
    var topic = filters.topic ? m.topicIndex.get(filters.topic) : undefined;
    var term = filters.term ? Number(filters.term) : 0;
    if (filters.committee && committee === undefined) return new Uint32Array(0);
    if (filters.topic && topic === undefined) return new Uint32Array(0);
    if (committee === undefined && topic === undefined && !term) return hits;
    return hits.filter(function (doc) {
      var b = m.briefs[briefOf(m, doc)];
      return (committee === undefined || b[0] === committee) &&
        (!term || b[1] === term) &&
        (topic === undefined || b[2].indexOf(topic) >= 0);
    });
  }

  /* Runs a query: resolves to { query, hits }, hits being document numbers in
   * display order. Filters: { committee: key, topic: key, term: number }. */
  function search(q, filters) {
    var query = parseQuery(q);
    return meta().then(function (m) {
      if (query.terms.length === 0) return { query: query, hits: new Uint32Array(0) };
      return Promise.all(query.terms.map(function (t) { return documentsOf(m, t); })).then(function (lists) {
        lists.sort(function (a, b) { return a.length - b.length; });
        var hits = lists[0];
        for (var i = 1; i < lists.length && hits.length; i++) hits = intersect(hits, lists[i]);
        return { query: query, hits: displayOrder(m, applyFilters(m, hits, filters || {})) };
      });
    });
  }

  /* What a reader sees of hit `doc`: resolves to { slug, title, committee,
   * meeting, paragraph, text }. */
  function describe(doc) {
    return meta().then(function (m) {
      var i = briefOf(m, doc), seg = segmentOf(m, i), at = i - seg.firstBrief;
      return load("d", seg.name + "/" + at, versioned(seg, "d/" + at + ".js")).then(function (brief) {
        var n = doc - m.starts[i] + 1;
        var committee = m.committees[m.briefs[i][0]];
        return {
          slug: brief.slug,
          title: brief.title,
          committee: committee ? committee[1] : "",
          meeting: brief.meeting,
          paragraph: n,
          text: brief.paragraphs[n - 1] || ""
        };
      });
    });
  }

  // ---- highlighting ---------------------------------------------------------

  function allIndexes(haystack, needle) {
    var out = [];
    for (var at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) out.push(at);
    return out;
  }

  /* UTF-16 ranges of `text` that match the query, merged and in order. */
  function highlights(text, query) {
    var ranges = [];
    var words = query.terms.filter(function (t) { return t.kind !== "char" && !isCjk(codePoints(t.token || t.stem)[0].codePointAt(0)); });
    pieces(text).forEach(function (p) {
      if (p.kind === "w") {
        if (!isIndexedWord(p.text)) return;
        var s = stem(p.text);
        if (words.some(function (t) { return termMatches(t, s); })) ranges.push([p.start, p.end]);
        return;
      }
      // A CJK piece is the text itself: folding changes no CJK character.
      query.runs.forEach(function (run) {
        var found = allIndexes(p.text, run);
        if (found.length === 0 && codePoints(run).length > 1) {
          var chars = codePoints(run);
          for (var k = 0; k + 1 < chars.length; k++) {
            allIndexes(p.text, chars[k] + chars[k + 1]).forEach(function (at) {
              ranges.push([p.start + at, p.start + at + chars[k].length + chars[k + 1].length]);
            });
          }
          return;
        }
        found.forEach(function (at) { ranges.push([p.start + at, p.start + at + run.length]); });
      });
    });
    ranges.sort(function (a, b) { return a[0] - b[0]; });
    var merged = [];
    ranges.forEach(function (r) {
      var last = merged[merged.length - 1];
      if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
      else merged.push([r[0], r[1]]);
    });
    return merged;
  }

  function isLowSurrogate(text, at) {
    var code = text.charCodeAt(at);
    return code >= 0xDC00 && code <= 0xDFFF;
  }

  /* The code point that ends just before UTF-16 offset `at`. */
  function pointBefore(text, at) {
    return text.codePointAt(isLowSurrogate(text, at - 1) ? at - 2 : at - 1);
  }

  /* May a snippet be cut at UTF-16 offset `at`? At a space, or beside a CJK
     character or punctuation (Chinese is cut between characters); never inside a
     word or a number, nor inside a surrogate pair. */
  function isCut(text, at) {
    if (at <= 0 || at >= text.length) return true;
    if (isLowSurrogate(text, at)) return false;
    var before = text.charAt(at - 1), after = text.charAt(at);
    if (/\s/.test(before) || /\s/.test(after)) return true;
    return isCjk(pointBefore(text, at)) || isCjk(text.codePointAt(at));
  }

  /* The nearest cut at or after `at` (up to `limit` on), else at or before it. */
  function cutNear(text, at, limit, forward) {
    var k;
    for (k = 0; k <= limit; k++) {
      var tried = forward ? at + k : at - k;
      if (tried < 0 || tried > text.length) break;
      if (isCut(text, tried)) return tried;
    }
    for (k = 1; k <= text.length; k++) {
      var other = forward ? at - k : at + k;
      if (other <= 0 || other >= text.length) return other <= 0 ? 0 : text.length;
      if (isCut(text, other)) return other;
    }
    return forward ? 0 : text.length;
  }

  /* The paragraph, or a window of it around the first match, cut only between
     words (between characters in Chinese), without the spaces at its edges. */
  function excerpt(text, ranges) {
    if (text.length <= SNIPPET_CHARS) return { text: text, ranges: ranges, before: false, after: false };
    var first = ranges.length ? ranges[0][0] : 0;
    var start = Math.max(0, Math.min(first - 80, text.length - SNIPPET_CHARS));
    if (start > 0) start = cutNear(text, start, Math.max(0, Math.min(30, first - start)), true);
    while (start < text.length && /\s/.test(text.charAt(start))) start++;
    var end = Math.min(text.length, start + SNIPPET_CHARS);
    if (end < text.length) end = cutNear(text, end, 40, false);
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    var clipped = [];
    ranges.forEach(function (r) {
      var s = Math.max(r[0], start), e = Math.min(r[1], end);
      if (s < e) clipped.push([s - start, e - start]);
    });
    return { text: text.slice(start, end), ranges: clipped, before: start > 0, after: end < text.length };
  }

  function markedText(element, text, ranges) {
    var at = 0;
    ranges.forEach(function (r) {
      if (r[0] > at) element.appendChild(document.createTextNode(text.slice(at, r[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(r[0], r[1]);
      element.appendChild(mark);
      at = r[1];
    });
    if (at < text.length) element.appendChild(document.createTextNode(text.slice(at)));
  }

  // ---- the search page ------------------------------------------------------

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function SearchPage(root) {
    this.root = root;
    this.form = document.getElementById("search-form");
    this.input = document.getElementById("search-q");
    this.status = document.getElementById("search-status");
    this.list = document.getElementById("search-results");
    this.more = document.getElementById("search-more");
    this.filters = ["committee", "topic", "term"].map(function (name) {
      return { name: name, select: document.getElementById("search-" + name) };
    }).filter(function (f) { return f.select; });
    this.sequence = 0;
    this.timer = 0;
    this.hits = new Uint32Array(0);
    this.shown = 0;
    this.query = null;
    this.lastSlug = null;
  }

  SearchPage.prototype.text = function (name) {
    return this.root.getAttribute("data-" + name) || "";
  };

  SearchPage.prototype.start = function () {
    var page = this;
    var params = new URLSearchParams(location.search);
    // A value the browser restored (after Back) wins over the address.
    if (!page.input.value) page.input.value = params.get("q") || "";
    page.filters.forEach(function (f) {
      var wanted = params.get(f.name);
      if (wanted && !f.select.value && Array.prototype.some.call(f.select.options, function (o) { return o.value === wanted; })) {
        f.select.value = wanted;
      }
    });
    page.form.hidden = false;
    page.input.addEventListener("input", function (event) {
      if (event.isComposing) return;
      page.later();
    });
    page.input.addEventListener("compositionend", function () { page.later(); });
    page.filters.forEach(function (f) {
      f.select.addEventListener("change", function () { page.run(); });
    });
    page.form.addEventListener("submit", function (event) {
      event.preventDefault();
      page.run();
    });
    page.input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && page.links().length) {
        event.preventDefault();
        page.links()[0].focus();
      }
    });
    page.list.addEventListener("keydown", function (event) { page.moveFocus(event); });
    page.more.addEventListener("click", function () { page.showMore(true); });
    meta().catch(function () { page.fail(); });
    if (page.input.value.trim()) page.run();
    else page.input.focus();
  };

  SearchPage.prototype.links = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll("a"));
  };

  SearchPage.prototype.moveFocus = function (event) {
    var links = this.links(), at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" && at + 1 < links.length) {
      event.preventDefault();
      links[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? links[at - 1] : this.input).focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      this.input.focus();
    }
  };

  SearchPage.prototype.later = function () {
    var page = this;
    clearTimeout(page.timer);
    page.timer = setTimeout(function () { page.run(); }, 120);
  };

  SearchPage.prototype.currentFilters = function () {
    var out = {};
    this.filters.forEach(function (f) { if (f.select.value) out[f.name] = f.select.value; });
    return out;
  };

  SearchPage.prototype.remember = function () {
    var params = new URLSearchParams();
    if (this.input.value) params.set("q", this.input.value);
    var filters = this.currentFilters();
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    var search = params.toString();
    try {
      history.replaceState(null, "", search ? "?" + search : location.pathname);
    } catch (e) {
      // Some browsers refuse to change the address of a page opened from disk.
    }
  };

  SearchPage.prototype.run = function () {
    var page = this;
    clearTimeout(page.timer);
    var sequence = ++page.sequence;
    var q = page.input.value;
    var slow = setTimeout(function () {
      if (sequence === page.sequence) page.status.textContent = page.text("searching");
    }, 400);
    search(q, page.currentFilters()).then(function (result) {
      if (sequence !== page.sequence) return null;
      page.query = result.query;
      page.hits = result.hits;
      page.shown = 0;
      return page.showMore(false).then(function () {
        if (sequence !== page.sequence) return;
        page.announce(q);
        page.remember();
      });
    }).catch(function () {
      if (sequence === page.sequence) page.fail();
    }).then(function () { clearTimeout(slow); });
  };

  SearchPage.prototype.announce = function (q) {
    var trimmed = q.trim();
    var status;
    if (!trimmed) status = "";
    else if (this.query.terms.length === 0) status = this.text("type-more");
    else if (this.hits.length === 0) status = fill(this.text("none"), { q: trimmed });
    else if (this.hits.length === 1) status = fill(this.text("one"), { q: trimmed });
    else status = fill(this.text("other"), { n: this.hits.length.toLocaleString(document.documentElement.lang), q: trimmed });
    this.status.textContent = status;
  };

  SearchPage.prototype.fail = function () {
    this.status.textContent = this.text("error");
    this.list.hidden = true;
    this.more.hidden = true;
  };

  /* Shows the next page of hits; with `focus`, moves focus to the first new one
   * (after "Show more", so a keyboard user continues where the new results start). */
  SearchPage.prototype.showMore = function (focus) {
    var page = this, sequence = page.sequence;
    var from = page.shown, to = Math.min(page.hits.length, from + PAGE_SIZE);
    var docs = Array.prototype.slice.call(page.hits.subarray(from, to));
    return Promise.all(docs.map(describe)).then(function (results) {
      if (sequence !== page.sequence) return;
      if (from === 0) { page.list.textContent = ""; page.lastSlug = null; }
      var first = null;
      results.forEach(function (r) {
        var item = page.item(r);
        first = first || item.querySelector("a");
        page.list.appendChild(item);
      });
      page.shown = to;
      page.list.hidden = page.shown === 0;
      page.more.hidden = page.shown >= page.hits.length;
      if (focus && first) first.focus();
    });
  };

  SearchPage.prototype.item = function (r) {
    var li = document.createElement("li");
    li.className = "search-result";
    // The brief's title is shown once: a further paragraph of the brief just above
    // shows its number only (the title stays in the link's text, for screen readers).
    var same = this.lastSlug === r.slug;
    this.lastSlug = r.slug;
    if (same) li.className += " same-brief";
    var heading = document.createElement("h2");
    var link = document.createElement("a");
    link.href = this.text("brief-href").replace("{slug}", r.slug) + "#p-" + r.paragraph;
    if (same) {
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = r.title + " ";
      link.appendChild(hidden);
    } else {
      link.appendChild(document.createTextNode(r.title + " "));
    }
    var number = document.createElement("span");
    number.className = "search-result-paragraph";
    number.textContent = fill(this.text("paragraph"), { n: r.paragraph });
    link.appendChild(number);
    heading.appendChild(link);
    li.appendChild(heading);
    var metaLine = document.createElement("p");
    metaLine.className = "brief-meta";
    metaLine.textContent = r.committee + " · " + r.meeting;
    if (same) metaLine.className += " visually-hidden";
    li.appendChild(metaLine);
    var body = document.createElement("p");
    body.className = "search-result-text";
    var shown = excerpt(r.text, highlights(r.text, this.query));
    if (shown.before) body.appendChild(document.createTextNode("… "));
    markedText(body, shown.text, shown.ranges);
    if (shown.after) body.appendChild(document.createTextNode(" …"));
    li.appendChild(body);
    return li;
  };

  window.LegbriefSearch = {
    add: add,
    tokens: indexTokens,
    stem: stem,
    keyHash: function (token) { return fnv1a(shardKey(token)); },
    search: search,
    describe: describe,
    excerpt: excerpt,
    snippetChars: SNIPPET_CHARS,
    highlights: function (text, q) { return highlights(text, parseQuery(q)); }
  };

  var root = document.getElementById("search");
  if (root) {
    base = root.getAttribute("data-index") || "";
    new SearchPage(root).start();
  }
})();
