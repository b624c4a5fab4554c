/**
 * CPU profile of one editor gesture (not a test; a tool for finding where a slow frame goes):
 * `node --import tsx apps/studio/bench/profile-gesture.ts --dist DIR [--nodes 5000] [--gesture zoom-in|pan|open|settle]`.
 * Serve an unminified build (`npx vite build --minify false --outDir DIR` in apps/studio) to read function names.
 * Prints the functions with the most self time (V8 sampling profiler through CDP) during the gesture.
 */
import { launchBrowser } from '../e2e/support/browser.ts';
import { bigFlowchart } from './bench-documents.ts';
import { startBenchServer } from './bench-server.ts';

const str = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const NODES = Number(str('nodes') ?? 5000);
const GESTURE = str('gesture') ?? 'zoom-in';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }

const server = await startBenchServer(str('dist'));
const browser = await launchBrowser();
try {
  await server.api('POST', '/api/models', { name: 'm', provider: 'scripted', model: 'scripted', settings: { responses: [{ output: 'ok' }] } });
  const f = await server.api<{ id: string }>('POST', '/api/flowcharts', bigFlowchart('m', NODES, Math.max(10, Math.round(NODES / 100))));
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: 'globalThis.__name ??= (f) => f;' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  if (GESTURE === 'open' || GESTURE === 'settle') await cdp.send('Profiler.start');
  await page.goto(`/flowcharts/${f.id}`);
  await page.locator('.react-flow__node').first().waitFor();
  await page.locator('[data-testid="validation-status"][data-valid]').waitFor();
  const wheel = (dy: number, n: number) =>
    page.evaluate(([dy, n]) => new Promise<void>((resolve) => {
      const pane = document.querySelector<HTMLElement>('.react-flow__pane')!;
      const r = pane.getBoundingClientRect();
      let i = 0;
      const tick = (): void => {
        if (i++ >= n) return resolve();
        pane.dispatchEvent(new WheelEvent('wheel', { bubbles: true, cancelable: true, view: window, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2, deltaY: dy, deltaMode: 0 }));
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    }), [dy, n] as [number, number]);
  if (GESTURE === 'settle') {
    // The open and what follows it: the batched size flush (a quiet second after the last node measured).
    await page.waitForTimeout(2500);
  } else if (GESTURE === 'zoom-in') {
    await wheel(100, 20);
    await cdp.send('Profiler.start');
    await wheel(-100, 20);
  } else if (GESTURE === 'pan') {
    await cdp.send('Profiler.start');
    await page.mouse.move(900, 450);
    await page.mouse.down();
    for (let i = 0; i < 60; i++) await page.mouse.move(900 - i * 12, 450);
    await page.mouse.up();
  }
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] } };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const n = byId.get(id)!;
    const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(k, (self.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.entries()].filter(([k]) => !k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0);
  process.stdout.write(`total non-idle ${(total / 1000).toFixed(1)} ms\n`);
  for (const [k, v] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 40)) process.stdout.write(`${(v / 1000).toFixed(1).padStart(8)} ms  ${k}\n`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
