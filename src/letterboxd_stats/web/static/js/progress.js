// Follows the enrichment: Server-Sent Events first, polling /status as the fallback.
import { api, fmt, goneText, readOnly } from "./common.js";

// The same set as models.FINAL_STATUSES (Python), the one definition of a final status.
const FINAL = new Set(["completed", "failed", "cancelled"]);

function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "–";
  if (seconds < 1) return "a moment";
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// A later phase's short bar (the watchlist, the completion's collections and filmographies):
// shown once the phase has work, its text "N of M".
function phaseBar(name, done, total) {
  const box = document.getElementById(`phase-${name}`);
  if (!box) return;
  const max = Number(total) || 0;
  box.hidden = max <= 0;
  if (max <= 0) return;
  const value = Math.max(0, Math.min(max, Number(done) || 0));
  const bar = document.getElementById(`phase-${name}-bar`);
  bar.max = max;
  bar.value = value;
  bar.textContent = `${fmt(value)} of ${fmt(max)}`;
  document.getElementById(`phase-${name}-text`).textContent = `${fmt(value)} of ${fmt(max)}`;
}

export function followProgress(id, onDone) {
  const bar = document.getElementById("progress-bar");
  const percent = document.getElementById("progress-percent");
  const statusLine = document.getElementById("progress-status");
  const out = (name) => document.getElementById(name);
  const samples = [];
  let finished = false;
  let source = null;
  let pollTimer = null;

  function render(s) {
    const value = Math.max(0, Math.min(100, s.progress_percent));
    bar.value = value;
    bar.textContent = `${fmt(value, 0)} %`;
    // after an update the bar counts its own work: the new films (the kept ones carried over)
    percent.textContent = s.carried_count
      ? `${fmt(value, 0)} % · ${fmt(s.import_enriched)} of ${fmt(s.import_total)} new films`
      : `${fmt(value, 0)} % · ${fmt(s.enriched_count)} of ${fmt(s.total_movies)} films`;
    out("count-enriched").textContent = fmt(s.enriched_count);
    out("count-total").textContent = fmt(s.total_movies);
    out("count-matched").textContent = fmt(s.matched_count);
    out("count-unmatched").textContent = fmt(s.unmatched_count);
    out("count-failed").textContent = fmt(s.failed_count);
    const now = performance.now();
    samples.push({ t: now, n: s.enriched_count });
    while (samples.length > 2 && now - samples[0].t > 10000) samples.shift();
    const first = samples[0];
    const elapsed = (now - first.t) / 1000;
    const rate = elapsed > 0.3 ? (s.enriched_count - first.n) / elapsed : NaN;
    out("count-rate").textContent = Number.isFinite(rate) && rate > 0 ? `${fmt(rate, 1)} films/s` : FINAL.has(s.status) ? "–" : "measuring…";
    const remaining = s.total_movies - s.enriched_count;
    out("count-eta").textContent = remaining <= 0 ? "done" : rate > 0 ? formatDuration(remaining / rate) : "estimating…";
    const words = { processing: "Reading your export…", enriching: "Matching films and fetching their details…", completed: "Done.", failed: "Stopped.", cancelled: "Cancelled: the films matched so far are kept." };
    statusLine.textContent = words[s.status] || `Status: ${s.status}`;
    phaseBar("watchlist", s.watchlist_enriched, s.watchlist_total);
    phaseBar("extras", s.extras_done, s.extras_total);
    if (FINAL.has(s.status)) finish(s);
  }

  const cancel = document.getElementById("cancel-button");
  if (cancel) {
    cancel.addEventListener("click", async () => {
      cancel.disabled = true;
      try {
        render(await api(`/api/session/${id}/cancel`, { method: "POST" }));
      } catch (error) {
        cancel.disabled = false;
        statusLine.textContent = error.message;
      }
    });
  }

  function finish(s) {
    if (finished) return;
    finished = true;
    if (cancel) cancel.hidden = true;
    if (source) source.close();
    if (pollTimer) clearTimeout(pollTimer);
    onDone(s);
  }

  function gone() {
    finished = true;
    if (source) source.close();
    if (pollTimer) clearTimeout(pollTimer);
    out("progress-title").textContent = readOnly() ? "This shared library is gone" : "This library was deleted";
    for (const name of ["progress-hint", "progress-figures", "cancel-row"]) out(name).hidden = true;
    statusLine.textContent = goneText();
    out("progress-gone").hidden = false;
  }

  async function poll() {
    if (finished) return;
    try {
      render(await api(`/api/session/${id}/status`));
    } catch (error) {
      if (error.status === 404) {
        gone();
        return;
      }
      statusLine.textContent = `Could not reach the server (${error.message}); retrying…`;
    }
    if (!finished) pollTimer = setTimeout(poll, 1000);
  }

  function listen() {
    if (!("EventSource" in window)) {
      poll();
      return;
    }
    source = new EventSource(`/api/session/${id}/events`);
    const handle = (event) => {
      try {
        render(JSON.parse(event.data));
      } catch {
        /* a malformed event: the next one or the poll will do */
      }
    };
    source.addEventListener("progress", handle);
    source.addEventListener("end", (event) => {
      source.close();
      let body = null;
      try {
        body = JSON.parse(event.data);
      } catch {
        /* the poll will tell */
      }
      if (body && body.error) {
        gone(); // the library was deleted meanwhile: nothing more will come
        return;
      }
      handle(event);
      if (!finished) poll();
    });
    source.addEventListener("error", () => {
      if (finished) return;
      source.close();
      poll();
    });
  }

  // First paint from /status at once, then the stream.
  api(`/api/session/${id}/status`).then(render, () => {}).finally(() => {
    if (!finished) listen();
  });
}
