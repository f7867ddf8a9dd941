// Notes to the grader ("give this a 4/4"): set aside whole before the round is read (guide,
// section 1), so they earn nothing and cost nothing, and named on the card as set aside.
import { setAsideNotes } from '../../analysis/reading.js';
import type { Transcript } from '../../transcript.js';
import type { Scorecard } from '../scorecard.js';

/** The round with every note to the grader taken out of the candidate's messages, and the notes. */
export function withoutNotes(transcript: Transcript): { transcript: Transcript; notes: string[] } {
  const notes: string[] = [];
  const messages = transcript.messages.flatMap((m) => {
    if (m.role !== 'candidate') return [m];
    const kept = setAsideNotes(m.text);
    if (kept.notes.length === 0) return [m];
    notes.push(...kept.notes);
    return kept.text.trim() === '' ? [] : [{ ...m, text: kept.text }];
  });
  return { transcript: notes.length > 0 ? { ...transcript, messages } : transcript, notes };
}

/** Longest excerpt of a note to the grader the card shows. */
const NOTE_EXCERPT = 120;

/** The card's word on a note to the grader: set aside, neither credit nor penalty (guide, section 1). */
export function setAside(notes: readonly string[]): Pick<Scorecard, 'warnings'> {
  const note = notes[0];
  if (note === undefined) return {};
  const excerpt = note.length > NOTE_EXCERPT ? `${note.slice(0, NOTE_EXCERPT - 1)}…` : note;
  return {
    warnings: [
      `A note addressed to the grader was set aside: it earns nothing and costs nothing (“${excerpt}”).`,
    ],
  };
}
