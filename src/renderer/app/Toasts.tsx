import { useEditorState } from './context';
import { Icon } from './Icon';

export function Toasts() {
  const toasts = useEditorState((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind}`} data-testid={`toast-${t.kind}`}>
          <Icon name={t.kind === 'error' ? 'error' : t.kind === 'success' ? 'check' : 'info'} size={14} />
          <span>{t.message}</span>
        </div>
      ))}
    </div>
  );
}
