import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { buildLabBridge } from './bridge';

contextBridge.exposeInMainWorld('lab', buildLabBridge(ipcRenderer, webUtils));
