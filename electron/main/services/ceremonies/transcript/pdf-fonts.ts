/**
 * The three standard Type1 fonts a transcript uses (every PDF reader has them, nothing embedded),
 * their WinAnsiEncoding and the Adobe AFM advance widths that word wrapping measures with.
 */

export type PdfFontName = 'Helvetica' | 'Helvetica-Bold' | 'Courier';

/** Resource names in each page's /Font dictionary, in object order. */
export const PDF_FONTS: readonly { name: PdfFontName; resource: string }[] = [
  { name: 'Helvetica', resource: 'F1' },
  { name: 'Helvetica-Bold', resource: 'F2' },
  { name: 'Courier', resource: 'F3' },
];

// Widths in 1/1000 em of the WinAnsi codes 32..126 (AFM files of the Adobe Core 14 fonts).
// prettier-ignore
const HELVETICA: readonly number[] = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
// prettier-ignore
const HELVETICA_BOLD: readonly number[] = [
  278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
  975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
  333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
  611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
];
const COURIER_WIDTH = 600;
/**
 * Codes above 126 (accented letters, the typographic marks below): most are narrower than this,
 * a few (em dash, ellipsis, Æ) wider; over-measuring only wraps a line a little early.
 */
const FALLBACK_WIDTH = 667;
const WIDE_MARKS = new Map<number, number>([
  [0x85, 1000], // ellipsis
  [0x97, 1000], // em dash
]);

/** Typographic characters outside Latin-1 that WinAnsiEncoding still has (else they would print as '?'). */
const WIN_ANSI_EXTRAS = new Map<string, number>([
  ['\u20ac', 0x80],
  ['\u2026', 0x85],
  ['\u2018', 0x91],
  ['\u2019', 0x92],
  ['\u201c', 0x93],
  ['\u201d', 0x94],
  ['\u2022', 0x95],
  ['\u2013', 0x96],
  ['\u2014', 0x97],
]);

/**
 * The text as WinAnsi codes, one per character: printable Latin-1 as itself, the marks above at
 * their WinAnsi codes, a tab as a space, anything else (controls, other scripts) as '?'.
 */
export function toWinAnsi(text: string): number[] {
  const codes: number[] = [];
  for (const char of text) {
    const point = char.codePointAt(0) ?? 0x3f;
    if ((point >= 0x20 && point <= 0x7e) || (point >= 0xa0 && point <= 0xff)) codes.push(point);
    else if (point === 0x09) codes.push(0x20);
    else codes.push(WIN_ANSI_EXTRAS.get(char) ?? 0x3f);
  }
  return codes;
}

function codeWidth(font: PdfFontName, code: number): number {
  if (font === 'Courier') return COURIER_WIDTH;
  if (code >= 32 && code <= 126) return (font === 'Helvetica' ? HELVETICA : HELVETICA_BOLD)[code - 32] ?? FALLBACK_WIDTH;
  return WIDE_MARKS.get(code) ?? FALLBACK_WIDTH;
}

/** Advance width of `text` in points at `size`. */
export function textWidth(font: PdfFontName, size: number, text: string): number {
  let units = 0;
  for (const code of toWinAnsi(text)) units += codeWidth(font, code);
  return (units * size) / 1000;
}

/** A PDF literal string `( ... )` of the text in WinAnsi bytes (latin1), with ( ) \ escaped. */
export function pdfLiteral(text: string): string {
  let out = '(';
  for (const code of toWinAnsi(text)) {
    if (code === 0x28 || code === 0x29 || code === 0x5c) out += '\\';
    out += String.fromCharCode(code);
  }
  return `${out})`;
}
