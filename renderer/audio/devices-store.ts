/**
 * Which audio devices the desk uses: the microphone, the speaker for call
 * audio and the device the ringtone and handoff alert play on. The agent's
 * choice is a preference (like the language), kept in the page's storage so
 * it survives a restart.
 *
 * What is chosen and what is used can differ: a chosen device that is not
 * there (headset unplugged, docking station gone, saved at another desk)
 * makes the desk use the system default *and say so*, with a notice. The
 * choice itself is kept, so the device is used again when it comes back.
 *
 * Per role:
 *
 *   chosen id present ──────────────────────────────▶ active = chosen id
 *   chosen id missing from the list ──(notice)──────▶ active = '' (system default)
 *   mic track ended / device refused ──(notice)─────▶ active = ''
 *   back in the list after it was seen gone ─(notice)▶ active = chosen id
 *   agent chooses ──────────────────────────────────▶ active = new id, fallback cleared
 *
 * '' always means the system default. A device that ended or failed but is
 * still listed is not retried on every device change (that would flap): it
 * has to disappear and come back, or the agent chooses it again.
 *
 * UI-free and storage-injectable so it is tested in Node.
 */
import { createStore } from 'zustand/vanilla';

export type DeviceRole = 'microphone' | 'speaker' | 'ring';
export const DEVICE_ROLES: readonly DeviceRole[] = ['microphone', 'speaker', 'ring'];

export interface AudioDevice {
  id: string;
  label: string;
}

/** The part of MediaDeviceInfo this store reads. */
export interface DeviceInfoLike {
  deviceId: string;
  kind: string;
  label: string;
}

export interface DeviceChoice {
  /** '' = the system default. */
  id: string;
  /** The label when it was chosen: shown while the device is missing, and used to find it again. */
  label: string;
}

export type FallbackReason = 'missing' | 'unplugged' | 'failed';

export interface RoleState {
  chosen: DeviceChoice;
  /** The device in use: the chosen one, or '' while falling back. */
  active: string;
  fallback?: {
    reason: FallbackReason;
    /** The device was seen missing from a listing: it is used again when it shows up. */
    seenGone: boolean;
  };
}

export interface DeviceNotice {
  seq: number;
  role: DeviceRole;
  /** missing: not there at start; unplugged: gone while in use; failed: refused to open; restored: back. */
  reason: FallbackReason | 'restored';
  /** The device's name (may be '' when the browser gives none). */
  label: string;
  detail?: string;
  /** The system default itself went away or failed: there is nothing left to fall back to. */
  onDefault?: boolean;
  at: number;
}

export interface DevicesState {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** Labels of the system default devices, when the browser lists them. */
  defaultLabels: { input?: string; output?: string };
  /** A listing with device ids arrived (before the microphone permission there are none). */
  listed: boolean;
  /** The browser can choose an output device (HTMLMediaElement.setSinkId). */
  outputSelectable: boolean;
  roles: Record<DeviceRole, RoleState>;
  notices: DeviceNotice[];
  setOutputSelectable(selectable: boolean): void;
  /** A fresh enumerateDevices() result. */
  setDevices(devices: readonly DeviceInfoLike[]): void;
  /** The agent picks a device ('' = system default). */
  choose(role: DeviceRole, id: string): void;
  /** The device in use went away (track ended) or refused to open: use the default. */
  deviceLost(
    role: DeviceRole,
    reason: 'unplugged' | 'failed',
    info?: { detail?: string; label?: string },
  ): void;
  dismissNotice(seq: number): void;
}

export type DevicesStore = ReturnType<typeof createDevicesStore>;

export const DEVICES_STORAGE_KEY = 'lotse.audioDevices';
export const MAX_NOTICES = 4;

/** Browser pseudo-devices that stand for "whatever the system uses": covered by ''. */
const PSEUDO_IDS = new Set(['', 'default', 'communications']);

export interface DevicesStoreOptions {
  storage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  now?: () => number;
}

const emptyChoice = (): DeviceChoice => ({ id: '', label: '' });

/** Reads the saved choice; anything unreadable counts as "system default". */
export function loadChoices(
  storage: Pick<Storage, 'getItem'> | undefined,
): Record<DeviceRole, DeviceChoice> {
  const choices = { microphone: emptyChoice(), speaker: emptyChoice(), ring: emptyChoice() };
  let raw: string | null;
  try {
    raw = storage?.getItem(DEVICES_STORAGE_KEY) ?? null;
  } catch {
    return choices;
  }
  if (!raw) return choices;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return choices;
  }
  if (typeof parsed !== 'object' || parsed === null) return choices;
  for (const role of DEVICE_ROLES) {
    const value = (parsed as Record<string, unknown>)[role];
    if (typeof value !== 'object' || value === null) continue;
    const { id, label } = value as { id?: unknown; label?: unknown };
    if (typeof id !== 'string' || id.length > 512) continue;
    choices[role] = {
      id: PSEUDO_IDS.has(id) ? '' : id,
      label: typeof label === 'string' ? label.slice(0, 200) : '',
    };
  }
  return choices;
}

function saveChoices(
  storage: Pick<Storage, 'setItem'> | undefined,
  roles: Record<DeviceRole, RoleState>,
): void {
  const value = Object.fromEntries(DEVICE_ROLES.map((role) => [role, roles[role].chosen]));
  try {
    storage?.setItem(DEVICES_STORAGE_KEY, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the choice holds for this session.
  }
}

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

export function createDevicesStore(options: DevicesStoreOptions = {}) {
  const storage = 'storage' in options ? options.storage : browserStorage();
  const now = options.now ?? Date.now;
  const saved = loadChoices(storage);
  let seq = 0;
  const roleState = (chosen: DeviceChoice): RoleState => ({ chosen, active: chosen.id });

  return createStore<DevicesState>()((set, get) => {
    const notice = (
      notices: DeviceNotice[],
      role: DeviceRole,
      reason: DeviceNotice['reason'],
      label: string,
      extra: { detail?: string | undefined; onDefault?: boolean } = {},
    ): DeviceNotice[] =>
      [
        // One notice per role is enough: the newest says what holds now.
        ...notices.filter((n) => n.role !== role),
        {
          seq: ++seq,
          role,
          reason,
          label,
          at: now(),
          ...(extra.detail ? { detail: extra.detail } : {}),
          ...(extra.onDefault ? { onDefault: true } : {}),
        },
      ].slice(-MAX_NOTICES);

    return {
      inputs: [],
      outputs: [],
      defaultLabels: {},
      listed: false,
      outputSelectable: false,
      roles: {
        microphone: roleState(saved.microphone),
        speaker: roleState(saved.speaker),
        ring: roleState(saved.ring),
      },
      notices: [],

      setOutputSelectable: (outputSelectable) => set({ outputSelectable }),

      setDevices(devices) {
        const inputs: AudioDevice[] = [];
        const outputs: AudioDevice[] = [];
        const defaultLabels: DevicesState['defaultLabels'] = {};
        let withIds = false;
        for (const device of devices) {
          if (device.kind !== 'audioinput' && device.kind !== 'audiooutput') continue;
          const input = device.kind === 'audioinput';
          if (device.deviceId) withIds = true;
          if (device.deviceId === 'default' && device.label) {
            defaultLabels[input ? 'input' : 'output'] = device.label;
          }
          if (PSEUDO_IDS.has(device.deviceId)) continue;
          const list = input ? inputs : outputs;
          if (!list.some((d) => d.id === device.deviceId))
            list.push({ id: device.deviceId, label: device.label });
        }
        if (!withIds) {
          // No permission yet: ids and names are hidden, nothing can be judged missing.
          set({ inputs, outputs, defaultLabels });
          return;
        }
        const state = get();
        const firstListing = !state.listed;
        const roles = { ...state.roles };
        let notices = state.notices;
        let changedChoice = false;
        for (const role of DEVICE_ROLES) {
          const pool = role === 'microphone' ? inputs : outputs;
          let { chosen, fallback } = roles[role];
          if (chosen.id === '') {
            roles[role] = { chosen, active: '' };
            continue;
          }
          let present = pool.some((d) => d.id === chosen.id);
          if (!present && chosen.label) {
            // Same device under a new id (the browser's data was cleared): one match only.
            const sameName = pool.filter((d) => d.label === chosen.label);
            const match = sameName.length === 1 ? sameName[0] : undefined;
            if (match) {
              chosen = { id: match.id, label: match.label };
              changedChoice = true;
              present = true;
            }
          }
          if (present) {
            const label = pool.find((d) => d.id === chosen.id)?.label || chosen.label;
            if (label !== chosen.label) {
              chosen = { ...chosen, label };
              changedChoice = true;
            }
            if (fallback?.seenGone) {
              fallback = undefined;
              notices = notice(notices, role, 'restored', chosen.label);
            }
          } else if (!fallback) {
            fallback = { reason: firstListing ? 'missing' : 'unplugged', seenGone: true };
            notices = notice(notices, role, fallback.reason, chosen.label);
          } else if (!fallback.seenGone) {
            fallback = { ...fallback, seenGone: true };
          }
          roles[role] = {
            chosen,
            active: fallback ? '' : chosen.id,
            ...(fallback ? { fallback } : {}),
          };
        }
        if (changedChoice) saveChoices(storage, roles);
        set({ inputs, outputs, defaultLabels, listed: true, roles, notices });
      },

      choose(role, id) {
        const state = get();
        const pool = role === 'microphone' ? state.inputs : state.outputs;
        const clean = PSEUDO_IDS.has(id) ? '' : id;
        const label =
          clean === ''
            ? ''
            : (pool.find((d) => d.id === clean)?.label ??
              (state.roles[role].chosen.id === clean ? state.roles[role].chosen.label : ''));
        const chosen = { id: clean, label };
        const listedMissing = state.listed && clean !== '' && !pool.some((d) => d.id === clean);
        const roles = {
          ...state.roles,
          [role]: listedMissing
            ? { chosen, active: '', fallback: { reason: 'missing' as const, seenGone: true } }
            : { chosen, active: clean },
        };
        saveChoices(storage, roles);
        set({
          roles,
          // The agent acted: earlier notices about this role are answered.
          notices: state.notices.filter((n) => n.role !== role),
        });
      },

      deviceLost(role, reason, info = {}) {
        const state = get();
        const current = state.roles[role];
        let notices = state.notices;
        const { detail } = info;
        const label =
          // The name the agent chose it by; for the default, what the track said.
          (current.active === ''
            ? info.label ||
              (role === 'microphone' ? state.defaultLabels.input : state.defaultLabels.output)
            : current.chosen.label || info.label) || '';
        if (current.active === '') {
          // Already on the default: nothing to fall back to, but the agent should know.
          notices = notice(notices, role, reason, label, { detail, onDefault: true });
          set({ notices });
          return;
        }
        notices = notice(notices, role, reason, label, { detail });
        set({
          notices,
          roles: {
            ...state.roles,
            [role]: { chosen: current.chosen, active: '', fallback: { reason, seenGone: false } },
          },
        });
      },

      dismissNotice(seq) {
        set({ notices: get().notices.filter((n) => n.seq !== seq) });
      },
    };
  });
}
