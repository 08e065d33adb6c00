/**
 * What the agent hears besides the call: the ringtone while a call rings in
 * the foreground, the call-waiting tone (Anklopfton) while one knocks during
 * another call, nothing while a call is being answered. One of them at a
 * time; the store's `alert` says which, for the screen.
 */
import type { PhoneAlert, PhoneStore } from '../phone/phone-store';
import type { CallLines } from './call-lines';
import type { Tone } from './call-waiting-tone';

export class CallTones {
  private playing: PhoneAlert = 'none';

  constructor(
    private readonly store: PhoneStore,
    private readonly lines: CallLines,
    private readonly ringtone: Tone,
    private readonly waitingTone: Tone,
  ) {}

  /** Plays what the calls ask for now (call after anything that changes them). */
  update(): void {
    const { lines, activeId } = this.store.getState();
    const ringing = lines.filter((l) => l.state === 'ringing' && this.lines.get(l.id ?? ''));
    const answering = (id?: string) => (id ? this.lines.get(id)?.state === 'answering' : false);
    const wanted: PhoneAlert = ringing.some(
      (l) => l.id === activeId && !l.waiting && !answering(l.id),
    )
      ? 'ringtone'
      : ringing.some((l) => !answering(l.id))
        ? 'waiting'
        : 'none';
    if (wanted === this.playing) return;
    if (this.playing === 'ringtone') this.ringtone.stop();
    if (this.playing === 'waiting') this.waitingTone.stop();
    this.playing = wanted;
    if (wanted === 'ringtone') this.ringtone.start();
    if (wanted === 'waiting') this.waitingTone.start();
    this.store.getState().setAlert(wanted);
  }
}
