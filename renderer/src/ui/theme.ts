import type { GlobalThemeOverrides } from 'naive-ui';

/** Calm, dense, light: a tool for a ceremony room, not a landing page. System fonts only (no network). */
export const FONT_MONO = 'ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace';

export const themeOverrides: GlobalThemeOverrides = {
  common: {
    fontFamily: 'system-ui, "Segoe UI", "DejaVu Sans", "Liberation Sans", Roboto, Arial, sans-serif',
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
  DataTable: { thPaddingSmall: '6px 8px', tdPaddingSmall: '5px 8px' },
};
