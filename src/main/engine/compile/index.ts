export { compile, CompileError, type Compiled, type CompileOptions, type ModelOutput } from './compile';
export { INIT_NAMES, type InitChoice, type InitName } from './init';
export { nodeProbes, type NodeProbes } from './probes';
export { loadFromMemory, saveToMemory } from './artifacts';
