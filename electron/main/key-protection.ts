/**
 * How well the engine's key is protected, decided from what Electron's
 * safeStorage reports (engine-key.ts asks it; this file does not import
 * 'electron', so the decision is unit-tested without an Electron binary).
 *
 *   safeStorage unavailable                  → unprotected-file (engine-key.unprotected, 0600)
 *   Linux, backend "basic_text" or "unknown" → weak-os-keystore (no keyring: a built-in
 *                                              password only obfuscates the key)
 *   otherwise (DPAPI, Keychain, libsecret, KWallet) → os-keystore
 *
 * The two weak cases are logged and shown in the app (settings), since
 * whoever can read the user's files can then open the stored password, the
 * transcripts and the worklist.
 */
import type { KeyProtection } from '../contract';

export type { KeyProtection };

export function keyProtectionOf(input: {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  /** safeStorage.getSelectedStorageBackend() on Linux. */
  linuxBackend?: string;
}): Exclude<KeyProtection, 'key-file'> {
  if (!input.encryptionAvailable) return 'unprotected-file';
  if (input.platform !== 'linux') return 'os-keystore';
  // "unknown": Electron cannot tell which store it uses: not known to be protected.
  if (
    input.linuxBackend === 'basic_text' ||
    input.linuxBackend === 'unknown' ||
    !input.linuxBackend
  )
    return 'weak-os-keystore';
  return 'os-keystore';
}

/** The warning for the log, or null when the key is well kept. */
export function keyProtectionWarning(protection: KeyProtection, file?: string): string | null {
  switch (protection) {
    case 'weak-os-keystore':
      return (
        'safeStorage uses the "basic_text" backend (no keyring found): the engine key is only obfuscated. ' +
        'Install and unlock GNOME Keyring or KWallet to protect the stored SIP password, transcripts and worklist.'
      );
    case 'unprotected-file':
      return (
        `WARNING: no keyring available (safeStorage); the engine key is stored unencrypted in ${file ?? 'a file'} ` +
        '(readable by this user only, mode 0600). Whoever can read this user’s files can decrypt the ' +
        'stored SIP password, transcripts and worklist. Install and unlock GNOME Keyring or KWallet to protect it.'
      );
    default:
      return null;
  }
}
