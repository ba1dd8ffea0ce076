/**
 * The library's public entry.
 * Takes: nothing. Gives: `analyze(text, options)`, the renderers, the model's types and
 * the building blocks a tool may want on their own (ingest, detection, rule packs,
 * signature).
 */
export { analyze, isError, type AnalyzeOptions } from './analyze.js';
export * from './model.js';
export { renderText, type TextOptions } from './render/text.js';
export { renderMarkdown } from './render/markdown.js';
export { renderJson } from './render/json.js';
export { clean } from './ingest/clean.js';
export { detect } from './detect.js';
export { FORMATS } from './formats/index.js';
export { loadPacks, compileRules, defaultRules } from './rules/load.js';
export { makeSignature, SIGNATURE_VERSION } from './signature/signature.js';
export { normalizeFunction } from './signature/normalize.js';
export { kindForClass, KIND_TABLE } from './diagnose/kind-table.js';
export { buildContext } from './context/index.js';
