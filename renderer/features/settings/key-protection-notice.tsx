/**
 * Warns in the settings when the key that seals the stored password, the
 * transcripts and the worklist is weakly kept on this desk (a Linux desk
 * without a keyring: safeStorage's "basic_text", or no safeStorage at all).
 * The engine says how the key is kept in `engine.hello`; web mode's key file
 * is for development and gets no warning.
 */
import type { KeyProtection } from '../../../electron/contract';
import { useFrom, useServices } from '../../services/services-context';
import { useT, type SettingsMessageKey } from './settings-messages';

/** The warning's text key for a protection, or null when there is nothing to warn about. */
export function keyProtectionNotice(
  protection: KeyProtection | undefined,
): SettingsMessageKey | null {
  if (protection === 'weak-os-keystore') return 'keyWeak';
  if (protection === 'unprotected-file') return 'keyUnprotected';
  return null;
}

export function KeyProtectionNotice() {
  const { engineStore } = useServices();
  const t = useT();
  const protection = useFrom(engineStore, (s) => s.keyProtection);
  const notice = keyProtectionNotice(protection);
  if (!notice) return null;
  return (
    <p
      role="alert"
      className="warning"
      data-testid="key-protection-warning"
      data-protection={protection}
    >
      {t(notice)}
    </p>
  );
}
