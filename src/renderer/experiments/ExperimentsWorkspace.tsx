import { memo, useEffect } from 'react';
import { useEditor } from '../app/context';
import { Empty } from '../dashboards/chartKit';
import { GuidedDetail, SavedDetail } from './Detail';
import { Gallery } from './Gallery';
import { SaveExperimentDialog } from './SaveDialog';
import { experimentsStoreFor, useExperimentsState, type ExperimentsStore } from './store';
import '../dashboards/dashboards.css';
import './experiments.css';

function Workspace({ store }: { store: ExperimentsStore }) {
  const view = useExperimentsState(store, (s) => s.view);
  const saving = useExperimentsState(store, (s) => s.saving);
  useEffect(() => {
    void store.load();
  }, [store]);
  return (
    <div className="exp-ws" data-testid="experiments-workspace">
      {view.kind === 'gallery' ? (
        <Gallery store={store} />
      ) : view.kind === 'builtin' ? (
        <GuidedDetail store={store} id={view.id} />
      ) : (
        <SavedDetail store={store} id={view.id} />
      )}
      {saving && <SaveExperimentDialog store={store} onClose={() => store.setSaving(false)} />}
    </div>
  );
}

function ExperimentsWorkspaceView() {
  const { lab } = useEditor();
  if (!lab) return <Empty height={240}>Experiments need a host: start the desktop app or `npm run cli -- serve`.</Empty>;
  return <Workspace store={experimentsStoreFor(lab)} />;
}

export const ExperimentsWorkspace = memo(ExperimentsWorkspaceView);
