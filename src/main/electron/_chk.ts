import electron from 'electron';
import type { ElectronLike } from './types';
const x: ElectronLike['app'] = electron.app;
void x;
