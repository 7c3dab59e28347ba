/**
 * The dependency-free PDF writer: a well-formed file (every xref offset lands on its object, the
 * trailer's startxref on the table), the same bytes for the same content (no clock, /ID from the
 * content), strings escaped and encoded as WinAnsi, lines wrapped within the margins by the font
 * widths, and pages broken when they fill.
 */
import { describe, expect, it, vi } from 'vitest';
import { textWidth } from '../../../electron/main/services/ceremonies/transcript/pdf-fonts';
import { A4_HEIGHT, PdfWriter, wrapText, type PdfInfo } from '../../../electron/main/services/ceremonies/transcript/pdf-writer';
import { renderTranscriptPdf } from '../../../electron/main/services/ceremonies/transcript/transcript-pdf';
import { sampleTranscript } from '../../support/ceremony-transcript-sample';

const INFO: PdfInfo = { title: 'Transcript – test', createdAt: '2026-12-01T10:12:44.000Z', footer: (page, pages) => `page ${page} of ${pages}` };

function pdfOf(write: (pdf: PdfWriter) => void): Buffer {
  const pdf = new PdfWriter();
  write(pdf);
  return pdf.build(INFO);
}

/** The content streams, in object order (one per page). */
function contentStreams(file: Buffer): string[] {
  const streams: string[] = [];
  const text = file.toString('latin1');
  const pattern = /<< \/Length (\d+) >>\nstream\n/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index + match[0].length;
    const length = Number(match[1]);
    expect(text.slice(start + length, start + length + 10)).toBe('\nendstream');
    streams.push(file.subarray(start, start + length).toString('latin1'));
  }
  return streams;
}

/** Text operands of Tj, as written in the stream (escapes kept). */
function shownStrings(stream: string): string[] {
  return [...stream.matchAll(/Td \(((?:\\.|[^\\)])*)\) Tj/g)].map((match) => match[1] ?? '');
}

describe('the file structure', () => {
  const file = pdfOf((pdf) => {
    pdf.text('Hello', { font: 'Helvetica-Bold', size: 14 });
    for (let line = 0; line < 120; line += 1) pdf.text(`line ${line}`, { font: line % 2 ? 'Courier' : 'Helvetica' });
  });
  const text = file.toString('latin1');

  it('starts with the PDF 1.4 header and ends with the trailer', () => {
    expect(text.startsWith('%PDF-1.4\n%')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
  });

  it('has a cross-reference table whose every offset points at its object', () => {
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)?.[1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const header = /^xref\n0 (\d+)\n/.exec(text.slice(startxref));
    const size = Number(header?.[1]);
    expect(size).toBeGreaterThan(8);
    const entries = text.slice(startxref + (header?.[0].length ?? 0)).split('\n').slice(0, size);
    expect(entries[0]).toBe('0000000000 65535 f ');
    for (let id = 1; id < size; id += 1) {
      const entry = entries[id] ?? '';
      // Each entry is exactly 20 bytes with its end of line.
      expect(entry).toMatch(/^\d{10} 00000 n $/);
      const offset = Number(entry.slice(0, 10));
      expect(text.slice(offset, offset + `${id} 0 obj\n`.length)).toBe(`${id} 0 obj\n`);
    }
    expect(text).toContain(`/Size ${size} /Root 1 0 R`);
  });

  it('declares the three standard fonts in WinAnsiEncoding and A4 pages', () => {
    for (const font of ['Helvetica', 'Helvetica-Bold', 'Courier']) {
      expect(text).toContain(`<< /Type /Font /Subtype /Type1 /BaseFont /${font} /Encoding /WinAnsiEncoding >>`);
    }
    expect(text).toContain('/MediaBox [0 0 595.28 841.89]');
  });

  it('breaks pages when they fill, each page its own compressed stream with its footer', () => {
    const streams = contentStreams(file);
    expect(streams.length).toBeGreaterThan(1);
    expect(text).toContain(`/Count ${streams.length}`);
    expect(shownStrings(streams[0] ?? '')).toContain('Hello');
    expect(shownStrings(streams[1] ?? '')).toContain(`page 2 of ${streams.length}`);
    const lines = streams.flatMap(shownStrings).filter((shown) => shown.startsWith('line '));
    expect(lines).toEqual(Array.from({ length: 120 }, (_, line) => `line ${line}`));
    // No baseline below the bottom margin or above the top one.
    for (const stream of streams) {
      for (const match of stream.matchAll(/Tf [\d.]+ ([\d.]+) Td/g)) {
        const y = Number(match[1]);
        expect(y).toBeGreaterThanOrEqual(30);
        expect(y).toBeLessThan(A4_HEIGHT - 56);
      }
    }
  });

  it('writes /Info from the document: the title in UTF-16 and the given creation date', () => {
    expect(text).toContain('/Title <FEFF005400720061006E0073006300720069007000740020201300200074006500730074>');
    expect(text).toContain('/CreationDate (D:20261201101244Z)');
  });
});

describe('deterministic bytes', () => {
  it('gives the same bytes for the same content, whenever it is built', () => {
    const write = (pdf: PdfWriter): void => pdf.text('The same text', { size: 11 });
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
      const first = pdfOf(write);
      vi.setSystemTime(new Date('2031-06-15T12:30:00Z'));
      expect(pdfOf(write).equals(first)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('derives /ID from the content: other content, other id', () => {
    const idOf = (file: Buffer): string => /\/ID \[<([0-9a-f]{32})> <\1>\]/.exec(file.toString('latin1'))?.[1] ?? '';
    const one = idOf(pdfOf((pdf) => pdf.text('one')));
    const two = idOf(pdfOf((pdf) => pdf.text('two')));
    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(two).toMatch(/^[0-9a-f]{32}$/);
    expect(one).not.toBe(two);
  });

  it('renders one transcript to the same bytes twice, and a changed one differently', () => {
    const first = renderTranscriptPdf(sampleTranscript());
    expect(renderTranscriptPdf(sampleTranscript()).equals(first)).toBe(true);
    const changed = sampleTranscript();
    changed.Ceremony.StartedBy = 'mallory';
    expect(renderTranscriptPdf(changed).equals(first)).toBe(false);
  });
});

describe('strings', () => {
  it('escapes parentheses and backslashes', () => {
    const [stream] = contentStreams(pdfOf((pdf) => pdf.text('a (b) \\ c)')));
    expect(stream).toContain('(a \\(b\\) \\\\ c\\)) Tj');
  });

  it('encodes Latin-1 and the WinAnsi marks as single bytes and anything else as ?', () => {
    const [stream] = contentStreams(pdfOf((pdf) => pdf.text('café – it’s 鍵\u0007')));
    expect(shownStrings(stream ?? '')[0]).toBe('caf\xe9 \x96 it\x92s ??');
  });
});

describe('word wrap', () => {
  const sentence = 'The administrator shows the tamper-evident bag numbers of the HSM and the laptop to the witnesses, who compare them with the sheet.';

  it('keeps every line within the width by the font metrics, and every word', () => {
    for (const font of ['Helvetica', 'Helvetica-Bold', 'Courier'] as const) {
      const lines = wrapText(sentence, font, 10, 200);
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(textWidth(font, 10, line)).toBeLessThanOrEqual(200);
      expect(lines.join(' ')).toBe(sentence);
    }
  });

  it('measures Helvetica by its widths and Courier as fixed', () => {
    expect(textWidth('Courier', 10, 'iiii')).toBe(24);
    expect(textWidth('Helvetica', 10, 'iiii')).toBeCloseTo(8.88);
    expect(textWidth('Helvetica', 10, 'WWWW')).toBeCloseTo(37.76);
    expect(textWidth('Helvetica-Bold', 10, 'a')).toBeGreaterThan(textWidth('Helvetica', 10, 'i'));
  });

  it('cuts a word longer than a line, and keeps a leading indent on every line', () => {
    const digest = 'ab'.repeat(40);
    const cut = wrapText(digest, 'Courier', 10, 300);
    expect(cut.length).toBe(2);
    expect(cut.join('')).toBe(digest);
    for (const line of cut) expect(textWidth('Courier', 10, line)).toBeLessThanOrEqual(300);
    const indented = wrapText(`    "Description": "${sentence}"`, 'Courier', 8, 250);
    expect(indented.length).toBeGreaterThan(2);
    for (const line of indented) expect(line.startsWith('    ') && !line.startsWith('     ')).toBe(true);
  });
});

describe('long values', () => {
  it('cuts a value of many kilobytes without spaces quickly and without losing a character', () => {
    const value = 'x'.repeat(64 * 1024);
    const started = Date.now();
    const lines = wrapText(value, 'Courier', 8, 400);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(lines.join('')).toBe(value);
    expect(lines.every((line) => line.length === 83 || line === lines[lines.length - 1])).toBe(true);
  });
});
