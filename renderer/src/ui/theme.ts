import type { GlobalThemeOverrides } from 'naive-ui';

/** Calm, dense, light: a tool for a ceremony room, not a landing page. System fonts only (no network). */
// i18n-exempt: font names
export const FONT_MONO = 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace';

/** Text colours that keep 4.5:1 (WCAG AA) on white, on the page's #f5f6f8 and on a tag's tint. */
const MUTED_TEXT = {
  success: '#0b6b3a',
  warning: '#8a5300',
  error: '#b0203f',
  info: '#1559b0',
  /** Secondary text (hints, counts, subtitles). */
  secondary: '#5c6773',
};

export const themeOverrides: GlobalThemeOverrides = {
  common: {
    // i18n-exempt: font names
    fontFamily: 'system-ui, "Segoe UI", "DejaVu Sans", "Liberation Sans", Roboto, Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif',
    fontFamilyMono: FONT_MONO,
    fontSize: '13px',
    fontSizeMedium: '13px',
    primaryColor: '#2b5f86',
    primaryColorHover: '#367299',
    primaryColorPressed: '#224c6b',
    primaryColorSuppl: '#367299',
    borderRadius: '4px',
    bodyColor: '#f5f6f8',
  },
  Layout: { headerColor: '#ffffff', siderColor: '#ffffff' },
  // Naive's tag texts are the bright status colours on a 12 % tint of themselves (2:1 to 3.4:1):
  // darker shades of the same hues reach WCAG AA (4.5:1) on the tint over white and over the page.
  Tag: {
    textColorSuccess: MUTED_TEXT.success,
    textColorWarning: MUTED_TEXT.warning,
    textColorError: MUTED_TEXT.error,
    textColorInfo: MUTED_TEXT.info,
  },
  // Finished and waiting steps, and empty states, use Naive's disabled grey (about 2.5:1): they are read, not disabled.
  Steps: {
    headerTextColorWait: MUTED_TEXT.secondary,
    headerTextColorFinish: MUTED_TEXT.secondary,
    descriptionTextColorWait: MUTED_TEXT.secondary,
    descriptionTextColorFinish: MUTED_TEXT.secondary,
  },
  Empty: { textColor: MUTED_TEXT.secondary },
  DataTable: { thPaddingSmall: '6px 8px', tdPaddingSmall: '5px 8px' },
};
