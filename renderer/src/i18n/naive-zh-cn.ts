/** Naive UI's Chinese strings and date-fns locale: a chunk of their own, loaded when zh-CN is chosen. */
export { zhCN as locale, dateZhCN as dateLocale } from 'naive-ui';
