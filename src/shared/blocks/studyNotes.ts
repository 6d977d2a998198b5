/**
 * The study notes the lab's doc cards cite (the seed files, see docs/domain.md), by their number: what each
 * one is, so a card says "CNN, detection and Transformer Q&A" instead of "001".
 */
export interface StudyNote {
  id: string;
  title: string;
  file: string;
}

export const STUDY_NOTES: readonly StudyNote[] = [
  { id: '000', title: 'Model index tables and Q&A list', file: '000_0b09699f99c8a261.txt' },
  { id: '001', title: 'CNN, detection and Transformer Q&A', file: '001_c172650afe310dae.txt' },
  { id: '002', title: 'Deep-learning blog outline (data, networks, settings)', file: '002_98c4aa951480acc5.txt' },
  { id: '003', title: 'CVM-DL_Base topic answers', file: '003_87ce7641eeca55cb.txt' },
  { id: '004', title: 'Loss and metric tables with a long Q&A', file: '004_f3f6f4c68c054b15.txt' },
];

/** A doc card's `notes` ("000, 001") as the notes themselves; unknown numbers are kept as they are. */
export function studyNotes(notes: string | undefined): StudyNote[] {
  if (!notes) return [];
  return notes
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((id) => STUDY_NOTES.find((n) => n.id === id) ?? { id, title: `note ${id}`, file: '' });
}
