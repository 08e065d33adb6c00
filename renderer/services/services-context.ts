/**
 * What every screen area gets from the composition root (app/create-services.ts):
 * the engine client, the stores, the audio path, the devices and the phone.
 * Components take these from context and never construct them. The bot's and
 * the call assistant's desks belong to their features and come through their
 * own contexts (features/bot, features/assist).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AudioPath } from '../audio/audio-path';
import type { DeviceController } from '../audio/devices';
import type { createDevicesStore } from '../audio/devices-store';
import type { EngineClient } from '../bridge/engine-client';
import type { createPhoneStore } from '../phone/phone-store';
import type { SipPhone } from '../sip/sip-phone';
import type { createAssistStore } from '../stores/assist-store';
import type { createBotStore } from '../stores/bot-store';
import type { createEngineStore } from '../stores/engine-store';
import type { createModelsStore } from '../stores/models-store';
import type { createSettingsStore } from '../stores/settings-store';
import type { createShortcutsStore } from '../stores/shortcuts-store';
import type { createTranscriptStore } from '../stores/transcript-store';
import type { createViewStore } from '../stores/view-store';

export interface Services {
  client: EngineClient;
  carrier: 'desktop' | 'web';
  engineStore: ReturnType<typeof createEngineStore>;
  phoneStore: ReturnType<typeof createPhoneStore>;
  settingsStore: ReturnType<typeof createSettingsStore>;
  transcriptStore: ReturnType<typeof createTranscriptStore>;
  modelsStore: ReturnType<typeof createModelsStore>;
  botStore: ReturnType<typeof createBotStore>;
  shortcutsStore: ReturnType<typeof createShortcutsStore>;
  /** Which view is in front (workspace, history, worklist, settings, diagnostics). */
  viewStore: ReturnType<typeof createViewStore>;
  devicesStore: ReturnType<typeof createDevicesStore>;
  /** Microphone, call speaker and ring device: lists them, applies the choice, falls back. */
  devices: DeviceController;
  assistStore: ReturnType<typeof createAssistStore>;
  audio: AudioPath;
  phone: SipPhone;
  applyAccount(): Promise<void>;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('ServicesContext missing');
  return services;
}

export function useFrom<S, T>(store: StoreApi<S>, selector: (state: S) => T): T {
  return useStore(store, selector);
}
