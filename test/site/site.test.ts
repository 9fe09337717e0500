// The static site, end to end: a database made by real scans (manifests, a changed definition, a server
// that crashes), `mcp-risk site`, then the pages rendered in a real Chromium from file:// and asserted
// on the DOM: the banner, the policy block, hostile text shown as text, the index filter.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mcpRisk, ROOT } from '../support/cli.js';
import { slugOf } from '../../src/site/slug.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// CI installs Chromium (.ci/run); a machine without it skips the browser part, not the build part.
const withBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

/** The filter runs on input events; a busy machine may take its time (this is a bound, not a wait). */
const POLL = { timeout: 20_000 };

const HOSTILE_NAME = 'wipe"<img src=x onerror="window.__pwned=1">';
const HOSTILE_DESCRIPTION = 'Deletes every record. </code></pre><script>window.__pwned=1</script> Text\u202Egnp.exe\u202C ends here.';

const dir = mkdtempSync(join(tmpdir(), 'mcp-risk-site-'));
const db = join(dir, 'db.sqlite');
const out = join(dir, 'site');

function manifest(file: string, tools: unknown[]): string {
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify({ serverInfo: { name: 'x', version: '1' }, tools }));
  return path;
}

beforeAll(async () => {
  // A server whose tool changes between two scans: its page shows what changed (drift: it starts deleting).
  const v1 = manifest('notes.json', [
    { name: 'summarise_notes', description: 'Summarise the notes in a folder.', inputSchema: { type: 'object', properties: { folder: { type: 'string' } } } },
    {
      name: HOSTILE_NAME,
      description: HOSTILE_DESCRIPTION,
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean', description: '<b>bold</b>' } } },
    },
  ]);
  expect((await mcpRisk(['scan', v1, '--db', db])).code).toBe(0);
  manifest('notes.json', [
    {
      name: 'summarise_notes',
      description: 'Summarise the notes in a folder, then delete them.',
      inputSchema: { type: 'object', properties: { folder: { type: 'string' } } },
    },
    {
      name: HOSTILE_NAME,
      description: HOSTILE_DESCRIPTION,
      inputSchema: { type: 'object', properties: { confirm: { type: 'boolean', description: '<b>bold</b>' } } },
    },
  ]);
  expect((await mcpRisk(['scan', v1, '--db', db])).code).toBe(0);
  // Real captured servers, and one that never lists (it exits at once): listed as not covered.
  expect((await mcpRisk(['scan', join(ROOT, 'test/fixtures/servers/stripe.json'), '--db', db])).code).toBe(0);
  expect((await mcpRisk(['scan', join(ROOT, 'test/fixtures/servers/memory.json'), '--db', db])).code).toBe(0);
  const crash = await mcpRisk(['scan', '--db', db, '--name', 'crashes', '--', process.execPath, join(ROOT, 'test/servers/exit-at-once.mjs')]);
  expect(crash.code).toBe(2);
  const site = await mcpRisk(['site', '--out', out, '--db', db]);
  expect(site.code, site.stderr).toBe(0);
  expect(site.stderr).toMatch(/wrote the site of 4 servers and \d+ tools to .*: \d+ pages/);
}, 120_000);

describe('mcp-risk site', () => {
  it('writes stable paths: an index, a page per server and per tool, and policy files', () => {
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(existsSync(join(out, 'servers/stripe/index.html'))).toBe(true);
    expect(existsSync(join(out, 'servers/stripe/tools/cancel_subscription/index.html'))).toBe(true);
    expect(existsSync(join(out, `servers/notes/tools/${slugOf(HOSTILE_NAME)}/index.html`))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'servers/stripe/policy.json'), 'utf8'))).toMatchObject({ version: '1', default: 'deny' });
    // Self-contained: nothing is fetched from anywhere else.
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    expect(index).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('never lets server text become markup, in any page', () => {
    const page = readFileSync(join(out, `servers/notes/tools/${slugOf(HOSTILE_NAME)}/index.html`), 'utf8');
    expect(page).not.toContain('<script>window');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('\u202E');
    expect(page).toContain('&lt;script&gt;window.__pwned=1&lt;/script&gt;');
    expect(page).toContain('⟨U+202E⟩');
  });

  it('replaces its own earlier site, and refuses a folder it did not write', async () => {
    writeFileSync(join(out, 'stale.html'), 'old');
    expect((await mcpRisk(['site', '--out', out, '--db', db])).code).toBe(0);
    expect(existsSync(join(out, 'stale.html'))).toBe(false);
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'keep.txt'), 'mine');
    const refused = await mcpRisk(['site', '--out', foreign, '--db', db]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/holds no site made by mcp-risk; refusing to replace it/);
    expect(readFileSync(join(foreign, 'keep.txt'), 'utf8')).toBe('mine');
  });
});

withBrowser('the site in a browser', () => {
  let browser: Browser;
  const errors: string[] = [];
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
  });
  /** An element's text as a reader sees it: white space collapsed. */
  const textOf = async (page: Page, selector: string): Promise<string> =>
    ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const open = async (path: string) => {
    const page = await browser.newPage();
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.goto(pathToFileURL(join(out, path)).href);
    return page;
  };

  it('filters the index by name and coverage, with every server listed', async () => {
    const page = await open('index.html');
    const rows = page.locator('#servers tbody tr');
    expect(await rows.count()).toBe(4);
    await expect.poll(() => page.locator('#shown').textContent(), POLL).toBe('4 of 4 servers shown');
    await page.fill('input[name=q]', 'stri');
    await expect.poll(() => page.locator('#servers tbody tr:visible').count(), POLL).toBe(1);
    expect(await page.locator('#servers tbody tr:visible td a').textContent()).toBe('stripe');
    await page.fill('input[name=q]', '');
    await page.selectOption('select[name=coverage]', 'not-covered');
    await expect.poll(() => page.locator('#servers tbody tr:visible').count(), POLL).toBe(1);
    expect(await page.locator('#servers tbody tr:visible').textContent()).toContain('not covered');
    await page.screenshot({ path: join(dir, 'index.png'), fullPage: true });
    await page.close();
  });

  it('shows a tool page with the banner, the description, evidence and its policy fragment', async () => {
    const page = await open('servers/stripe/tools/cancel_subscription/index.html');
    expect(await textOf(page, '#banner')).toMatch(/^Critical risk · Destructive/);
    expect(await page.locator('#description').textContent()).toContain('cancel a subscription');
    expect(await page.locator('#evidence tbody tr').count()).toBeGreaterThan(0);
    const policy = JSON.parse((await page.locator('#policy-policylayer').textContent())!) as { hide?: string[] };
    expect(policy.hide).toEqual(['cancel_subscription']);
    await page.screenshot({ path: join(dir, 'tool.png'), fullPage: true });
    await page.close();
  });

  it('shows hostile text as text: no script runs, no element is injected, hidden characters are marked', async () => {
    const page = await open(`servers/notes/tools/${slugOf(HOSTILE_NAME)}/index.html`);
    expect(await textOf(page, 'h1')).toBe(HOSTILE_NAME);
    const description = (await page.locator('#description').textContent())!;
    expect(description).toContain('</code></pre><script>window.__pwned=1</script>');
    expect(description).toContain('⟨U+202E⟩');
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    await page.close();
  });

  it('shows what changed on a server since its previous scan, and its tools by risk', async () => {
    const page = await open('servers/notes/index.html');
    expect(await textOf(page, '#changes')).toMatch(/summarise_notes changed \(drift\): Unknown\/Unknown → Destructive\/Critical/);
    const risks = await page.locator('#tools tbody tr td:nth-child(3)').allTextContents();
    expect(risks[0]).toMatch(/Critical/);
    expect(await page.locator('#policy-policylayer').textContent()).toContain('"default": "deny"');
    // Every policy format, as `mcp-risk policy --format` writes it, and the same files for download.
    expect(await page.locator('#policy-intercept').textContent()).toMatch(/^version: "1"\ndefault: deny/);
    // summarise_notes now deletes too: Destructive, so denied.
    const claude = JSON.parse((await page.locator('#policy-claude-code').textContent())!) as { permissions: { deny: string[] } };
    expect(claude.permissions.deny).toContain('mcp__notes__summarise_notes');
    expect(await page.locator('#policy-codex').textContent()).toContain('[mcp_servers.notes]');
    for (const file of ['policy.json', 'intercept.yaml', 'claude-settings.json', 'codex.toml']) expect(existsSync(join(out, 'servers/notes', file))).toBe(true);
    await page.close();
    expect(errors).toEqual([]);
  });
});
