export type { Report } from './report.js';
export { renderJson, jsonReport, JSON_FORMAT_VERSION } from './json.js';
export { renderSarif, sarifLog } from './sarif.js';
export { renderMarkdown, DEFAULT_MARKDOWN_MAX_CHARS } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { renderText } from './text.js';
export type { TextOptions } from './text.js';
