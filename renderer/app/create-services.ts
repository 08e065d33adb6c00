/**
 * Wires the renderer together once: the engine client (whichever carrier),
 * the stores, the audio path and the SIP phone. React components receive
 * these through context (services/services-context.ts and the desks'
 * contexts in their features) and never construct them.
 */
import ringtoneUrl from '../../resources/sounds/ringtone.wav?url';
import { AssistDesk } from '../features/assist/assist-desk';
import { AlertTone } from '../audio/alert-tone';
import { AudioPath } from '../audio/audio-path';
import { browserMediaDevices, DeviceController } from '../audio/devices';
import { BotDesk } from '../features/bot/bot-desk';
import { connectEngine } from '../bridge/connect';
import { watchEngineConnection } from '../bridge/engine-reconnect';
import {
  browserNotifications,
  notificationPreference,
} from '../features/notifications/incoming-call-notifier';
import { SipPhone } from '../sip/sip-phone';
import { createAssistStore } from '../stores/assist-store';
import { createBotStore } from '../stores/bot-store';
import { createDevicesStore } from '../audio/devices-store';
import { createEngineStore } from '../stores/engine-store';
import { createPhoneStore } from '../phone/phone-store';
import { createModelsStore } from '../stores/models-store';
import { createSettingsStore } from '../stores/settings-store';
import { createShortcutsStore } from '../stores/shortcuts-store';
import { createTranscriptStore } from '../stores/transcript-store';
import { createViewStore } from '../stores/view-store';
import type { Services } from '../services/services-context';
import type { TranscriptSegment } from '../../electron/contract';

/** Everything the screen is made of: the shared services and the two feature desks. */
export interface Desk {
  services: Services;
  bot: BotDesk;
  assist: AssistDesk;
}

export function createServices(remoteAudio: () => HTMLAudioElement | null): Desk {
  const { client, carrier } = connectEngine();
  const engineStore = createEngineStore();
  const phoneStore = createPhoneStore();
  const settingsStore = createSettingsStore(client);
  const transcriptStore = createTranscriptStore();
  const modelsStore = createModelsStore(client);
  const botStore = createBotStore();
  const shortcutsStore = createShortcutsStore();
  const viewStore = createViewStore();
  const audio = new AudioPath(
    client,
    (problem) => engineStore.getState().addLocalLog('error', problem.message),
    { onPlayoutGap: () => engineStore.getState().countPlayoutGap() },
  );
  const ring = new Audio(ringtoneUrl);
  ring.loop = true;
  const ringtone = {
    start: () => void ring.play().catch(() => undefined),
    stop: () => {
      ring.pause();
      ring.currentTime = 0;
    },
  };
  const alert = new AlertTone(ringtone);
  const devicesStore = createDevicesStore();
  const devices = new DeviceController({
    store: devicesStore,
    media: browserMediaDevices(),
    microphone: audio,
    speakers: () => [remoteAudio()],
    ringers: () => [ring, alert],
    log: (level, message) => engineStore.getState().addLocalLog(level, message),
  });
  devices.start();
  phoneStore.subscribe((state, previous) => {
    const now = state.call.state;
    if (now === previous.call.state) return;
    // The remote element is rendered by React: make sure it plays on the chosen speaker.
    if (now === 'ringing' || now === 'dialing' || now === 'connected') devices.applyOutputs();
    // The microphone was just opened: the browser now shows device names.
    if (now === 'connected' && !devicesStore.getState().listed) void devices.refresh();
  });
  const desk: { bot?: BotDesk } = {};
  const phone = new SipPhone({
    store: phoneStore,
    client,
    audio,
    remoteAudio,
    ringtone,
    log: (level, message) => engineStore.getState().addLocalLog(level, message),
    onDtmfReceived: (callId, tone) => desk.bot?.dtmf(callId, tone),
  });
  // The bot's lines are transcribed out of the agent's view: their lines wait
  // here (the newest version of each) until the call comes to the agent.
  const lineSegments = new Map<string, Map<string, TranscriptSegment>>();
  const onBotLine = (callId: string) =>
    phoneStore.getState().lines.some((l) => l.id === callId && l.botLine === true);
  phoneStore.subscribe((state, previous) => {
    if (state.lines === previous.lines) return;
    for (const callId of lineSegments.keys())
      if (!state.lines.some((l) => l.id === callId)) lineSegments.delete(callId);
  });
  const bot = new BotDesk({
    client,
    phoneStore,
    botStore,
    phone,
    showCall: (callId) => {
      const segments = lineSegments.get(callId);
      lineSegments.delete(callId);
      transcriptStore.getState().clear();
      for (const segment of segments?.values() ?? []) transcriptStore.getState().upsert(segment);
    },
    agentMic: (on) => audio.setMuted(!on),
    practiceAudio: {
      start: (options) => audio.startPractice(options),
      forCall: (callId) => audio.practiceCall(callId),
      stop: () => audio.stopPractice(),
    },
    alert,
    notify: notifyDesktop,
    log: (level, message) => engineStore.getState().addLocalLog(level, message),
  });
  desk.bot = bot;
  const assistStore = createAssistStore();
  const assist = new AssistDesk({
    client,
    phoneStore,
    botStore,
    assistStore,
    log: (level, message) => engineStore.getState().addLocalLog(level, message),
  });

  client.onEvent((event) => {
    if (event.event === 'transcript.segment') {
      const segment = event.data;
      if (onBotLine(segment.callId)) {
        const kept = lineSegments.get(segment.callId) ?? new Map<string, TranscriptSegment>();
        kept.set(segment.segmentId, segment);
        lineSegments.set(segment.callId, kept);
      } else transcriptStore.getState().upsert(segment);
    } else if (event.event === 'speech.status') transcriptStore.getState().setSpeech(event.data);
    else if (event.event === 'models.progress') modelsStore.getState().applyProgress(event.data);
    else if (
      event.event === 'bot.state' ||
      event.event === 'bot.mode' ||
      event.event === 'worklist.changed'
    )
      bot.onEvent(event);
    else if (event.event === 'assist.suggestions' || event.event === 'case.verified')
      assist.onEvent(event);
    else engineStore.getState().applyEvent(event);
  });
  client.onProblem((problem) => engineStore.getState().addLocalLog('warn', problem));
  // The engine died (or restarts): ring a person for every bot call at once;
  // when one is back, tell it the live calls so it transcribes them again.
  watchEngineConnection(client, {
    lost: () => bot.engineLost(),
    restored: () => phone.reportAgain(),
  });

  /** Loads the account (and its password) from the engine into the phone. */
  const applyAccount = async (): Promise<void> => {
    const account = await settingsStore.getState().load();
    if (!account) return;
    const { password } = await client.request('settings.getCredentials', {});
    await phone.configure({ account, password });
    if (account.autoRegister) phone.register();
  };

  let booted = false;
  client.onStatus((status) => {
    engineStore.getState().setStatus(status);
    if (status !== 'open') return;
    void client
      .request('engine.hello', { client: `renderer-${carrier}` })
      .then((info) =>
        engineStore.getState().setInfo({
          version: info.engineVersion,
          mode: info.mode,
          ...(info.keyProtection ? { keyProtection: info.keyProtection } : {}),
        }),
      )
      .catch((error: Error) => engineStore.getState().addLocalLog('error', error.message));
    void client
      .request('speech.getStatus', {})
      .then((speech) => transcriptStore.getState().setSpeech(speech))
      .catch((error: Error) => engineStore.getState().addLocalLog('error', error.message));
    void bot.loadMode();
    void bot.refreshWorklist();
    if (!booted) {
      booted = true;
      void applyAccount().catch((error: Error) =>
        engineStore.getState().addLocalLog('error', error.message),
      );
    }
  });

  const services: Services = {
    client,
    carrier,
    engineStore,
    phoneStore,
    settingsStore,
    transcriptStore,
    modelsStore,
    botStore,
    shortcutsStore,
    viewStore,
    devicesStore,
    devices,
    assistStore,
    audio,
    phone,
    applyAccount,
  };
  return { services, bot, assist };
}

/**
 * A desktop notification for a handoff while the window is in the background:
 * the same API and the same on/off switch as the incoming-call notification.
 */
function notifyDesktop(title: string, body: string, priority: boolean): void {
  const api = browserNotifications();
  if (!api || api.permission !== 'granted' || !notificationPreference.getState().enabled) return;
  if (document.hasFocus()) return;
  const notification = new api(title, { body, requireInteraction: priority });
  notification.onclick = () => {
    window.focus();
    notification.close();
  };
}
