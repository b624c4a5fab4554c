import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chunkDocument, chunkMarkdown, chunkText } from '../src/index.ts';

test('plain text packs paragraphs up to max_chars', () => {
  const text = ['alpha '.repeat(10).trim(), 'beta '.repeat(10).trim(), 'gamma '.repeat(10).trim()].join('\n\n');
  const chunks = chunkText(text, { max_chars: 130 });
  assert.equal(chunks.length, 2);
  assert.ok(chunks[0]?.startsWith('alpha') && chunks[0].includes('beta'));
  assert.ok(chunks[1]?.startsWith('gamma'));
});

test('a paragraph longer than max_chars is split at sentence then word boundaries, never over the limit', () => {
  const long = Array.from({ length: 40 }, (_, i) => `Sentence number ${i} is here.`).join(' ') + ' ' + 'x'.repeat(300);
  const chunks = chunkText(long, { max_chars: 100 });
  assert.ok(chunks.length > 5);
  assert.ok(chunks.every((c) => c.length <= 100), JSON.stringify(chunks.map((c) => c.length)));
  assert.ok(chunks[0]?.endsWith('.'));
});

test('overlap repeats the tail of the previous chunk, within the limit', () => {
  const text = Array.from({ length: 12 }, (_, i) => `Paragraph ${i} talks about topic ${i}.`).join('\n\n');
  const chunks = chunkText(text, { max_chars: 120, overlap_chars: 30 });
  assert.ok(chunks.length > 2);
  assert.ok(chunks.every((c) => c.length <= 120));
  assert.ok(chunks[1]?.includes('topic'));
});

test('markdown is chunked by heading sections, with the heading trail, keeping code fences whole', () => {
  const md = [
    '# Guide',
    'Intro text.',
    '## Install',
    'Run the installer.',
    '```sh',
    'npm ci',
    '',
    'npm start',
    '```',
    '## Configure',
    'Set the port.',
    '# Other',
    'More.',
  ].join('\n');
  const chunks = chunkMarkdown(md, { max_chars: 400 });
  assert.deepEqual(chunks, [
    '# Guide\n\nIntro text.',
    '# Guide > ## Install\n\nRun the installer.\n\n```sh\nnpm ci\n\nnpm start\n```',
    '# Guide > ## Configure\n\nSet the port.',
    '# Other\n\nMore.',
  ]);
});

test('chunkDocument picks markdown chunking by media type', () => {
  assert.deepEqual(chunkDocument('# T\n\nbody', 'text/markdown'), ['# T\n\nbody']);
  assert.deepEqual(chunkDocument('# T\n\nbody', 'text/plain'), ['# T\n\nbody']);
  assert.deepEqual(chunkDocument('## A\nx\n## B\ny', 'text/markdown'), ['## A\n\nx', '## B\n\ny']);
  assert.deepEqual(chunkText(''), []);
});
