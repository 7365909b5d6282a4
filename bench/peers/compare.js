// Scores chrono-node and Recognizers-Text on caltune's corpus files with
// the corpus format's rules for start, end and all_day, next to caltune's
// own predictions, and times each parser per text.
//
// Usage: TZ=UTC node compare.js [--predictions DIR] [--caltune-times FILE] [--rounds N]
//        [--duckling-predictions DIR --duckling-times FILE] CORPUS...
// DIR holds caltune's predictions as <corpus basename>.predictions.jsonl;
// FILE has one "<corpus basename> <p50 µs> <p95 µs>" line per corpus, measured
// by bench/tier_bench over the whole cascade.
// Reference times are wall-clock values; with TZ=UTC a JavaScript Date
// holds them unchanged, so no zone conversion takes place.
'use strict';

const fs = require('fs');
const path = require('path');
const chrono = require('chrono-node');
const recognizers = require('@microsoft/recognizers-text-date-time');

const TEMPORAL = ['start', 'end', 'all_day'];

function parseArgs(argv) {
  const args = { predictions: null, times: null, rounds: 5, corpora: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--predictions') args.predictions = argv[++i];
    else if (argv[i] === '--caltune-times') args.times = argv[++i];
    else if (argv[i] === '--rounds') args.rounds = Number(argv[++i]);
    else if (argv[i] === '--duckling-predictions') args.ducklingPredictions = argv[++i];
    else if (argv[i] === '--duckling-times') args.ducklingTimes = argv[++i];
    else args.corpora.push(argv[i]);
  }
  return args;
}

function loadJsonl(file) {
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function pad(n) { return String(n).padStart(2, '0'); }

// A Date with the wall-clock value in its UTC fields, as the corpus forms.
function formatDate(d) { return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`; }
function formatDateTime(d) {
  let s = `${formatDate(d)}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (d.getUTCSeconds()) s += `:${pad(d.getUTCSeconds())}`;
  return s;
}
function formatOffset(minutes) {
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad(Math.floor(m / 60))}:${pad(m % 60)}`;
}

function refDate(ref) { return new Date(`${ref}Z`); }

// The corpus scoring rule for start and end: the same wall-clock value at
// the expectation's precision, with the offset when the expectation has one.
function sameWhen(expected, got) {
  if (expected === null) return got === null || got === undefined;
  if (got === null || got === undefined) return false;
  const split = (s) => {
    const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?([+-]\d{2}:\d{2}|Z)?$/.exec(s);
    return m ? { date: m[1], minute: m[2] || null, second: m[3] || ':00', offset: m[4] || null } : null;
  };
  const e = split(expected), g = split(got);
  if (!e || !g) return false;
  if (e.date !== g.date) return false;
  if (!e.minute) return !g.minute;
  if (!g.minute || e.minute !== g.minute) return false;
  if (/:\d{2}:\d{2}/.test(expected.slice(11)) && e.second !== g.second) return false;
  if (e.offset && e.offset !== g.offset) return false;
  return true;
}

function fieldCorrect(field, expected, event) {
  const got = event ? event[field] : undefined;
  if (field === 'all_day') return (expected === null) ? !got : Boolean(got) === expected;
  return sameWhen(expected, got === undefined ? null : got);
}

function scoreCase(c, event) {
  const fields = TEMPORAL.filter((f) => f in c.expect);
  return { scored: fields.length > 0, correct: fields.every((f) => fieldCorrect(f, c.expect[f], event)) };
}

function chronoEvent(c) {
  const results = chrono.parse(c.text, { instant: refDate(c.ref) }, { forwardDate: true });
  if (!results.length) return {};
  const r = results[0];
  const event = {};
  const put = (component, key) => {
    const d = component.date();
    if (!component.isCertain('hour')) {
      event[key] = formatDate(d);
      return;
    }
    // chrono returns the instant; a zone written in the text moves it, so
    // undo that to get the written wall-clock time back.
    const offset = component.get('timezoneOffset');
    if (component.isCertain('timezoneOffset') && offset !== null && offset !== undefined) {
      event[key] = formatDateTime(new Date(d.getTime() + offset * 60000)) + formatOffset(offset);
    } else {
      event[key] = formatDateTime(d);
    }
  };
  put(r.start, 'start');
  if (r.end) put(r.end, 'end');
  event.all_day = !r.start.isCertain('hour');
  return event;
}

// Recognizers gives timex values with one or more resolutions; take the
// first result and, of its readings, the first that is not in the past.
function recognizersEvent(c) {
  const results = recognizers.recognizeDateTime(c.text, recognizers.Culture.English, undefined, refDate(c.ref));
  if (!results.length) return {};
  const values = (results[0].resolution && results[0].resolution.values) || [];
  if (!values.length) return {};
  const refText = c.ref.replace('T', ' ');
  const pick = values.find((v) => (v.value || v.start || '') >= refText.slice(0, (v.value || v.start || '').length)) || values[values.length - 1];
  const toCorpus = (s) => (s && s.length > 10 ? s.replace(' ', 'T').replace(/:00$/, '') : s);
  const event = {};
  if (pick.value) event.start = toCorpus(pick.value);
  if (pick.start) event.start = toCorpus(pick.start);
  if (pick.end) event.end = toCorpus(pick.end);
  if (pick.type === 'date' || pick.type === 'daterange') event.all_day = true;
  return event;
}

function percentile(sorted, p) {
  if (!sorted.length) return 0;
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function measure(cases, parse, rounds) {
  const p50s = [], p95s = [];
  let events = [];
  for (let round = 0; round <= rounds; round++) {
    const times = [];
    events = cases.map((c) => {
      const t0 = process.hrtime.bigint();
      let event;
      try { event = parse(c); } catch (e) { event = {}; }
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
      return event;
    });
    if (round === 0) continue; // warm-up
    times.sort((a, b) => a - b);
    p50s.push(percentile(times, 50));
    p95s.push(percentile(times, 95));
  }
  return { events, p50: median(p50s), p95: median(p95s) };
}

function accuracy(cases, events) {
  let scored = 0, correct = 0;
  cases.forEach((c, i) => {
    const s = scoreCase(c, events[i]);
    if (!s.scored) return;
    scored++;
    if (s.correct) correct++;
  });
  return { scored, correct };
}

function loadTimes(file) {
  const times = new Map();
  if (!file || !fs.existsSync(file)) return times;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const [name, p50, p95] = line.trim().split(/\s+/);
    if (name && p95) times.set(name, { p50: Number(p50), p95: Number(p95) });
  }
  return times;
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const times = loadTimes(args.times);
  const ducklingTimes = loadTimes(args.ducklingTimes);
  console.log('| corpus | parser | start/end/all_day right | median µs | p95 µs |');
  console.log('|---|---|---:|---:|---:|');
  for (const file of args.corpora) {
    const cases = loadJsonl(file).filter((c) => !(c.tags || []).includes('convention-conflict'));
    const name = path.basename(file);
    const rows = [];
    // caltune's own run, then tier 2 alone sent to a Duckling server.
    for (const [label, dir, timeTable] of [['caltune', args.predictions, times],
      ['caltune with Duckling (tier 2 only)', args.ducklingPredictions, ducklingTimes]]) {
      if (!dir) continue;
      const predFile = path.join(dir, name.replace(/\.jsonl$/, '.predictions.jsonl'));
      if (fs.existsSync(predFile)) {
        const byId = new Map(loadJsonl(predFile).map((p) => [p.id, p.event || {}]));
        const a = accuracy(cases, cases.map((c) => byId.get(c.id) || {}));
        rows.push([label, a, timeTable.get(name) || null]);
      }
    }
    for (const [label, parse] of [['chrono-node 2.10.3', chronoEvent], ['Recognizers-Text 1.3.2', recognizersEvent]]) {
      const m = measure(cases, parse, args.rounds);
      rows.push([label, accuracy(cases, m.events), m]);
    }
    for (const [label, a, m] of rows) {
      const pct = a.scored ? ((100 * a.correct) / a.scored).toFixed(1) : '-';
      console.log(`| ${name} (${cases.length}) | ${label} | ${a.correct}/${a.scored} (${pct} %) | ${m ? m.p50.toFixed(1) : '-'} | ${m ? m.p95.toFixed(1) : '-'} |`);
    }
  }
}

main();
