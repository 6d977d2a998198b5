import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/base.css';
import './styles/theme.css';
import './styles/app.css';
import './styles/editor.css';
import { App } from './App';
import { connectLab, type LabClient } from './transport';

async function start(): Promise<void> {
  let lab: LabClient | null = null;
  let error: string | undefined;
  try {
    lab = await connectLab();
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App lab={lab} connectError={error} />
    </StrictMode>,
  );
}

void start();
