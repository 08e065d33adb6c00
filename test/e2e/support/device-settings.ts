/**
 * Page object for the audio device settings: the microphone, call speaker
 * and ring device choices, and the notices when a device comes or goes.
 */
import type { Locator } from '@playwright/test';
import { testIdParts } from './test-id-parts';

export class DeviceSettings extends testIdParts({
  notices: 'device-notices',
  /** Shown while the chosen microphone is missing and the default is used. */
  microphoneFallback: 'device-microphone-fallback',
}) {
  /** A device choice by its exact label ('Mikrofon', 'Lautsprecher (Gespräch)', …). */
  select(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  get microphone(): Locator {
    return this.select('Mikrofon');
  }

  get speaker(): Locator {
    return this.select('Lautsprecher (Gespräch)');
  }

  get ringDevice(): Locator {
    return this.select('Klingelton-Gerät');
  }

  /** The section, by its accessible name in the desk's language. */
  section(name = 'Audiogeräte'): Locator {
    return this.page.getByRole('region', { name });
  }

  /** Warnings (role alert) about one kind of device: 'Mikrofon' or 'Lautsprecher'. */
  alert(kind: string): Locator {
    return this.notices.getByRole('alert').filter({ hasText: kind });
  }

  /** The choices a device list offers. */
  options(select: Locator): Locator {
    return select.locator('option');
  }

  /** Every warning, or every piece of good news, about devices. */
  all(role: 'alert' | 'status'): Locator {
    return this.notices.getByRole(role);
  }

  /** Good news (role status) about one kind of device. */
  status(kind: string): Locator {
    return this.notices.getByRole('status').filter({ hasText: kind });
  }
}
