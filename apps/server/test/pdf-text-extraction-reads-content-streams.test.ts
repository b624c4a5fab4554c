import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { extractPdfText } from '../src/routes/pdf-text.ts';
import { cmapPdf, encryptedPdf, simplePdf } from './support/pdf-fixtures.ts';

test('text is read from Flate content streams: Tj, TJ with kerning gaps, escapes, hex strings and line moves', () => {
  assert.equal(extractPdfText(simplePdf()), 'Refunds are paid\nwithin 14 days\nCafé open\nHello');
});

test('two-byte glyph codes are mapped through the font ToUnicode CMap', () => {
  assert.equal(extractPdfText(cmapPdf()), 'Habc\né');
});

test('a browser-printed PDF (object streams, Identity-H fonts) yields its text', () => {
  const text = extractPdfText(readFileSync(new URL('./fixtures/refund-policy.pdf', import.meta.url)));
  assert.equal(text, 'Refund policy\nRefunds for damaged parcels are paid within 14 days. Café crème — ünïcödé.');
});

test('encrypted files and non-PDF bytes give null', () => {
  assert.equal(extractPdfText(encryptedPdf()), null);
  assert.equal(extractPdfText(Buffer.from('just some text')), null);
});
