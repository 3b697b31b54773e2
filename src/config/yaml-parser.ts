// The parts of the yaml package the config loader uses, in a module of its own: it is loaded only
// when a config file is read, and (yaml being CommonJS) named imports here keep working when the
// build bundles it into a chunk, where a dynamic import of the package would see only its default.
export { isNode, LineCounter, parseDocument } from 'yaml';
