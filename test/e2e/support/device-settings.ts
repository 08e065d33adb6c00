/**
 * Page object for the audio device settings: the microphone, call speaker
 * and ring device choices, and the notices when a device comes or goes.
 */
import type { Locator, Page } from '@playwright/test';

export class DeviceSettings {
  readonly microphone: Locator;
  readonly speaker: Locator;
  readonly ringDevice: Locator;
  readonly notices: Locator;
  /** Shown while the chosen microphone is missing and the default is used. */
  readonly microphoneFallback: Locator;

  constructor(private readonly page: Page) {
    this.microphone = this.select('Mikrofon');
    this.speaker = this.select('Lautsprecher (Gespräch)');
    this.ringDevice = this.select('Klingelton-Gerät');
    this.notices = page.getByTestId('device-notices');
    this.microphoneFallback = page.getByTestId('device-microphone-fallback');
  }

  /** A device choice by its exact label. */
  select(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** The section, by its accessible name in the desk's language. */
  section(name = 'Audiogeräte'): Locator {
    return this.page.getByRole('region', { name });
  }

  /** Warnings (role alert) about one kind of device: 'Mikrofon' or 'Lautsprecher'. */
  alert(kind: string): Locator {
    return this.notices.getByRole('alert').filter({ hasText: kind });
  }

  /** Good news (role status) about one kind of device. */
  status(kind: string): Locator {
    return this.notices.getByRole('status').filter({ hasText: kind });
  }
}
