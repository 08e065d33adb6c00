import { describe, expect, it } from 'vitest';
import { isUnencryptedRemoteSipServer } from '../../../../electron/contract';

describe('an unencrypted SIP server off this machine', () => {
  it('is plain ws:// to any host off the loopback interface', () => {
    for (const url of [
      'ws://pbx.jobcenter.example:8080/ws',
      'ws://10.1.2.3:5066',
      'WS://192.168.0.10/',
      ' ws://[2001:db8::1]:8080 ',
      'ws://127.example.org/',
      'ws://pbx.example@10.0.0.5/',
    ]) {
      expect(isUnencryptedRemoteSipServer(url), url).toBe(true);
    }
  });

  it('is not wss://, a server on this machine, or an address that is no URL', () => {
    for (const url of [
      'wss://pbx.jobcenter.example:8443/ws',
      'ws://127.0.0.1:5066',
      'ws://user@127.0.0.1:5066/ws',
      'ws://localhost:8080/ws',
      'ws://[::1]:8080',
      'wss://10.1.2.3',
      '',
      'pbx.jobcenter.example',
    ]) {
      expect(isUnencryptedRemoteSipServer(url), url).toBe(false);
    }
  });
});
