import electron from 'electron';
import { createApp } from './app';
import { defaultDeps } from './deps';

createApp(electron, defaultDeps());
