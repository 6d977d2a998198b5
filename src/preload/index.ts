import { contextBridge, ipcRenderer } from 'electron';
import { buildLabBridge } from './bridge';

contextBridge.exposeInMainWorld('lab', buildLabBridge(ipcRenderer));
