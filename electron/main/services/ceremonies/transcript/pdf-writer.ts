/**
 * A small PDF 1.4 writer without dependencies, for signed transcripts: A4 pages of word-wrapped
 * text lines in the standard fonts, rules, page breaks and a footer. Its output is a pure function
 * of what was written (no clock, no random id: /ID is a hash of the content), so a transcript's
 * PDF can be rendered again and compared byte for byte.
 */
import { createHash } from 'node:crypto';
import { PDF_FONTS, pdfLiteral, textWidth, type PdfFontName } from './pdf-fonts';

export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;
const MARGIN = 56;
const FOOTER_Y = 30;
const LINE_FACTOR = 1.3;

export interface TextStyle {
  font?: PdfFontName;
  size?: number;
  /** Points from the left margin. */
  indent?: number;
  /** Gray level 0 (black) .. 1 (white). */
  gray?: number;
  /** Extra space above the first line, in points (dropped at the top of a page). */
  spaceBefore?: number;
}

export interface PdfInfo {
  title: string;
  /** ISO 8601 time written as /CreationDate: taken from the document, never from the clock. */
  createdAt: string;
  /** The footer of each page, given its number (from 1) and the page count. */
  footer?: (page: number, pages: number) => string;
}

const num = (value: number): string => {
  const fixed = value.toFixed(2);
  return fixed.replace(/\.?0+$/, '') || '0';
};

/** Greedy word wrap: lines no wider than `maxWidth`; a word wider than a line is cut; leading spaces become a hanging indent. */
export function wrapText(text: string, font: PdfFontName, size: number, maxWidth: number): string[] {
  const measure = (value: string): number => textWidth(font, size, value);
  const lead = /^ */.exec(text)?.[0] ?? '';
  const body = text.slice(lead.length);
  if (body === '') return [''];
  const width = Math.max(maxWidth - measure(lead), maxWidth / 2);
  const lines: string[] = [];
  let line = '';
  for (const word of body.split(/ +/)) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (measure(joined) <= width) {
      line = joined;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    if (measure(line) > width) {
      const pieces = cutToWidth(line, font, size, width);
      line = pieces.pop() ?? '';
      lines.push(...pieces);
    }
  }
  if (line !== '') lines.push(line);
  return lines.map((wrapped) => lead + wrapped);
}

/** A word wider than a line in pieces that fit (at least one character each), measured once: values may be kilobytes long. */
function cutToWidth(word: string, font: PdfFontName, size: number, width: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const char of word) {
    const advance = textWidth(font, size, char);
    if (piece !== '' && used + advance > width) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += char;
    used += advance;
  }
  pieces.push(piece);
  return pieces;
}

export class PdfWriter {
  private readonly pages: string[][] = [];
  private y = 0;

  constructor() {
    this.newPage();
  }

  get contentWidth(): number {
    return A4_WIDTH - 2 * MARGIN;
  }

  /** Writes `text` (newlines start new lines), wrapped to the margins, breaking pages as needed. */
  text(text: string, style: TextStyle = {}): void {
    this.lines(text, style, null);
  }

  /** `text` as by text(), with `label` written at the left margin on the baseline of its first line. */
  labelled(label: string, labelStyle: TextStyle, text: string, style: TextStyle): void {
    this.lines(text, style, { text: label, style: labelStyle });
  }

  private lines(text: string, style: TextStyle, label: { text: string; style: TextStyle } | null): void {
    const font = style.font ?? 'Helvetica';
    const size = style.size ?? 10;
    const indent = style.indent ?? 0;
    const leading = size * LINE_FACTOR;
    if (style.spaceBefore && !this.atTop()) this.y -= style.spaceBefore;
    const lines = text.split('\n').flatMap((part) => wrapText(part, font, size, this.contentWidth - indent));
    lines.forEach((line, index) => {
      if (this.y - leading < MARGIN) this.newPage();
      this.y -= leading;
      const baseline = this.y + size * 0.25;
      if (index === 0 && label) this.draw(label.text, label.style, baseline);
      if (line.trim() !== '') this.draw(line, style, baseline);
    });
  }

  private draw(line: string, style: TextStyle, baseline: number): void {
    const resource = PDF_FONTS.find((entry) => entry.name === (style.font ?? 'Helvetica'))?.resource ?? 'F1';
    // The fill color belongs to the graphics state, which outlives BT/ET: every line sets its own.
    const gray = `${num(style.gray ?? 0)} g`;
    this.current().push(`BT ${gray} /${resource} ${num(style.size ?? 10)} Tf ${num(MARGIN + (style.indent ?? 0))} ${num(baseline)} Td ${pdfLiteral(line)} Tj ET`);
  }

  /** A thin horizontal line across the text width. */
  rule(spaceBefore = 4): void {
    if (this.y - spaceBefore - 6 < MARGIN) this.newPage();
    this.y -= spaceBefore;
    this.current().push(`q 0.6 G 0.5 w ${num(MARGIN)} ${num(this.y)} m ${num(A4_WIDTH - MARGIN)} ${num(this.y)} l S Q`);
    this.y -= 2;
  }

  space(points: number): void {
    if (!this.atTop()) this.y = Math.max(this.y - points, MARGIN);
  }

  /** Starts a new page unless `points` of room are left on this one (keeps a heading with what follows). */
  keepTogether(points: number): void {
    if (this.y - points < MARGIN && !this.atTop()) this.newPage();
  }

  pageBreak(): void {
    if (!this.atTop()) this.newPage();
  }

  get pageCount(): number {
    return this.pages.length;
  }

  /** The finished file. */
  build(info: PdfInfo): Buffer {
    const pageCount = this.pages.length;
    const fontIds = PDF_FONTS.map((_, index) => 3 + index);
    const infoId = 3 + PDF_FONTS.length;
    const firstPageId = infoId + 1;
    const pageIds = this.pages.map((_, index) => firstPageId + 2 * index);
    const objects: Buffer[] = [];
    const add = (body: string | Buffer): void => {
      objects.push(typeof body === 'string' ? Buffer.from(body, 'latin1') : body);
    };

    add('<< /Type /Catalog /Pages 2 0 R >>');
    add(`<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageCount} >>`);
    for (const font of PDF_FONTS) add(`<< /Type /Font /Subtype /Type1 /BaseFont /${font.name} /Encoding /WinAnsiEncoding >>`);
    add(`<< /Title ${utf16Hex(info.title)} /Producer (Keyward) /CreationDate (${pdfDate(info.createdAt)}) >>`);
    const fontResources = PDF_FONTS.map((font, index) => `/${font.resource} ${fontIds[index]} 0 R`).join(' ');
    this.pages.forEach((operators, index) => {
      const footer = info.footer?.(index + 1, pageCount);
      const stream = footer ? [...operators, `BT 0.4 g /F1 8 Tf ${num(MARGIN)} ${FOOTER_Y} Td ${pdfLiteral(footer)} Tj ET`] : operators;
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${num(A4_WIDTH)} ${num(A4_HEIGHT)}] ` +
          `/Resources << /Font << ${fontResources} >> >> /Contents ${(pageIds[index] ?? 0) + 1} 0 R >>`,
      );
      // Left uncompressed: deflate output differs between zlib builds (Node's, Electron's), and
      // VerifyCeremonyTranscript compares a PDF with the one rendered again byte for byte.
      const content = Buffer.from(stream.join('\n'), 'latin1');
      add(Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`, 'latin1'), content, Buffer.from('\nendstream', 'latin1')]));
    });
    return serialize(objects, infoId);
  }

  private atTop(): boolean {
    return this.y >= A4_HEIGHT - MARGIN;
  }

  private current(): string[] {
    return this.pages[this.pages.length - 1] ?? [];
  }

  private newPage(): void {
    this.pages.push([]);
    this.y = A4_HEIGHT - MARGIN;
  }
}

/** Header, numbered objects, cross-reference table with their byte offsets, trailer. */
function serialize(objects: readonly Buffer[], infoId: number): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let offset = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(offset);
    const object = Buffer.concat([Buffer.from(`${index + 1} 0 obj\n`, 'latin1'), body, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(object);
    offset += object.length;
  });
  const id = createHash('sha256').update(Buffer.concat(parts)).digest('hex').slice(0, 32);
  const xref = ['xref', `0 ${objects.length + 1}`, '0000000000 65535 f ', ...offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n `)].join('\n');
  const trailer = `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${infoId} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${offset}\n%%EOF\n`;
  parts.push(Buffer.from(`${xref}\n${trailer}`, 'latin1'));
  return Buffer.concat(parts);
}

/** A PDF text string in UTF-16BE with its byte order mark: any title survives exactly. */
function utf16Hex(text: string): string {
  let hex = 'FEFF';
  for (let index = 0; index < text.length; index += 1) hex += text.charCodeAt(index).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** `D:YYYYMMDDHHmmSSZ` from an ISO 8601 UTC time (an unreadable one gives the epoch rather than the clock). */
function pdfDate(iso: string): string {
  const time = new Date(iso);
  const valid = Number.isNaN(time.getTime()) ? new Date(0) : time;
  const digits = valid.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `D:${digits}Z`;
}
