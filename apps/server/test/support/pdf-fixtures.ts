/** Minimal hand-built PDFs for the text extractor: a Flate-compressed page with TJ arrays, and a ToUnicode font. */
import { deflateSync } from 'node:zlib';

function assemble(objects: (string | { dict: string; stream: Buffer })[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((o, i) => {
    offsets.push(length);
    const body = typeof o === 'string'
      ? Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1')
      : Buffer.concat([Buffer.from(`${i + 1} 0 obj\n${o.dict.replace('%LEN%', String(o.stream.length))}\nstream\n`, 'latin1'), o.stream, Buffer.from('\nendstream\nendobj\n', 'latin1')]);
    parts.push(body);
    length += body.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** One page, Helvetica, Flate content: `(Refund) Tj`, a TJ array with a kerning gap, an octal escape, a hex string. */
export function simplePdf(): Buffer {
  const content = deflateSync(Buffer.from(
    'BT /F1 12 Tf 72 720 Td (Refunds are paid) Tj 0 -14 Td [(within) -300 (14 days) ] TJ T* (Caf\\351 open) Tj T* <48656C6C6F> Tj ET',
    'latin1',
  ));
  return assemble([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< /Length %LEN% /Filter /FlateDecode >>', stream: content },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** One page whose font maps two-byte glyph ids to Unicode through a ToUnicode CMap (bfchar and bfrange). */
export function cmapPdf(): Buffer {
  const cmap = Buffer.from([
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    '2 beginbfchar <0001> <0048> <0002> <00E9> endbfchar',
    '1 beginbfrange <0010> <0012> <0061> endbfrange',
    'endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n'), 'latin1');
  const content = Buffer.from('BT /F7 10 Tf <0001001000110012> Tj 0 -12 Td <0002> Tj ET', 'latin1');
  return assemble([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /Resources << /Font << /F7 5 0 R >> >> /Contents 4 0 R >>',
    { dict: '<< /Length %LEN% >>', stream: content },
    '<< /Type /Font /Subtype /Type0 /BaseFont /Demo /Encoding /Identity-H /ToUnicode 6 0 R >>',
    { dict: '<< /Length %LEN% >>', stream: cmap },
  ]);
}

/** A PDF whose trailer says it is encrypted. */
export function encryptedPdf(): Buffer {
  return Buffer.concat([simplePdf(), Buffer.from('trailer\n<< /Encrypt 9 0 R >>\n', 'latin1')]);
}
