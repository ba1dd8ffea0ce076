// The measurement both benches make in their child processes (bench/run.mjs, runtimes.mjs).
// Takes: the built modules and one input buffer. Gives: the first (cold) run's time and peak
// RSS, then the best wall and best CPU time of BENCH_RUNS warm runs (default: enough to read ~60 MB, 3 to 20), each after a full GC (a
// CLI run never collects an earlier run's garbage; on a shared machine CPU time is the
// steadier figure, and it counts V8's GC helper threads), and where the CPU time goes, best
// of as many rounds: clean, the trigger pass as detect does it, each format's find (formats
// whose triggers are absent are skipped, as detect skips them), detect's own merging, and
// the rest of analyze (roles, diagnosis, signature: the best analyze minus the best clean
// and detect, so it also holds GC). Needs node --expose-gc for the GCs.
export async function measure(dist, buf, { stagesWanted = true } = {}) {
  const { analyze } = await import(dist + '/analyze.js');
  const cleanMod = await import(dist + '/ingest/clean.js');
  const { FORMATS } = await import(dist + '/formats/index.js');
  const { detect } = await import(dist + '/detect.js');
  const messagesMod = await import(dist + '/formats/messages.js');
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const gc = globalThis.gc ?? (() => {});
  gc();
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const a = analyze(buf);
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  // Enough warm runs to read about 60 MB (3 to 20): a small input (the 1.6 MB goroutine
  // dump) is still being optimised after three runs of a few milliseconds each.
  const RUNS = Number(process.env.BENCH_RUNS ?? Math.min(20, Math.max(3, Math.ceil(60e6 / buf.length))));
  let bestMs = ms, bestCpu = Infinity;
  for (let r = 0; r < RUNS; r++) {
    gc();
    const c = cpu(), t = performance.now();
    analyze(buf);
    bestMs = Math.min(bestMs, performance.now() - t);
    bestCpu = Math.min(bestCpu, cpu() - c);
  }
  const stages = {};
  if (stagesWanted) {
    const best = (k, v) => { stages[k] = Math.min(stages[k] ?? Infinity, v); };
    const triggers = [...FORMATS.flatMap((f) => f.triggers ?? []), ...(messagesMod.MESSAGE_MARKERS ?? [])];
    for (let r = 0; r < Math.max(1, RUNS); r++) {
      gc();
      let t = cpu();
      const doc = cleanMod.clean(buf);
      best('clean', cpu() - t);
      let finds = 0;
      t = cpu();
      cleanMod.prefetchRaw(doc, triggers);
      let v = cpu() - t;
      finds += v;
      best('triggers', v);
      for (const f of FORMATS) {
        if (f.triggers && !f.triggers.some((s) => cleanMod.rawIncludes(doc, s))) continue;
        t = cpu();
        f.find(doc);
        v = cpu() - t;
        finds += v;
        best(f.id, v);
      }
      t = cpu();
      detect(doc);
      const det = cpu() - t;
      best('detect', det);
      best('detect (own)', Math.max(0, det - finds));
    }
    stages['rest (incl. GC)'] = Math.max(0, bestCpu - stages.clean - stages.detect);
    delete stages.detect;
  }
  return { a, bytes: buf.length, ms, bestMs, bestCpu, peak, before, stages };
}
